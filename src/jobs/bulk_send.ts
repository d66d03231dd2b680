/**
 * The bot's bulk messages (a day's cancellations) through the jobs' throttled sender: the bot
 * may not import jobs/, so the composition root hands it this function as `deps.bulkSend`.
 */
import type { BulkSend } from "../deps.ts";
import { type JobContext, sendToUserThrottled } from "./context.ts";
import { realSleep, type Sleep } from "./sender.ts";

/**
 * Pause between the messages of one bulk send: a burst from a button never takes the whole
 * flood budget the reminders share (the sender itself keeps Telegram's limits).
 */
export const BULK_SEND_GAP_MS = 40;

/** Options of bulkSender; tests pass a sleep that moves their fake clock. */
export interface BulkSenderOptions {
  gapMs?: number;
  sleep?: Sleep;
}

/** Sends messages one by one through `ctx.sender`, each in its user's language. */
export function bulkSender(ctx: JobContext, options: BulkSenderOptions = {}): BulkSend {
  const gapMs = options.gapMs ?? BULK_SEND_GAP_MS;
  const sleep = options.sleep ?? realSleep;
  return async (messages) => {
    let delivered = 0;
    for (const [i, message] of messages.entries()) {
      if (i > 0 && gapMs > 0) await sleep(gapMs, ctx.sender.signal).catch(() => {});
      const delivery = await sendToUserThrottled(
        ctx,
        message.userId,
        message.render,
        message.keyboard,
      );
      if (delivery.status === "sent") delivered++;
    }
    return delivered;
  };
}
