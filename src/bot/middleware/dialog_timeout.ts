/** A dialog idle for longer than DIALOG_TIMEOUT_MINUTES starts over with a friendly word. */
import type { Middleware } from "grammy";
import type { BotContext } from "../context.ts";
import { initialSession } from "../session.ts";

/** Resets a stale dialog before the features see the update; stamps a live one after. */
export const dialogTimeout: Middleware<BotContext> = async (ctx, next) => {
  const s = ctx.session;
  const now = ctx.deps.clock.now();
  const stale = s.step !== "idle" && s.touchedAt > 0 &&
    now - s.touchedAt > ctx.config.dialogTimeoutMinutes * 60_000;
  if (stale) {
    ctx.session = initialSession();
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t("common.dialog_expired"));
    ctx.session.touchedAt = now;
    // A command still does what it says; any other input belonged to the old dialog.
    if (!ctx.message?.text?.startsWith("/")) return;
  }
  await next();
  // Only a dialog in progress can go stale; an idle session is left as it is (not rewritten).
  if (ctx.session.step !== "idle") ctx.session.touchedAt = now;
};
