/** Feedback after a visit: 1-5 stars, then an optional comment; one per booking. */
import { Composer } from "grammy";
import { getBooking } from "../../db/bookings_repo.ts";
import { writeTransaction } from "../../db/connection.ts";
import { audit } from "../../db/audit_repo.ts";
import { insertFeedback, setFeedbackComment } from "../../db/feedback_repo.ts";
import { cb } from "../../ui/callback_data.ts";
import type { BotContext } from "../context.ts";
import { initialSession } from "../session.ts";
import { ack, button, menuRow, show } from "../ui.ts";

/** Rating buttons and the comment step. */
export const feedbackFeature = new Composer<BotContext>();

feedbackFeature.callbackQuery(cb.rate.filter, async (ctx) => {
  const data = cb.rate.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  const { db, clock } = ctx.deps;
  const booking = getBooking(db, data.id);
  if (!booking || booking.userId !== ctx.from.id || booking.status !== "completed") {
    return ack(ctx, ctx.t("errors.not_found"), true);
  }
  const now = clock.now();
  const stored = writeTransaction(db, () => {
    const inserted = insertFeedback(db, {
      bookingId: booking.id,
      userId: ctx.from.id,
      serviceId: booking.serviceId,
      rating: data.stars,
    }, now);
    if (inserted) {
      audit(db, {
        at: now,
        actorId: ctx.from.id,
        entity: "booking",
        entityId: booking.id,
        action: "feedback",
        field: "rating",
        newValue: data.stars,
      });
    }
    return inserted;
  });
  if (!stored) {
    await ack(ctx, ctx.t("feedback.already"));
    await ctx.editMessageReplyMarkup().catch(() => {});
    return;
  }
  await ack(ctx, ctx.t("feedback.thanks_toast"));
  ctx.session = { ...initialSession(), step: "feedback_comment", feedbackBookingId: booking.id };
  await show(ctx, ctx.t("feedback.ask_comment", { stars: "⭐".repeat(data.stars) }), [
    [button(ctx.t("feedback.skip"), cb.skipComment.pack({ id: booking.id }))],
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
  const comment = ctx.message.text.replace(/[^\P{Cc}\n]/gu, "").trim().slice(0, 1000);
  if (comment.length === 0) return ctx.reply(ctx.t("feedback.ask_comment_again"));
  setFeedbackComment(ctx.deps.db, bookingId, comment, ctx.deps.clock.now());
  ctx.session = initialSession();
  await ctx.reply(ctx.t("feedback.thanks"), {
    reply_markup: { inline_keyboard: [menuRow(ctx)] },
  });
});
