/** The last step: the summary (with the change policy), then create or move the booking. */
import { getService, type Service } from "../../../db/services_repo.ts";
import { listActiveStaff, staffVisibleToClients } from "../../../db/staff_repo.ts";
import type { Booking } from "../../../db/bookings_repo.ts";
import { localDate } from "../../../domain/time.ts";
import { BookingError } from "../../../services/booking_service.ts";
import { cb } from "../../../ui/callback_data.ts";
import { formatPrice, formatTime } from "../../../ui/format.ts";
import { sendCalendarFile } from "../../calendar_notice.ts";
import type { BotContext } from "../../context.ts";
import { clientActor } from "../../own_booking.ts";
import { changePolicyLine, remindersLine } from "../../policy.ts";
import { initialSession } from "../../session.ts";
import {
  ack,
  backCancelRow,
  button,
  type Buttons,
  clientCard,
  dayName,
  menuRow,
  show,
} from "../../ui.ts";
import { depositLines, draftDeposit, holdAndInvoice } from "./deposit.ts";
import { reached, showServices, staffChoice } from "./flow.ts";
import { showSlots } from "./slots.ts";

/** Shows what will be booked (or where the booking moves) with the confirm button. */
export async function showSummary(ctx: BotContext, fresh = false): Promise<void> {
  const d = ctx.session.draft;
  const service = getService(ctx.deps.db, d.serviceId ?? 0);
  if (!service || d.start === undefined) return showServices(ctx);
  ctx.session.step = "confirm";
  // The summary of a new booking has the name and phone: the contact step is done.
  reached(ctx, "contact");
  const lines = [
    ctx.t(d.rescheduleId ? "booking.summary_reschedule" : "booking.summary_title"),
    "",
    ...summaryLines(ctx, service, d.start),
  ];
  if (d.rescheduleId) lines.push(...previousTime(ctx, d.rescheduleId));
  else {
    lines.push(
      ctx.t("booking.card_name", { name: d.clientName ?? "" }),
      ctx.t("booking.card_phone", { phone: d.phone ?? "" }),
    );
  }
  const deposit = draftDeposit(ctx);
  if (deposit !== null) lines.push(...depositLines(ctx, deposit, d.start));
  lines.push("", changePolicyLine(ctx, d.start));
  const label = ctx.t(deposit === null ? "booking.confirm_button" : "booking.pay_deposit_button");
  const rows: Buttons = [[button(label, cb.confirm.pack({}))]];
  if (d.remembered) {
    rows.push([button(ctx.t("booking.other_contact_button"), cb.back.pack({ step: "name" }))]);
  }
  rows.push(backCancelRow(ctx, d.rescheduleId || d.remembered ? "slot" : "phone"));
  await show(ctx, lines.join("\n"), rows, { fresh });
}

function summaryLines(ctx: BotContext, service: Service, start: number): string[] {
  const tz = ctx.config.timeZone;
  const lines = [
    ctx.t("booking.card_service", { service: service.name }),
    ctx.t("booking.card_date", { date: dayName(ctx, start) }),
    ctx.t("booking.card_time", {
      start: formatTime(start, tz),
      end: formatTime(start + service.durationMinutes * 60_000, tz),
    }),
    ctx.t("booking.card_duration", { minutes: service.durationMinutes }),
  ];
  const staffId = ctx.session.draft.slotStaffId;
  if (staffVisibleToClients(ctx.deps.db) && staffId) {
    const staff = listActiveStaff(ctx.deps.db).find((s) => s.id === staffId);
    if (staff) lines.push(ctx.t("booking.card_staff", { staff: staff.name }));
  }
  if (service.priceMinor !== null) {
    lines.push(ctx.t("booking.card_price", { price: formatPrice(service.priceMinor, ctx.lang) }));
  }
  return lines;
}

/** "Было: …" of the booking being moved. */
function previousTime(ctx: BotContext, id: number): string[] {
  try {
    const before = ctx.deps.bookings.bookingFor(id, clientActor(ctx));
    const when = `${dayName(ctx, before.start)} ${formatTime(before.start, ctx.config.timeZone)}`;
    return [ctx.t("booking.card_was", { when })];
  } catch (error) {
    if (error instanceof BookingError) return [];
    throw error;
  }
}

/**
 * Shows the client their booking is made: the card with the change policy and exactly the
 * reminders that will come. The confirmation with the .ics is owed by the booking engine and
 * delivered from the outbox, so a crash after the commit never leaves it unsent.
 */
export async function sendConfirmation(
  ctx: BotContext,
  booking: Booking,
  extra: string[] = [],
): Promise<void> {
  await show(ctx, [...extra, doneText(ctx, "booking.confirmed", booking)].join("\n"), [
    [button(ctx.t("common.menu_my"), cb.myList.pack({ kind: "up", page: 0 }))],
    menuRow(ctx),
  ]);
}

/** "Booked"/"moved", exactly the reminders to come, the card and what may still change. */
function doneText(
  ctx: BotContext,
  title: "booking.confirmed" | "booking.rescheduled",
  booking: Booking,
): string {
  return [
    ctx.t(title),
    remindersLine(ctx, booking.start),
    "",
    clientCard(ctx, booking),
    "",
    changePolicyLine(ctx, booking.start),
  ].join("\n");
}

/** The confirm button: creates or moves the booking, or says why not. */
export async function confirm(ctx: BotContext): Promise<void> {
  const d = ctx.session.draft;
  if (ctx.session.step !== "confirm" || d.start === undefined || d.serviceId === undefined) {
    await ack(ctx, ctx.t("common.button_outdated"));
    return;
  }
  try {
    if (d.rescheduleId) await moveBooking(ctx, d.rescheduleId, d.start);
    else if (await holdAndInvoice(ctx)) return;
    else await createBooking(ctx, d.serviceId, d.start);
    ctx.session = initialSession();
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    await ack(ctx);
    await refused(ctx, error, d.start);
  }
}

async function createBooking(ctx: BotContext, serviceId: number, start: number): Promise<void> {
  const d = ctx.session.draft;
  const booking = ctx.deps.bookings.createBooking({
    userId: ctx.from!.id,
    serviceId,
    staff: d.slotStaffId ?? staffChoice(d.staffId),
    start,
    clientName: d.clientName ?? "",
    phone: d.phone ?? "",
  });
  ctx.deps.metrics.bookingsCreatedTotal.inc();
  await ack(ctx);
  ctx.deps.logger.info("Booking created", { bookingId: booking.id, userId: ctx.from!.id });
  reached(ctx, "confirmed");
  await sendConfirmation(ctx, booking);
}

async function moveBooking(ctx: BotContext, id: number, start: number): Promise<void> {
  const d = ctx.session.draft;
  const booking = ctx.deps.bookings.rescheduleBooking(id, clientActor(ctx), {
    start,
    staff: d.slotStaffId ?? staffChoice(d.staffId),
  });
  await ack(ctx);
  ctx.deps.logger.info("Booking moved", { bookingId: booking.id, userId: ctx.from!.id });
  await show(ctx, doneText(ctx, "booking.rescheduled", booking), [menuRow(ctx)]);
  // The admins' notice is owed by the engine (outbox); the client's own calendar is revised here.
  await sendCalendarFile(ctx.api, ctx.deps, booking, "moved", ctx.me.username);
}

/** A refused confirm: a lost slot shows fresh times of that day, anything else the menu. */
async function refused(ctx: BotContext, error: BookingError, start: number): Promise<void> {
  if (error.code === "slot_taken" || error.code === "too_soon" || error.code === "day_full") {
    ctx.session.draft.start = undefined;
    await showSlots(ctx, localDate(start, ctx.config.timeZone), ctx.t(`errors.${error.code}`));
    return;
  }
  await show(ctx, ctx.t(`errors.${error.code}`), [menuRow(ctx)]);
  ctx.session = initialSession();
}
