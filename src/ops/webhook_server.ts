/**
 * The HTTP server of webhook mode. Every request must carry Telegram's
 * `X-Telegram-Bot-Api-Secret-Token` header equal to WEBHOOK_SECRET (compared in constant time);
 * anything else is answered 401 and never reaches the bot.
 */
import { timingSafeEqual } from "node:crypto";
import type { Logger } from "./log.ts";

/** The header Telegram sends with the secret given to setWebhook. */
export const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

/** Whether `given` equals `secret`; the time taken does not depend on where they differ. */
export function secretMatches(given: string | null, secret: string): boolean {
  const encoder = new TextEncoder();
  const a = encoder.encode(given ?? "");
  const b = encoder.encode(secret);
  // Comparing equal lengths only; a length mismatch still costs one full comparison.
  const same = timingSafeEqual(a.length === b.length ? a : b, b);
  return same && a.length === b.length;
}

/** Options of startWebhookServer. */
export interface WebhookServerOptions {
  port: number;
  hostname: string;
  secret: string;
  /** Handles an authenticated request (grammY's webhookCallback). */
  handle(request: Request): Response | Promise<Response>;
  logger?: Logger;
}

/** Starts the webhook server; requests without the right secret get 401. */
export function startWebhookServer(options: WebhookServerOptions): Deno.HttpServer {
  return Deno.serve({
    port: options.port,
    hostname: options.hostname,
    onListen: () => {},
  }, (request) => {
    if (!secretMatches(request.headers.get(SECRET_HEADER), options.secret)) {
      options.logger?.debug("Webhook request without the right secret refused", {
        method: request.method,
      });
      return new Response("Unauthorized\n", { status: 401 });
    }
    return options.handle(request);
  });
}
