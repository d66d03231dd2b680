/**
 * Reminders: the day before at REMINDER_DAY_BEFORE_HOUR (business time) and one hour before
 * the visit, each with "I'm coming" / "Reschedule" / "Cancel". Due-ness is computed from the
 * database and the clock on every tick, so a reminder that fell due while the bot was down goes
 * out when it is back, while still useful.
 *
 * Rules (src/domain/reminders.ts, which also tells a client which reminders will come):
 * - Day before: due from HH:00 local on the day before the visit's local date, while the visit
 *   is more than 2 hours away (closer than that the one-hour reminder follows within the hour).
 *   No day-before reminder for a booking made less than 24 hours before its start, or made
 *   after that HH:00 moment: the client has just seen the confirmation.
 * - One hour before: due from start - 60 min until the start; not for a booking made inside
 *   that hour.
 */
import type { Booking } from "../db/bookings_repo.ts";
import {
  dayReminderCandidates,
  enqueueBookingSends,
  hourReminderCandidates,
} from "../db/jobs_repo.ts";
import { dayBounds, localDate } from "../domain/time.ts";
import {
  DAY_REMINDER_MIN_LEAD_MS,
  HOUR_REMINDER_LEAD_MS,
  isDayReminderDue,
  isHourReminderDue,
} from "../domain/reminders.ts";
import { emptyResult, isBlocked, type JobContext, type JobResult } from "./context.ts";

/** Puts the due day-before reminders into the outbox. */
export function runDayReminders(ctx: JobContext): Promise<JobResult> {
  const { db, clock } = ctx.deps;
  const { timeZone, reminderDayBeforeHour } = ctx.config;
  const now = clock.now();
  const today = localDate(now, timeZone);
  // A reminder due by now is for a visit on today's or tomorrow's local date at the latest.
  const [, endOfTomorrow] = dayBounds(today.add({ days: 1 }), timeZone);
  const due = dayReminderCandidates(db, now + DAY_REMINDER_MIN_LEAD_MS, endOfTomorrow)
    .filter((b) => isDayReminderDue(b, now, reminderDayBeforeHour, timeZone));
  return Promise.resolve(
    enqueueReminders(ctx, due, "reminder_day", (b) => b.start - DAY_REMINDER_MIN_LEAD_MS),
  );
}

/** Puts the due one-hour reminders into the outbox. */
export function runHourReminders(ctx: JobContext): Promise<JobResult> {
  const now = ctx.deps.clock.now();
  const due = hourReminderCandidates(ctx.deps.db, now, now + HOUR_REMINDER_LEAD_MS)
    .filter((b) => isHourReminderDue(b, now));
  return Promise.resolve(enqueueReminders(ctx, due, "reminder_hour", (b) => b.start));
}

/**
 * Enqueues one reminder of `kind` per due booking, in one transaction that marks them (the
 * outbox job of the same tick sends them). A user who blocked the bot is left unmarked: if
 * they come back, a still-due reminder goes out.
 */
function enqueueReminders(
  ctx: JobContext,
  due: Booking[],
  kind: "reminder_day" | "reminder_hour",
  expiresAt: (b: Booking) => number,
): JobResult {
  const reachable = due.filter((b) => !isBlocked(ctx.deps, b.userId));
  const sends = reachable.map((booking) => ({ booking, kind, expiresAt: expiresAt(booking) }));
  const done = enqueueBookingSends(ctx.deps.db, sends, ctx.deps.clock.now());
  return { ...emptyResult(), due: due.length, done, skipped: due.length - done };
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
