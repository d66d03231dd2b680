/**
 * Message cleanup: the bot's own messages with inline keyboards (tracked in bot_messages) are
 * deleted MESSAGE_CLEANUP_HOURS after sending (default 47 h, before Telegram's 48-hour limit
 * for deleting). A message Telegram will not delete (already gone, too old) is marked too, so it
 * is not tried again; messages older than 48 hours are never touched. 0 hours turns it off.
 */
import { markMessageDeleted, messagesToClean } from "../db/jobs_repo.ts";
import { emptyResult, type JobContext, type JobResult } from "./context.ts";

const HOUR_MS = 3_600_000;
/** Telegram deletes a bot's messages only up to this age. */
export const TELEGRAM_DELETE_LIMIT_MS = 48 * HOUR_MS;
/** At most this many deletions per tick; the rest follow in the next ones. */
const BATCH = 500;

/** Deletes the tracked messages that are old enough. */
export async function runCleanup(ctx: JobContext): Promise<JobResult> {
  const { db, clock, logger } = ctx.deps;
  const hours = ctx.config.messageCleanupHours;
  if (!(hours > 0)) return emptyResult("off");
  const now = clock.now();
  const batch = messagesToClean(db, now - TELEGRAM_DELETE_LIMIT_MS, now - hours * HOUR_MS, BATCH);
  const result = { ...emptyResult(), due: batch.length };
  for (const m of batch) {
    if (ctx.sender.signal.aborted) break;
    const delivery = await ctx.sender.send(
      m.chatId,
      () => ctx.api.deleteMessage(m.chatId, m.messageId),
      { perChat: false },
    );
    if (delivery.status === "sent") {
      markMessageDeleted(db, m.chatId, m.messageId, clock.now());
      result.done++;
    } else if (delivery.status === "rejected" || delivery.status === "blocked") {
      // "message to delete not found", "message can't be deleted", blocked: nothing to retry.
      markMessageDeleted(db, m.chatId, m.messageId, clock.now());
      result.skipped++;
      logger.debug("Message could not be deleted; marked", {
        chatId: m.chatId,
        messageId: m.messageId,
        error: String(delivery.error),
      });
    } else {
      result.failed++; // tried again next tick while younger than 48 hours
    }
  }
  return result;
}
