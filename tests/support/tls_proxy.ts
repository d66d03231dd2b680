/**
 * Telegram delivers webhooks to an https:// URL; in production a TLS proxy in front of the bot
 * forwards them to WEBHOOK_HOST:WEBHOOK_PORT over plain HTTP. This stands in for that proxy:
 * the fake Bot API keeps the https URL the bot registered, but delivers to `local`.
 */
import type { FakeBotApi } from "./fake_bot_api.ts";

/** The URL the bot registered with setWebhook ("" when none), behind the stand-in proxy. */
export interface TlsProxy {
  registeredUrl(): string;
}

/** Makes `fake` deliver webhook updates to `local` (an http URL) whatever https URL is set. */
export function behindTlsProxy(fake: FakeBotApi, local: string): TlsProxy {
  let registered = fake.webhook.url;
  Object.defineProperty(fake.webhook, "url", {
    get: () => (registered ? local : ""),
    set: (url: string) => (registered = url),
    enumerable: true,
    configurable: true,
  });
  return { registeredUrl: () => registered };
}
