/**
 * Reminders: the day before at REMINDER_DAY_BEFORE_HOUR (business time) and one hour before
 * the visit, each with "I'm coming" / "Reschedule" / "Cancel". Due-ness is computed from the
 * database and the clock on every tick, so a reminder that fell due while the bot was down goes
 * out when it is back, while still useful.
 *
 * Rules (decided here, see also docs):
 * - Day before: due from HH:00 local on the day before the visit's local date, while the visit
 *   is more than 2 hours away (closer than that the one-hour reminder follows within the hour).
 *   No day-before reminder for a booking made less than 24 hours before its start, or made
 *   after that HH:00 moment: the client has just seen the confirmation.
 * - One hour before: due from start - 60 min until the start; not for a booking made inside
 *   that hour.
 */
import type { InlineKeyboardButton } from "grammy/types";
import { cb } from "../ui/callback_data.ts";
import { formatDate, formatTime } from "../ui/format.ts";
import type { Lang, Translate } from "../ui/i18n.ts";
import { button } from "../ui/buttons.ts";
import type { Booking } from "../db/bookings_repo.ts";
import { dayReminderCandidates, hourReminderCandidates } from "../db/jobs_repo.ts";
import { listActiveStaff } from "../db/staff_repo.ts";
import { dayBounds, localDate } from "../domain/time.ts";
import { claimAndSend, count } from "./claimed_send.ts";
import { emptyResult, type JobContext, type JobResult } from "./context.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** The one-hour reminder goes out this long before the start. */
export const HOUR_REMINDER_LEAD_MS = HOUR_MS;
/** The day-before reminder is not sent when the visit is closer than this. */
export const DAY_REMINDER_MIN_LEAD_MS = 2 * HOUR_MS;
/** Bookings made less than this before their start get no day-before reminder. */
export const DAY_REMINDER_MIN_NOTICE_MS = 24 * HOUR_MS;

/** The instant of `hour`:00 business time on the day before the local date of `start`. */
export function dayReminderAt(start: number, hour: number, timeZone: string): number {
  const dayBefore = localDate(start, timeZone).subtract({ days: 1 });
  // "compatible": an hour skipped by a DST jump moves forward, a doubled one takes the first.
  return dayBefore.toPlainDateTime({ hour }).toZonedDateTime(timeZone, {
    disambiguation: "compatible",
  }).epochMilliseconds;
}

/** Whether the day-before reminder of a booking is due at `now` (see the rules above). */
export function isDayReminderDue(
  b: Pick<Booking, "start" | "createdAt">,
  now: number,
  hour: number,
  timeZone: string,
): boolean {
  const at = dayReminderAt(b.start, hour, timeZone);
  return now >= at && b.start - now > DAY_REMINDER_MIN_LEAD_MS && b.createdAt < at &&
    b.start - b.createdAt >= DAY_REMINDER_MIN_NOTICE_MS;
}

/** Whether the one-hour reminder of a booking is due at `now`. */
export function isHourReminderDue(b: Pick<Booking, "start" | "createdAt">, now: number): boolean {
  const at = b.start - HOUR_REMINDER_LEAD_MS;
  return now >= at && now < b.start && b.createdAt < at;
}

/** Service, date, time (and staff when there are several) of a visit, as HTML lines. */
export function visitDetails(
  b: Booking,
  t: Translate,
  lang: Lang,
  timeZone: string,
  showStaff: boolean,
): string {
  const lines = [
    t("booking.card_service", { service: b.serviceName }),
    t("booking.card_date", { date: formatDate(b.start, lang, timeZone) }),
    t("booking.card_time", {
      start: formatTime(b.start, timeZone),
      end: formatTime(b.end, timeZone),
    }),
  ];
  if (showStaff) lines.push(t("booking.card_staff", { staff: b.staffName }));
  return lines.join("\n");
}

/** The buttons under a reminder. */
export function reminderButtons(bookingId: number, t: Translate): InlineKeyboardButton[][] {
  return [
    [button(t("jobs.coming_button"), cb.coming.pack({ id: bookingId }))],
    [
      button(t("my.reschedule_button"), cb.reschedule.pack({ id: bookingId })),
      button(t("my.cancel_button"), cb.cancelAsk.pack({ id: bookingId })),
    ],
  ];
}

function showStaff(ctx: JobContext): boolean {
  return listActiveStaff(ctx.deps.db).length > 1;
}

/** Sends the due day-before reminders. */
export async function runDayReminders(ctx: JobContext): Promise<JobResult> {
  const { db, clock } = ctx.deps;
  const { timeZone, reminderDayBeforeHour } = ctx.config;
  const now = clock.now();
  const today = localDate(now, timeZone);
  // A reminder due by now is for a visit on today's or tomorrow's local date at the latest.
  const [, endOfTomorrow] = dayBounds(today.add({ days: 1 }), timeZone);
  const due = dayReminderCandidates(db, now + DAY_REMINDER_MIN_LEAD_MS, endOfTomorrow)
    .filter((b) => isDayReminderDue(b, now, reminderDayBeforeHour, timeZone));
  return await sendReminders(ctx, due, "day", (b, t, lang, staff) => {
    const isToday = localDate(b.start, timeZone).equals(localDate(clock.now(), timeZone));
    return t(isToday ? "jobs.reminder_day_today" : "jobs.reminder_day_tomorrow", {
      time: formatTime(b.start, timeZone),
      detailsHtml: visitDetails(b, t, lang, timeZone, staff),
    });
  });
}

/** Sends the due one-hour reminders. */
export async function runHourReminders(ctx: JobContext): Promise<JobResult> {
  const { db, clock } = ctx.deps;
  const { timeZone } = ctx.config;
  const now = clock.now();
  const due = hourReminderCandidates(db, now, now + HOUR_REMINDER_LEAD_MS)
    .filter((b) => isHourReminderDue(b, now));
  return await sendReminders(ctx, due, "hour", (b, t, lang, staff) =>
    t("jobs.reminder_hour", {
      time: formatTime(b.start, timeZone),
      detailsHtml: visitDetails(b, t, lang, timeZone, staff),
    }));
}

/** Claims and sends one reminder of `kind` per due booking, with the three buttons. */
async function sendReminders(
  ctx: JobContext,
  due: Booking[],
  kind: "day" | "hour",
  render: (b: Booking, t: Translate, lang: Lang, showStaff: boolean) => string,
): Promise<JobResult> {
  const result = { ...emptyResult(), due: due.length };
  if (due.length === 0) return result;
  const staff = showStaff(ctx);
  for (const b of due) {
    if (ctx.sender.signal.aborted) break;
    const outcome = await claimAndSend(
      ctx,
      b,
      kind === "day" ? "reminder_day" : "reminder_hour",
      (t, lang) => render(b, t, lang, staff),
      (t) => reminderButtons(b.id, t),
    );
    if (outcome === "sent") ctx.deps.metrics.remindersSentTotal.inc({ kind });
    count(result, outcome);
  }
  return result;
}

/** Both reminder kinds: the one-hour ones first, they are the more urgent. */
export async function runReminders(ctx: JobContext): Promise<JobResult> {
  const hour = await runHourReminders(ctx);
  const day = await runDayReminders(ctx);
  return {
    due: hour.due + day.due,
    done: hour.done + day.done,
    failed: hour.failed + day.failed,
    skipped: hour.skipped + day.skipped,
    note: `hour ${hour.done}/${hour.due}, day ${day.done}/${day.due}`,
  };
}
