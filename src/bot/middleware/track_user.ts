/** Keeps the users table in step with who writes to the bot, and who blocked it. */
import { Composer, type Middleware } from "grammy";
import type { BotContext } from "../context.ts";

/** Records the sender's Telegram profile (a write only when something changed). */
export const trackUser: Middleware<BotContext> = (ctx, next) => {
  const from = ctx.from;
  if (from && !from.is_bot) ctx.deps.services.users.track(from);
  return next();
};

/** The user blocked (or unblocked) the bot: remember it so jobs stop sending. */
export const watchBlocked = new Composer<BotContext>();

watchBlocked.on("my_chat_member", (ctx) => {
  if (ctx.myChatMember.new_chat_member.status === "kicked") {
    ctx.deps.services.users.markBlocked(ctx.from.id);
    ctx.deps.logger.info("User blocked the bot", { userId: ctx.from.id });
  }
});
