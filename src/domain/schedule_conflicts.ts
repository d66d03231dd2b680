/**
 * Which existing bookings a schedule no longer covers. A schedule change never cancels a
 * booking by itself; this tells the admin which ones to move or cancel by hand.
 */
import type { DaySchedule, InstantSpan } from "./slots.ts";
import { localDateTime, MINUTES_PER_DAY } from "./time.ts";

/** Why a booking no longer fits the schedule. */
export type ConflictReason =
  | "staff_inactive"
  | "day_off"
  | "closed"
  | "outside_hours"
  | "in_break";

/** A booking as the conflict check needs it. */
export interface ScheduledBooking extends InstantSpan {
  id: number;
  staffId: number;
}

/** What the check knows about the schedule. */
export interface ScheduleLookup {
  /** The schedule of a staff member on a local date. */
  daySchedule(staffId: number, date: Temporal.PlainDate): DaySchedule;
  /** False for staff members who no longer take bookings. */
  isStaffActive(staffId: number): boolean;
}

/** A booking with the reason it no longer fits. */
export interface Conflict<B extends ScheduledBooking> {
  booking: B;
  reason: ConflictReason;
}

/**
 * Why `booking` does not fit `schedule` of its local start date, or undefined when it
 * fits: it must lie inside the working hours, touch no break, and not fall on a day off.
 * Wall-clock minutes are compared, so DST days are judged as the clock on the wall reads.
 */
export function scheduleConflict(
  booking: InstantSpan,
  schedule: DaySchedule,
  timeZone: string,
): ConflictReason | undefined {
  if (schedule.dayOff) return "day_off";
  if (!schedule.hours) return "closed";
  const start = localDateTime(booking.start, timeZone);
  const end = localDateTime(booking.end, timeZone);
  const startMinute = start.hour * 60 + start.minute;
  const dayShift = end.toPlainDate().since(start.toPlainDate()).days;
  const endMinute = dayShift * MINUTES_PER_DAY + end.hour * 60 + end.minute;
  if (startMinute < schedule.hours.start || endMinute > schedule.hours.end) {
    return "outside_hours";
  }
  if (schedule.breaks.some((b) => b.start < endMinute && startMinute < b.end)) return "in_break";
  return undefined;
}

/** The bookings (in the given order) that the schedule no longer covers, with reasons. */
export function findConflicts<B extends ScheduledBooking>(
  bookings: readonly B[],
  lookup: ScheduleLookup,
  timeZone: string,
): Conflict<B>[] {
  const result: Conflict<B>[] = [];
  for (const booking of bookings) {
    if (!lookup.isStaffActive(booking.staffId)) {
      result.push({ booking, reason: "staff_inactive" });
      continue;
    }
    const date = localDateTime(booking.start, timeZone).toPlainDate();
    const reason = scheduleConflict(booking, lookup.daySchedule(booking.staffId, date), timeZone);
    if (reason) result.push({ booking, reason });
  }
  return result;
}
