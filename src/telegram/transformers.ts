/** Bot API transformers installed on every client of ours: the bot's and the jobs'. */
import type { Api, RawApi, Transformer } from "grammy";
import type { Message } from "grammy/types";
import { trackBotMessage } from "../db/bookkeeping.ts";
import { type Db, durable, hasUnsyncedWrites } from "../db/connection.ts";
import type { BotDeps } from "../deps.ts";

/** Methods whose text or caption is ours: catalog texts are HTML with escaped parameters. */
const FORMATTED_METHODS = new Set([
  "sendMessage",
  "editMessageText",
  "sendPhoto",
  "sendDocument",
  "editMessageCaption",
]);

/** Clients that already have the transformers of every client (they must not be stacked twice). */
const equipped = new WeakSet<Api>();

/**
 * Installs, once, what every client of ours needs (the bot's and the jobs'): HTML by default and
 * the durability barrier of `db`.
 */
export function useClientDefaults(api: Api, db: Db): void {
  if (equipped.has(api)) return;
  equipped.add(api);
  api.config.use(htmlByDefault());
  api.config.use(durableFirst(db));
}

/** Sends every text and caption with parse_mode HTML unless a call says otherwise. */
export function htmlByDefault(): Transformer<RawApi> {
  return (prev, method, payload, signal) => {
    if (FORMATTED_METHODS.has(method) && payload && !("parse_mode" in payload)) {
      payload = { ...payload, parse_mode: "HTML" };
    }
    return prev(method, payload, signal);
  };
}

/**
 * The durability barrier of the Bot API (src/db/wal_sync.ts): no call leaves before every
 * deferred commit made so far is fsynced, so nobody hears of a booking a power cut could still
 * take back. Nothing is awaited when nothing is pending (the usual case for most calls).
 */
export function durableFirst(db: Db): Transformer<RawApi> {
  return (prev, method, payload, signal) => {
    if (!hasUnsyncedWrites(db)) return prev(method, payload, signal);
    return durable(db).then(() => prev(method, payload, signal));
  };
}

/** Methods whose results are messages the cleanup job may delete later. */
const TRACKED_METHODS = new Set(["sendMessage", "sendPhoto"]);

/**
 * Remembers sent messages with inline keyboards in bot_messages (the cleanup job deletes their
 * buttons before Telegram's 48 h limit) and records the latency of every call.
 */
export function trackMessages(
  deps: Pick<BotDeps, "db" | "clock" | "metrics">,
): Transformer<RawApi> {
  return async (prev, method, payload, signal) => {
    const started = performance.now();
    try {
      const result = await prev(method, payload, signal);
      const markup = payload && "reply_markup" in payload ? payload.reply_markup : undefined;
      if (
        result.ok && TRACKED_METHODS.has(method) && markup && typeof markup === "object" &&
        "inline_keyboard" in markup
      ) {
        const message = result.result as unknown as Message;
        // Cleanup bookkeeping: queued, written in a batch (see db/bookkeeping.ts).
        const { chat, message_id: messageId } = message;
        trackBotMessage(deps.db, { chatId: chat.id, messageId, sentAt: deps.clock.now() });
      }
      return result;
    } finally {
      deps.metrics.telegramApiCallDuration.observe(
        { method },
        (performance.now() - started) / 1000,
      );
    }
  };
}
