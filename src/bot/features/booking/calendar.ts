/** The month calendar step: free days are buttons, today is marked, past days are blank. */
import type { InlineKeyboardButton } from "grammy/types";
import { getService, type Service } from "../../../db/services_repo.ts";
import type { CalendarDay, StaffChoice } from "../../../services/booking_service.ts";
import { cb } from "../../../ui/callback_data.ts";
import { formatMonth, weekdayNames } from "../../../ui/format.ts";
import type { Lang } from "../../../ui/i18n.ts";
import { businessProfile } from "../../../db/profile_repo.ts";
import { firstFreeDay } from "../../../services/availability.ts";
import { noFreeDaysScreen } from "../../../ui/profile.ts";
import { mastersOfService } from "./masters.ts";
import type { BotContext } from "../../context.ts";
import { initialSession } from "../../session.ts";
import { backCancelRow, button, type Buttons, menuRow, show } from "../../ui.ts";

const NOOP = cb.noop.pack({});
const blank = () => button(" ", NOOP);

/** The label of one day: its number when free, "·" when full or closed, blank when past. */
export function dayLabel(day: number, state: CalendarDay, isToday: boolean): string {
  const label = state === "free" ? String(day) : state === "past" ? " " : "·";
  return isToday ? `(${label.trim() || "·"})` : label;
}

/** The day grid of `month` (Monday first), with navigation and weekday names. */
export function calendarRows(
  month: Temporal.PlainYearMonth,
  days: Map<string, CalendarDay>,
  view: {
    today: Temporal.PlainDate;
    first: Temporal.PlainYearMonth;
    last: Temporal.PlainYearMonth;
    lang: Lang;
  },
): Buttons {
  const { first, last, lang } = view;
  const nav = [
    Temporal.PlainYearMonth.compare(month, first) > 0
      ? button("◀️", cb.month.pack({ ym: month.subtract({ months: 1 }).toString() }))
      : blank(),
    button(formatMonth(month, lang), NOOP),
    Temporal.PlainYearMonth.compare(month, last) < 0
      ? button("▶️", cb.month.pack({ ym: month.add({ months: 1 }).toString() }))
      : blank(),
  ];
  const rows: Buttons = [nav, weekdayNames(lang).map((d) => button(d, NOOP))];
  let row: InlineKeyboardButton[] = Array.from(
    { length: month.toPlainDate({ day: 1 }).dayOfWeek - 1 },
    blank,
  );
  const todayIso = view.today.toString();
  for (const [iso, state] of days) {
    const label = dayLabel(Number(iso.slice(8)), state, iso === todayIso);
    // A full day opens too: its slot screen offers the waitlist.
    const opens = state === "free" || state === "full";
    row.push(button(label, opens ? cb.day.pack({ date: iso }) : NOOP));
    if (row.length === 7) {
      rows.push(row);
      row = [];
    }
  }
  if (row.length) {
    while (row.length < 7) row.push(blank());
    rows.push(row);
  }
  return rows;
}

/** Shows the month calendar of the draft's service and master. */
/**
 * When no day up to the horizon has free time, says so with the salon's contacts and the way
 * back to the menu (instead of empty months to page through); true when it did.
 */
async function showNoFreeDays(ctx: BotContext, service: Service): Promise<boolean> {
  const draft = ctx.session.draft;
  const choice: StaffChoice = !draft.staffId ? "any" : draft.staffId;
  if (firstFreeDay(ctx.deps.bookings, service.id, choice)) return false;
  const days = ctx.deps.bookings.rules().horizonDays;
  const screen = noFreeDaysScreen(service.name, days, businessProfile(ctx.deps.db), ctx.t);
  ctx.session = initialSession();
  await show(ctx, screen.text, screen.buttons);
  return true;
}

/** Shows the month calendar of the draft's service and master. */
export async function showCalendar(ctx: BotContext, month: Temporal.PlainYearMonth) {
  const draft = ctx.session.draft;
  const service = getService(ctx.deps.db, draft.serviceId ?? 0);
  if (!service || !service.isActive || service.deletedAt !== null) {
    await show(ctx, ctx.t("booking.service_unavailable"), [menuRow(ctx)]);
    ctx.session = initialSession();
    return;
  }
  if (await showNoFreeDays(ctx, service)) return;
  const today = ctx.deps.bookings.today();
  const first = today.toPlainYearMonth();
  const last = today.add({ days: ctx.deps.bookings.rules().horizonDays }).toPlainYearMonth();
  if (Temporal.PlainYearMonth.compare(month, first) < 0) month = first;
  if (Temporal.PlainYearMonth.compare(month, last) > 0) month = last;
  ctx.session.step = "date";
  draft.month = month.toString();
  const choice: StaffChoice = !draft.staffId ? "any" : draft.staffId;
  const days = ctx.deps.bookings.monthCalendar(service.id, choice, month);
  const rows = calendarRows(month, days, { today, first, last, lang: ctx.lang });
  rows.push(backCancelRow(ctx, mastersOfService(ctx, service.id).length > 1 ? "staff" : "service"));
  const anyFree = [...days.values()].includes("free");
  const text = [
    ctx.t("booking.choose_date", { service: service.name }),
    ctx.t("booking.calendar_legend"),
    ...(anyFree ? [] : ["", ctx.t("booking.month_full")]),
  ].join("\n");
  await show(ctx, text, rows);
}
