/**
 * The reads every update starts with, made once (src/db/update_start_repo.ts): the sender's
 * row (language, profile, remembered contact), whether messages are owed to the chat
 * (owed_first.ts) and the configuration generation. The update also becomes one scope of the
 * configuration cache (withinUpdate), so it checks the generation once, not per await.
 */
import type { MiddlewareFn } from "grammy";
import { withinUpdate } from "../../db/config_cache.ts";
import { readUpdateStart } from "../../db/update_start_repo.ts";
import type { BotContext, UpdateStart } from "../context.ts";

/**
 * The middleware, before trackUser. The read comes before sequentialize, so an earlier update
 * of the same chat may still be running and write what it reads (a booking's confirmation owed,
 * the contact remembered): then the read is marked not `current`, and owedFirst, which runs
 * once the earlier updates ended, reads again (refreshStart).
 */
export function updateStart(): MiddlewareFn<BotContext> {
  /** Updates per chat between their read and their end, in this bot. */
  const running = new Map<number, number>();
  return (ctx, next) => {
    const from = ctx.from;
    if (!from || from.is_bot) return next();
    const chatId = ctx.chat?.id ?? from.id;
    const before = running.get(chatId) ?? 0;
    running.set(chatId, before + 1);
    return withinUpdate(async () => {
      try {
        const row = readUpdateStart(ctx.deps.db, from.id, chatId, ctx.deps.clock.now());
        ctx.start = { ...row, chatId, current: before === 0 };
        await next();
      } finally {
        const left = running.get(chatId)! - 1;
        if (left === 0) running.delete(chatId);
        else running.set(chatId, left);
      }
    });
  };
}

/** The start of the update read again, now (once the earlier updates of the chat ended). */
export function refreshStart(ctx: BotContext, start: UpdateStart): UpdateStart {
  const row = readUpdateStart(ctx.deps.db, ctx.from!.id, start.chatId, ctx.deps.clock.now());
  return ctx.start = { ...row, chatId: start.chatId, current: true };
}
