/**
 * What a client does to an upcoming booking: cancel, move, confirm attendance, or (when the
 * bot can no longer change it) write to the admins with the booking attached.
 */
import { Composer } from "grammy";
import { LeanComposer } from "../../composer.ts";
import type { Booking } from "../../../db/bookings_repo.ts";
import { changeDeadline } from "../../../domain/policies.ts";
import { BookingError } from "../../../services/booking_service.ts";
import { type CallbackCodec, cb } from "../../../ui/callback_data.ts";
import { formatWhen } from "../../../ui/format.ts";
import { sendCalendarFile } from "../../calendar_notice.ts";
import type { BotContext } from "../../context.ts";
import { clientActor, loadOwn } from "../../own_booking.ts";
import { clientMayChange, contactLine } from "../../policy.ts";
import { initialSession } from "../../session.ts";
import { ack, button, clientCard, show } from "../../ui.ts";
import { startReschedule } from "../booking/flow.ts";
import { changeButtons, showBooking } from "./views.ts";

/** Cancel, move, "I'm coming" and "write to the admin" on one booking. */
export const bookingChanges = new LeanComposer<BotContext>();

/**
 * Registers a button that names one of the client's own bookings: parses the data, loads the
 * booking (refusing someone else's), answers the press unless `ackLater`, then calls `handle`.
 */
export function onOwnBooking<T extends { id: number }>(
  composer: Composer<BotContext>,
  codec: CallbackCodec<T>,
  handle: (ctx: BotContext, booking: Booking, data: T) => Promise<unknown>,
  options: { ackLater?: boolean } = {},
): void {
  composer.callbackQuery(codec.filter, async (ctx) => {
    const data = codec.unpack(ctx.callbackQuery.data);
    if (!data) return ack(ctx, ctx.t("common.button_outdated"));
    const booking = await loadOwn(ctx, data.id);
    if (!booking) return;
    if (!options.ackLater) await ack(ctx);
    await handle(ctx, booking, data);
  });
}

/** Shows why an active booking can no longer be changed by the client; true if it can. */
async function mayChange(ctx: BotContext, b: Booking): Promise<boolean> {
  if (b.status !== "active") {
    await showBooking(ctx, b, ctx.t("errors.not_active"));
    return false;
  }
  if (!clientMayChange(ctx, b.start)) {
    await tooLate(ctx, b);
    return false;
  }
  return true;
}

async function tooLate(ctx: BotContext, b: Booking): Promise<void> {
  const cutoff = ctx.deps.bookings.rules().cancellationCutoffHours;
  const deadline = changeDeadline(b.start, cutoff);
  const text = ctx.t("errors.too_late_to_change_detail", {
    hours: cutoff,
    deadline: formatWhen(deadline, ctx.lang, ctx.config.timeZone),
  });
  await showBooking(ctx, b, `${text}\n${contactLine(ctx)}`);
}

onOwnBooking(bookingChanges, cb.cancelAsk, async (ctx, b) => {
  if (!(await mayChange(ctx, b))) return;
  await show(ctx, `${ctx.t("my.cancel_confirm")}\n\n${clientCard(ctx, b)}`, [
    [button(ctx.t("my.cancel_yes"), cb.cancelDo.pack({ id: b.id }))],
    [button(ctx.t("my.cancel_no"), cb.myBooking.pack({ id: b.id }))],
  ]);
});

onOwnBooking(bookingChanges, cb.cancelDo, async (ctx, b) => {
  try {
    const cancelled = ctx.deps.bookings.cancelBooking(b.id, clientActor(ctx));
    ctx.deps.metrics.bookingsCancelledTotal.inc();
    ctx.deps.logger.info("Booking cancelled by client", { bookingId: b.id, userId: ctx.from!.id });
    await ack(ctx, ctx.t("my.cancelled_toast"));
    await showBooking(ctx, cancelled, ctx.t("my.cancelled"));
    await sendCalendarFile(ctx.api, ctx.deps, cancelled, "cancelled", ctx.me.username);
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    await ack(ctx);
    if (error.code === "too_late_to_change") return tooLate(ctx, b);
    const now = ctx.deps.bookings.bookingFor(b.id, clientActor(ctx));
    await showBooking(ctx, now, ctx.t(`errors.${error.code}`));
  }
}, { ackLater: true });

onOwnBooking(bookingChanges, cb.reschedule, async (ctx, b) => {
  if (await mayChange(ctx, b)) await startReschedule(ctx, b);
});

onOwnBooking(bookingChanges, cb.coming, async (ctx, b) => {
  try {
    ctx.deps.bookings.confirmAttendance(b.id, clientActor(ctx));
    await ack(ctx, ctx.t("my.coming_thanks"));
    // The reminder no longer asks «Придёте?»: it says the answer and keeps what is left to do.
    const text = `${ctx.t("my.coming_confirmed")}\n\n${clientCard(ctx, b)}`;
    await show(ctx, text, changeButtons(ctx.t, b, clientMayChange(ctx, b.start)));
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    await ack(ctx, ctx.t(`errors.${error.code}`), true);
  }
}, { ackLater: true });

onOwnBooking(bookingChanges, cb.askAdmin, async (ctx, b) => {
  if (b.status !== "active") return showBooking(ctx, b, ctx.t("errors.not_active"));
  ctx.session = { ...initialSession(), step: "admin_message", editBookingId: b.id };
  await show(ctx, ctx.t("my.ask_admin_prompt"), [
    [button(ctx.t("common.cancel_button"), cb.myBooking.pack({ id: b.id }))],
  ]);
});
