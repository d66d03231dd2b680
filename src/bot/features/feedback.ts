/** Feedback after a visit: 1-5 stars, then an optional comment; one per booking. */
import { LeanComposer } from "../composer.ts";
import { cb } from "../../ui/callback_data.ts";
import type { BotContext } from "../context.ts";
import { initialSession } from "../session.ts";
import { ack, button, menuRow, show } from "../ui.ts";

/** Rating buttons and the comment step. */
export const feedbackFeature = new LeanComposer<BotContext>();

feedbackFeature.callbackQuery(cb.rate.filter, async (ctx) => {
  const data = cb.rate.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  const outcome = ctx.deps.services.feedback.rate(data.id, ctx.from.id, data.stars);
  if (outcome === "not_found") return ack(ctx, ctx.t("errors.not_found"), true);
  if (outcome === "already") {
    await ack(ctx, ctx.t("feedback.already"));
    await ctx.editMessageReplyMarkup().catch(() => {});
    return;
  }
  await ack(ctx, ctx.t("feedback.thanks_toast"));
  ctx.session = { ...initialSession(), step: "feedback_comment", feedbackBookingId: data.id };
  await show(ctx, ctx.t("feedback.ask_comment", { stars: "⭐".repeat(data.stars) }), [
    [button(ctx.t("feedback.skip"), cb.skipComment.pack({ id: data.id }))],
  ]);
});

feedbackFeature.callbackQuery(cb.skipComment.filter, async (ctx) => {
  ctx.session = initialSession();
  await ack(ctx);
  await show(ctx, ctx.t("feedback.thanks"), [menuRow(ctx)]);
});

feedbackFeature.on("message:text", async (ctx, next) => {
  if (ctx.session.step !== "feedback_comment" || ctx.message.text.startsWith("/")) return next();
  const bookingId = ctx.session.feedbackBookingId ?? 0;
  if (!ctx.deps.services.feedback.comment(bookingId, ctx.message.text)) {
    return ctx.reply(ctx.t("feedback.ask_comment_again"));
  }
  ctx.session = initialSession();
  await ctx.reply(ctx.t("feedback.thanks"), {
    reply_markup: { inline_keyboard: [menuRow(ctx)] },
  });
});
