/** Keeps the users table in step with who writes to the bot, and who blocked it. */
import type { Middleware } from "grammy";
import { LeanComposer } from "../composer.ts";
import { pickLanguage, translator } from "../../ui/i18n.ts";
import type { BotContext } from "../context.ts";

/**
 * Records the sender's Telegram profile (a write only when something changed) and, from the
 * same read of their row, sets the language: the one chosen in the bot, else Telegram's, else
 * the business language.
 */
export const trackUser: Middleware<BotContext> = (ctx, next) => {
  const from = ctx.from;
  const known = from && !from.is_bot ? ctx.deps.services.users.track(from) : undefined;
  ctx.lang = pickLanguage(known?.language, from?.language_code, ctx.config.businessLanguage);
  ctx.t = translator(ctx.deps.catalogs, ctx.lang);
  return next();
};

/** The user blocked (or unblocked) the bot: remember it so jobs stop sending. */
export const watchBlocked = new LeanComposer<BotContext>();

watchBlocked.on("my_chat_member", (ctx) => {
  if (ctx.myChatMember.new_chat_member.status === "kicked") {
    ctx.deps.services.users.markBlocked(ctx.from.id);
    ctx.deps.logger.info("User blocked the bot", { userId: ctx.from.id });
  }
});
