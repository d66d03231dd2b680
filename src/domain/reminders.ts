/**
 * When the reminders of a booking fall due (the rules the reminder jobs apply, see
 * jobs/reminders.ts), and so which reminders a client can be promised when booking.
 */
import { localDate } from "./time.ts";

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

/** Whether the day-before reminder of a booking is due at `now`. */
export function isDayReminderDue(
  b: { start: number; createdAt: number },
  now: number,
  hour: number,
  timeZone: string,
): boolean {
  const at = dayReminderAt(b.start, hour, timeZone);
  return now >= at && b.start - now > DAY_REMINDER_MIN_LEAD_MS && b.createdAt < at &&
    b.start - b.createdAt >= DAY_REMINDER_MIN_NOTICE_MS;
}

/** Whether the one-hour reminder of a booking is due at `now`. */
export function isHourReminderDue(b: { start: number; createdAt: number }, now: number): boolean {
  const at = b.start - HOUR_REMINDER_LEAD_MS;
  return now >= at && now < b.start && b.createdAt < at;
}

/**
 * The reminders a booking made (or moved) at `madeAt` will get: each is promised only when
 * its moment is still ahead, so the confirmation never names one that cannot come.
 */
export function plannedReminders(
  start: number,
  madeAt: number,
  dayBeforeHour: number,
  timeZone: string,
): { day: boolean; hour: boolean } {
  const at = dayReminderAt(start, dayBeforeHour, timeZone);
  const day = madeAt < at && start - at > DAY_REMINDER_MIN_LEAD_MS &&
    start - madeAt >= DAY_REMINDER_MIN_NOTICE_MS;
  return { day, hour: madeAt < start - HOUR_REMINDER_LEAD_MS };
}
