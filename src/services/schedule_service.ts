/**
 * Schedule changes bound to one database, clock and time zone: weekly hours and breaks,
 * days off and the booking rules. Each write checks its rule and stores the change with its
 * audit record in one transaction; `conflicts` lists the bookings a change left uncovered.
 */
import type { Booking } from "../db/bookings_repo.ts";
import type { Db } from "../db/connection.ts";
import type { DayOff } from "../db/schedule_repo.ts";
import type { Clock } from "../domain/clock.ts";
import type { Conflict } from "../domain/schedule_conflicts.ts";
import type { BookingRules, MinuteSpan } from "../domain/slots.ts";
import { localDate } from "../domain/time.ts";
import {
  addDayOffEntry,
  addWeekdayBreak,
  removeDayOffEntry,
  removeWeekdayBreak,
  setBookingRule,
  setWeekdayHours,
  upcomingDaysOff,
} from "./schedule_admin.ts";
import { conflictingBookings } from "./schedule_coverage.ts";

/** A day off to add: for the whole business (staffId null) or one master. */
export interface NewDayOff {
  day: Temporal.PlainDate;
  staffId: number | null;
  reason: string;
}

/** Schedule changes; every refusal is a ScheduleError. */
export class ScheduleService {
  constructor(readonly db: Db, readonly clock: Clock, readonly timeZone: string) {}

  private act(actorId: number) {
    return { actorId, now: this.clock.now() };
  }

  /** Today in the business time zone. */
  today(): Temporal.PlainDate {
    return localDate(this.clock.now(), this.timeZone);
  }

  /** Sets the hours of a master's weekday (undefined = not a working day). */
  setHours(staffId: number, weekday: number, span: MinuteSpan | undefined, actorId: number) {
    return setWeekdayHours(this.db, staffId, weekday, span, this.act(actorId));
  }

  /** Adds a break inside the hours of a weekday; returns its id. */
  addBreak(staffId: number, weekday: number, span: MinuteSpan, actorId: number): number {
    return addWeekdayBreak(this.db, staffId, weekday, span, this.act(actorId));
  }

  /** Removes one break of a master. */
  removeBreak(staffId: number, breakId: number, actorId: number): void {
    removeWeekdayBreak(this.db, staffId, breakId, this.act(actorId));
  }

  /** Adds a day off from today on (at most three years ahead). */
  addDayOff(entry: NewDayOff, actorId: number): void {
    addDayOffEntry(this.db, entry, this.today(), this.act(actorId));
  }

  /** Removes one of the upcoming days off a master sees; returns it. */
  removeDayOff(id: number, staffId: number | undefined, actorId: number): DayOff {
    return removeDayOffEntry(this.db, id, staffId, this.today(), this.act(actorId));
  }

  /** The days off from today on that concern a master (business-wide ones included). */
  upcomingDaysOff(staffId?: number): readonly DayOff[] {
    return upcomingDaysOff(this.db, this.today(), staffId);
  }

  /** Sets one booking rule within its limits. */
  setRule(rule: keyof BookingRules, value: number, actorId: number): { changed: boolean } {
    return setBookingRule(this.db, rule, value, this.act(actorId));
  }

  /** Active future bookings the schedule no longer covers (of one master, or all). */
  conflicts(staffId?: number): Conflict<Booking>[] {
    return conflictingBookings(this.db, this.timeZone, this.clock.now(), staffId);
  }
}
