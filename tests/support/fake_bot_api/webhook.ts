/** Webhook delivery: POSTs queued updates to the bot's URL with the secret header, with retries. */
import type { Update } from "grammy/types";
import type { FakeStats, Payload, WebhookInfo } from "./types.ts";
import type { UpdateQueue } from "./updates.ts";
import { isObj, type Sleepers } from "./util.ts";

/** What the pump needs from the rest of the fake. */
export interface WebhookPumpOptions {
  webhook: WebhookInfo;
  queue: UpdateQueue;
  stats: FakeStats;
  sleepers: Sleepers;
  retryMs: number;
  maxAttempts: number;
  /** Runs a method the bot answered in the webhook response body. */
  runReply: (method: string, payload: Payload) => Promise<unknown>;
}

/** Delivers the queue to the webhook one update at a time, in order. */
export class WebhookPump {
  #running?: Promise<void>;
  #stopping = false;
  #abort = new AbortController();

  constructor(readonly options: WebhookPumpOptions) {}

  /** Starts delivering if not already doing so. */
  kick(): void {
    if (this.#running || this.#stopping) return;
    this.#running = this.#pump().finally(() => {
      this.#running = undefined;
    });
  }

  /** Aborts a delivery in progress and waits for the pump to end. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#abort.abort();
    await this.#running;
  }

  async #pump(): Promise<void> {
    const { webhook, queue, stats } = this.options;
    let attempts = 0;
    let u: Update | undefined;
    while (webhook.url && !this.#stopping && (u = queue.head()) !== undefined) {
      const sent = await this.#post(webhook.url, u);
      if (sent === "stopped") return;
      if (sent.ok) {
        attempts = 0;
        stats.delivered++;
        queue.shift(u);
        if (isObj(sent.reply) && typeof sent.reply.method === "string") {
          const { method, ...rest } = sent.reply;
          await this.options.runReply(method, rest);
        }
        continue;
      }
      webhook.last_error_date = Math.floor(Date.now() / 1000);
      stats.webhookFailures++;
      if (++attempts >= this.options.maxAttempts) {
        attempts = 0;
        queue.shift(u);
      } else {
        await this.options.sleepers.sleep(this.options.retryMs);
      }
    }
  }

  async #post(url: string, u: Update): Promise<{ ok: boolean; reply?: unknown } | "stopped"> {
    const { webhook } = this.options;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (webhook.secret_token) headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(u),
        signal: this.#abort.signal,
      });
      const text = await res.text();
      if (!res.ok) {
        webhook.last_error_message =
          `Wrong response from the webhook: ${res.status} ${res.statusText}`;
        return { ok: false };
      }
      if (!text.trimStart().startsWith("{")) return { ok: true };
      try {
        return { ok: true, reply: JSON.parse(text) };
      } catch {
        return { ok: true }; // not a webhook reply
      }
    } catch (e) {
      if (this.#stopping) return "stopped";
      webhook.last_error_message = `Connection failed: ${(e as Error).message}`;
      return { ok: false };
    }
  }
}
