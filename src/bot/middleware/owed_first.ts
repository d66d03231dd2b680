/**
 * Owed messages first: before the bot answers an update, the outbox messages owed to that
 * chat (a confirmation, an admin's notice of a new booking) are delivered, so a person reads
 * them in the order things happened rather than below the answer to their next press. Waits
 * only when something is owed to that chat, and at most as long as OutboxPort.deliver does.
 */
import type { MiddlewareFn } from "grammy";
import { hasOwed } from "../../db/outbox_repo.ts";
import type { BotContext } from "../context.ts";
import { refreshStart } from "./update_start.ts";

/** The middleware (after sequentialize, so one chat's updates wait in order). */
export function owedFirst(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (owed(ctx)) await ctx.deps.outbox!.deliver();
    await next();
  };
}

/**
 * Whether something is owed to the chat now: the update's start read tells, unless an earlier
 * update of the chat was still running then (it may have owed more): then it is read again.
 */
function owed(ctx: BotContext): boolean {
  if (!ctx.deps.outbox) return false;
  const start = ctx.start;
  if (start) return (start.current ? start : refreshStart(ctx, start)).owed;
  const chatId = ctx.chat?.id ?? ctx.from?.id;
  return chatId !== undefined && hasOwed(ctx.deps.db, chatId, ctx.deps.clock.now());
}
