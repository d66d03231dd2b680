/** The end of every update waits for the durability barrier (src/db/wal_sync.ts). */
import type { MiddlewareFn } from "grammy";
import { type Db, durable, hasUnsyncedWrites } from "../../db/connection.ts";
import type { BotContext } from "../context.ts";

/**
 * Outermost middleware: an update is finished only once every deferred commit made so far is
 * fsynced, so the webhook answer never acknowledges an update whose writes a power cut could
 * still take back (Telegram would not send it again). Its API calls already waited for the same
 * barrier (durableFirst); this covers an update that wrote and then said nothing, or failed.
 * Free when nothing is pending. (Long polling is unchanged: the runner confirms updates by the
 * offset of its next getUpdates as soon as it has fetched them, not when they are handled.)
 */
export function durableUpdates(db: Db): MiddlewareFn<BotContext> {
  return async (_ctx, next) => {
    try {
      await next();
    } finally {
      if (hasUnsyncedWrites(db)) await durable(db);
    }
  };
}
