/**
 * Bookings the current schedule no longer covers (outside hours, in a break, on a day off, with
 * an inactive master): read-only, so an admin can move or cancel them after a schedule change.
 */
import { type Conflict, findConflicts, type ScheduleLookup } from "../domain/schedule_conflicts.ts";
import type { DaySchedule, MinuteSpan } from "../domain/slots.ts";
import { localDate } from "../domain/time.ts";
import { type Booking, listBookingsBetween } from "../db/bookings_repo.ts";
import { type Db, readTransaction } from "../db/connection.ts";
import { listBreaks, listDaysOff, listWorkingHours } from "../db/schedule_repo.ts";
import { getStaff } from "../db/staff_repo.ts";

/** A schedule lookup reading the database once per master. */
function scheduleLookup(db: Db, today: Temporal.PlainDate): ScheduleLookup {
  const cache = new Map<number, {
    active: boolean;
    hours: Map<number, MinuteSpan>;
    breaks: Map<number, MinuteSpan[]>;
    daysOff: Set<string>;
  }>();
  const load = (staffId: number) => {
    let entry = cache.get(staffId);
    if (!entry) {
      const hours = new Map<number, MinuteSpan>();
      for (const h of listWorkingHours(db, staffId)) {
        hours.set(h.weekday, { start: h.start, end: h.end });
      }
      const breaks = new Map<number, MinuteSpan[]>();
      for (const b of listBreaks(db, staffId)) {
        breaks.set(b.weekday, [...(breaks.get(b.weekday) ?? []), { start: b.start, end: b.end }]);
      }
      entry = {
        active: getStaff(db, staffId)?.isActive ?? false,
        hours,
        breaks,
        daysOff: new Set(listDaysOff(db, today.toString(), staffId).map((d) => d.day)),
      };
      cache.set(staffId, entry);
    }
    return entry;
  };
  return {
    isStaffActive: (staffId) => load(staffId).active,
    daySchedule(staffId, date): DaySchedule {
      const entry = load(staffId);
      return {
        hours: entry.hours.get(date.dayOfWeek),
        breaks: entry.breaks.get(date.dayOfWeek) ?? [],
        dayOff: entry.daysOff.has(date.toString()),
      };
    },
  };
}

/**
 * Active bookings starting from `now` that the current schedule no longer covers (outside
 * hours, in a break, on a day off, or with an inactive master), soonest first. With
 * `staffId` only that master's bookings are checked.
 */
export function conflictingBookings(
  db: Db,
  timeZone: string,
  now: number,
  staffId?: number,
): Conflict<Booking>[] {
  return readTransaction(db, () => {
    const bookings = listBookingsBetween(db, {
      from: now,
      to: Number.MAX_SAFE_INTEGER,
      status: "active",
      staffId,
    });
    return findConflicts(bookings, scheduleLookup(db, localDate(now, timeZone)), timeZone);
  });
}
