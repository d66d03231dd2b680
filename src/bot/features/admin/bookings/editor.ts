/**
 * The universal editor of a booking: one field at a time (moving it to another day or time,
 * another service or master, the client's name or phone, the status). Every change goes
 * through the booking engine (audited there) and is told to the client.
 */
import type { Booking } from "../../../../db/bookings_repo.ts";
import { listBookableServices } from "../../../../db/services_repo.ts";
import { listActiveStaff } from "../../../../db/staff_repo.ts";
import { localDate } from "../../../../domain/time.ts";
import { BookingError, type StaffSlot } from "../../../../services/booking_service.ts";
import { formatDate, formatWhen, statusIcon } from "../../../../ui/format.ts";
import type { BotContext } from "../../../context.ts";
import { button, type Buttons, show } from "../../../ui.ts";
import { awaitInput, endInput, today } from "../kit.ts";
import { abCb, type EditField } from "./codecs.ts";
import { refused, showCard } from "./card.ts";
import { describeChanges, tellClientChanged } from "./client_notice.ts";
import { actor, loadBooking, tz } from "./screen.ts";
import { dayMonth, statusWord } from "./views.ts";

function backToCardRow(ctx: BotContext, id: number) {
  return [button(ctx.t("admin_bookings.btn_back_card"), abCb.card.pack({ id }))];
}

/** The editor of one field: a choice of values, or a prompt for typed input. */
export function showEditor(ctx: BotContext, b: Booking, f: EditField): Promise<void> {
  if (f === "name" || f === "phone") {
    awaitInput(ctx, { kind: f === "name" ? "ab_name" : "ab_phone", id: b.id });
    return show(
      ctx,
      ctx.t(`admin_bookings.ask_${f}`, { id: b.id, name: b.clientName, phone: b.phone }),
      [backToCardRow(ctx, b.id)],
    );
  }
  if (f === "status") return chooseStatus(ctx, b);
  if (b.status !== "active") return showCard(ctx, b, ctx.t("errors.not_active"));
  if (f === "date") return showMoveDates(ctx, b);
  if (f === "time") return showMoveDay(ctx, b, localDate(b.start, tz(ctx)));
  return f === "service" ? chooseService(ctx, b) : chooseStaff(ctx, b);
}

/** A choice among `choices` (one button a row), or the title with `none` when there is none. */
function choose(ctx: BotContext, b: Booking, title: string, none: string, choices: Buttons) {
  choices.push(backToCardRow(ctx, b.id));
  return show(ctx, choices.length > 1 ? title : `${title}\n\n${none}`, choices);
}

function chooseService(ctx: BotContext, b: Booking): Promise<void> {
  const t = ctx.t;
  const services = listBookableServices(ctx.deps.db).filter((s) => s.id !== b.serviceId);
  return choose(
    ctx,
    b,
    t("admin_bookings.choose_service", { id: b.id, start: formatWhen(b.start, ctx.lang, tz(ctx)) }),
    t("admin_bookings.no_other_services"),
    services.map((s) => [
      button(
        `${s.name} · ${s.durationMinutes} ${t("admin_bookings.minutes")}`,
        abCb.setService.pack({ id: b.id, svc: s.id }),
      ),
    ]),
  );
}

function chooseStaff(ctx: BotContext, b: Booking): Promise<void> {
  const staff = listActiveStaff(ctx.deps.db).filter((s) => s.id !== b.staffId);
  return choose(
    ctx,
    b,
    ctx.t("admin_bookings.choose_staff", {
      id: b.id,
      start: formatWhen(b.start, ctx.lang, tz(ctx)),
    }),
    ctx.t("admin_bookings.no_other_staff"),
    staff.map((s) => [button(s.name, abCb.setStaff.pack({ id: b.id, staff: s.id }))]),
  );
}

function chooseStatus(ctx: BotContext, b: Booking): Promise<void> {
  const t = ctx.t;
  const choices = (["active", "completed", "no_show"] as const).filter((s) => s !== b.status);
  const rows: Buttons = choices.map((s) => [
    button(`${statusIcon(s)} ${statusWord(t, s)}`, abCb.setStatus.pack({ id: b.id, st: s })),
  ]);
  if (b.status === "active") {
    const label = `${statusIcon("cancelled")} ${statusWord(t, "cancelled")}`;
    rows.push([button(label, abCb.cancelAsk.pack({ id: b.id }))]);
  }
  rows.push(backToCardRow(ctx, b.id));
  const title = t("admin_bookings.choose_status", { id: b.id, status: statusWord(t, b.status) });
  return show(ctx, title, rows);
}

/** The days an admin may move a booking to: the next two weeks, plus typing a date. */
async function showMoveDates(ctx: BotContext, b: Booking): Promise<void> {
  const first = today(ctx);
  const rows: Buttons = [];
  for (let week = 0; week < 2; week++) {
    const row = Array.from({ length: 7 }, (_, i) => {
      const d = first.add({ days: week * 7 + i });
      return button(dayMonth(d), abCb.moveDay.pack({ id: b.id, date: d.toString() }));
    });
    rows.push(row.slice(0, 4), row.slice(4));
  }
  rows.push(backToCardRow(ctx, b.id));
  awaitInput(ctx, { kind: "ab_move_date", id: b.id });
  await show(
    ctx,
    ctx.t("admin_bookings.choose_day", { id: b.id, service: b.serviceName, name: b.clientName }),
    rows,
  );
}

/** The free starts of one day for a booking (its service and staff member), as buttons. */
export async function showMoveDay(
  ctx: BotContext,
  b: Booking,
  date: Temporal.PlainDate,
  notice?: string,
): Promise<void> {
  let slots: StaffSlot[] = [];
  let problem: string | undefined;
  try {
    slots = ctx.deps.bookings.freeSlots(b.serviceId, b.staffId, date, b.id);
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    problem = ctx.t(`errors.${error.code}`);
  }
  const params = {
    id: b.id,
    service: b.serviceName,
    name: b.clientName,
    date: formatDate(date, ctx.lang, tz(ctx)),
  };
  const title = ctx.t(
    `admin_bookings.${slots.length ? "move_day_title" : "move_day_empty"}`,
    params,
  );
  const text = [notice, problem, title].filter(Boolean).join("\n\n");
  await show(ctx, text, moveDayRows(ctx, b, date, slots));
}

function moveDayRows(ctx: BotContext, b: Booking, date: Temporal.PlainDate, slots: StaffSlot[]) {
  const rows: Buttons = [];
  for (let i = 0; i < slots.length; i += 4) {
    rows.push(
      slots.slice(i, i + 4).map((s) => {
        const data = { id: b.id, start: Math.floor(s.start / 1000), staff: s.staffId, ok: 0 };
        return button(s.label, abCb.moveSlot.pack(data));
      }),
    );
  }
  const before = date.subtract({ days: 1 });
  const after = date.add({ days: 1 });
  rows.push([
    button(`◀️ ${dayMonth(before)}`, abCb.moveDay.pack({ id: b.id, date: before.toString() })),
    button(`${dayMonth(after)} ▶️`, abCb.moveDay.pack({ id: b.id, date: after.toString() })),
  ]);
  rows.push([
    button(ctx.t("admin_bookings.btn_other_day"), abCb.edit.pack({ id: b.id, f: "date" })),
  ]);
  rows.push(backToCardRow(ctx, b.id));
  return rows;
}

/** The free time of a day for an active booking (the card says why not otherwise). */
export async function moveToDay(ctx: BotContext, id: number, date: Temporal.PlainDate) {
  const b = await loadBooking(ctx, id);
  if (!b) return;
  if (b.status !== "active") return showCard(ctx, b, ctx.t("errors.not_active"));
  await showMoveDay(ctx, b, date);
}

/**
 * Runs one change of a booking through the engine; on success tells the client what changed
 * and shows the card with a confirmation, on refusal shows the card with the reason.
 */
export async function applyChange(
  ctx: BotContext,
  id: number,
  change: (before: Booking) => Booking,
  onRefused?: (error: BookingError, before: Booking) => Promise<void>,
): Promise<void> {
  const before = await loadBooking(ctx, id);
  if (!before) return;
  let after: Booking;
  try {
    after = change(before);
  } catch (error) {
    if (error instanceof BookingError && onRefused) return onRefused(error, before);
    return refused(ctx, id, error);
  }
  await finishChange(ctx, before, after);
}

/** After a change: tell the client what changed and show the card with a confirmation. */
async function finishChange(ctx: BotContext, before: Booking, after: Booking): Promise<void> {
  if (describeChanges(before, after, ctx.t, ctx.lang, tz(ctx)).length === 0) {
    return showCard(ctx, after, ctx.t("admin_bookings.nothing_changed"));
  }
  ctx.deps.logger.info("Booking changed by admin", { bookingId: after.id, adminId: ctx.from!.id });
  const delivered = await tellClientChanged(ctx, before, after);
  await showCard(
    ctx,
    after,
    ctx.t(delivered ? "admin_bookings.saved_notified" : "admin_bookings.saved_not_notified"),
  );
}

/** Codes of a typed name or phone that ask for another try (the dialog stays open). */
const TYPO_CODES = new Set(["name_length", "name_chars", "phone_format"]);

/** Changes the client's name or phone on a booking from what the admin typed. */
export async function changeContact(
  ctx: BotContext,
  id: number,
  contact: { clientName: string } | { phone: string },
): Promise<void> {
  try {
    const before = ctx.deps.bookings.bookingFor(id, actor(ctx));
    const after = ctx.deps.bookings.updateContact(id, actor(ctx), contact);
    endInput(ctx);
    await finishChange(ctx, before, after);
  } catch (error) {
    if (error instanceof BookingError && TYPO_CODES.has(error.code)) {
      await ctx.reply(ctx.t(`errors.${error.code}`));
      return;
    }
    endInput(ctx);
    return refused(ctx, id, error);
  }
}
