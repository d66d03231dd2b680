/**
 * Owed messages first: before the bot answers an update, the outbox messages owed to that
 * chat (a confirmation, an admin's notice of a new booking) are delivered, so a person reads
 * them in the order things happened rather than below the answer to their next press. Waits
 * only when something is owed to that chat, and at most as long as OutboxPort.deliver does.
 */
import type { Middleware } from "grammy";
import { hasOwed } from "../../db/outbox_repo.ts";
import type { BotContext } from "../context.ts";

/** The middleware (after sequentialize, so one chat's updates wait in order). */
export function owedFirst(): Middleware<BotContext> {
  return async (ctx, next) => {
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    const outbox = ctx.deps.outbox;
    if (outbox && chatId !== undefined && hasOwed(ctx.deps.db, chatId, ctx.deps.clock.now())) {
      await outbox.deliver();
    }
    await next();
  };
}
