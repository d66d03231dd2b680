/** Where the bot listens: people in private chats only. */
import type { Middleware } from "grammy";
import { LeanComposer } from "../composer.ts";
import type { BotContext } from "../context.ts";

/**
 * Only people in private chats: the bot is a personal assistant; in groups and channels it
 * stays silent, and updates without a sender (polls, channel posts) are ignored.
 */
export const privateOnly: Middleware<BotContext> = (ctx, next) => {
  const ignored = !ctx.from || ctx.from.is_bot ||
    (ctx.chat !== undefined && ctx.chat.type !== "private");
  return ignored ? undefined : next();
};

/** A button on an inline-mode message has no chat to answer in: nothing of ours sends those. */
export const chatlessButtons = new LeanComposer<BotContext>();

chatlessButtons.on("callback_query", async (ctx, next) => {
  if (ctx.callbackQuery.message) return next();
  await ctx.answerCallbackQuery({ text: ctx.t("common.button_outdated") }).catch(() => {});
});
