/**
 * The read side of the booking engine: rules, today, a day's schedule, the masters who do a
 * service, free slots and the month calendar, read in snapshot transactions. BookingService
 * extends it with the writes.
 */
import type { Clock } from "../domain/clock.ts";
import {
  type BookingRules,
  type DaySchedule,
  dayState,
  freeSlots,
  type InstantSpan,
  type Slot,
  type SlotProblem,
  slotProblem,
  type SlotQuery,
} from "../domain/slots.ts";
import { dayBounds, localDate } from "../domain/time.ts";
import { busyForStaff } from "../db/bookings_repo.ts";
import { type Db, readTransaction } from "../db/connection.ts";
import { getRules, listBreaks, listDaysOff, listWorkingHours } from "../db/schedule_repo.ts";
import { getService, type Service } from "../db/services_repo.ts";
import { getStaff } from "../db/staff_repo.ts";
import { activeMastersOfService, getMasterTerms } from "../db/master_services_repo.ts";

/** Why a booking operation was refused; each code is a key in the locale catalogs. */
export type BookingErrorCode =
  | SlotProblem
  | "service_unavailable"
  | "staff_unavailable"
  | "staff_not_for_service"
  | "not_found"
  | "forbidden"
  | "too_late_to_change"
  | "not_active"
  | "not_ended"
  | "name_length"
  | "name_chars"
  | "phone_format";

/** A refusal the user caused; `code` maps to a translated explanation. */
export class BookingError extends Error {
  constructor(readonly code: BookingErrorCode) {
    super(code);
    this.name = "BookingError";
  }
}

/** Who asks: a client acts on their own bookings under the cutoff; an admin may do more. */
export interface Actor {
  userId: number;
  isAdmin: boolean;
}

/** A free slot together with the staff member it belongs to. */
export interface StaffSlot extends Slot {
  staffId: number;
}

/** One staff member's schedule and bookings over a range of dates. */
export interface StaffWindow {
  schedule(date: Temporal.PlainDate): DaySchedule;
  busy: InstantSpan[];
}

/** A master who does the service, with the duration and price they do it for. */
export interface Candidate {
  staffId: number;
  durationMinutes: number;
  priceMinor: number | null;
}

/** "any" lets the engine choose a free staff member. */
export type StaffChoice = number | "any";

/** Who books which service, with which master, when, under which name and phone. */
export interface BookingRequest {
  userId: number;
  serviceId: number;
  staff: StaffChoice;
  start: number;
  clientName: string;
  phone: string;
}

/** What a calendar cell shows about a day. */
/** "full": open, but every time is taken (its waitlist can be joined). */
export type CalendarDay = "past" | "unavailable" | "full" | "free";

/** How many spans start in [from, to). */
function countStartingIn(spans: InstantSpan[], from: number, to: number): number {
  let n = 0;
  for (const b of spans) if (b.start >= from && b.start < to) n++;
  return n;
}

/** Free slots, calendars and rules of one database, clock and time zone. */
export class BookingCalendar {
  constructor(
    readonly db: Db,
    readonly clock: Clock,
    readonly timeZone: string,
  ) {}

  /** The current booking rules. */
  rules(): BookingRules {
    return getRules(this.db);
  }

  /** The local date of today in the business time zone. */
  today(): Temporal.PlainDate {
    return localDate(this.clock.now(), this.timeZone);
  }

  /** The schedule of one staff member on one date. */
  daySchedule(staffId: number, date: Temporal.PlainDate): DaySchedule {
    return this.window(staffId, date, date).schedule(date);
  }

  /**
   * Everything the slot rules need about one staff member for the dates [first, last], read
   * with four queries however many days are asked (a month calendar asks for ~30).
   */
  protected window(
    staffId: number,
    first: Temporal.PlainDate,
    last: Temporal.PlainDate,
    excludeBookingId = 0,
  ): StaffWindow {
    const hours = new Map(listWorkingHours(this.db, staffId).map((h) => [h.weekday, h]));
    const breaks = listBreaks(this.db, staffId);
    const lastDay = last.toString();
    const daysOff = new Set(
      listDaysOff(this.db, first.toString(), staffId).map((d) => d.day).filter((d) => d <= lastDay),
    );
    const [from] = dayBounds(first, this.timeZone);
    const [, to] = dayBounds(last, this.timeZone);
    const busy = busyForStaff(this.db, staffId, from, to + 86_400_000, excludeBookingId);
    return {
      schedule: (date) => {
        const h = hours.get(date.dayOfWeek);
        return {
          hours: h ? { start: h.start, end: h.end } : undefined,
          breaks: breaks.filter((b) => b.weekday === date.dayOfWeek),
          dayOff: daysOff.has(date.toString()),
        };
      },
      busy,
    };
  }

  protected query(
    window: StaffWindow,
    date: Temporal.PlainDate,
    durationMinutes: number,
    rules: BookingRules,
  ): SlotQuery {
    const [from, to] = dayBounds(date, this.timeZone);
    const busy = window.busy.filter((b) => b.end > from - 86_400_000 && b.start < to + 86_400_000);
    return {
      date,
      timeZone: this.timeZone,
      durationMinutes,
      schedule: window.schedule(date),
      busy,
      bookingsThatDay: countStartingIn(busy, from, to),
      rules,
      now: this.clock.now(),
    };
  }

  /**
   * The masters a choice stands for with their terms for the service: "any" is every active
   * master who does it (one query); a named master must be active and do it.
   */
  protected staffFor(choice: StaffChoice, service: Service): Candidate[] {
    const terms = (
      t: { staffId: number; durationMinutes: number | null; priceMinor: number | null },
    ) => ({
      staffId: t.staffId,
      durationMinutes: t.durationMinutes ?? service.durationMinutes,
      priceMinor: t.priceMinor ?? service.priceMinor,
    });
    if (choice === "any") return activeMastersOfService(this.db, service.id).map(terms);
    const staff = getStaff(this.db, choice);
    if (!staff || !staff.isActive) throw new BookingError("staff_unavailable");
    const link = getMasterTerms(this.db, staff.id, service.id);
    if (!link) throw new BookingError("staff_not_for_service");
    return [terms(link)];
  }

  /** Chooses the staff member for a start time, or throws why none can take it. */
  protected pickStaff(
    choice: StaffChoice,
    service: Service,
    start: number,
    excludeBookingId = 0,
  ): Candidate {
    const date = localDate(start, this.timeZone);
    const rules = this.rules();
    let problem: SlotProblem | undefined;
    let best: { candidate: Candidate; load: number } | undefined;
    for (const candidate of this.staffFor(choice, service)) {
      const window = this.window(candidate.staffId, date, date, excludeBookingId);
      const q = this.query(window, date, candidate.durationMinutes, rules);
      const p = slotProblem(q, start);
      if (p === undefined) {
        if (!best || q.bookingsThatDay < best.load) best = { candidate, load: q.bookingsThatDay };
      } else if (problem === undefined || p === "slot_taken") {
        problem = p;
      }
    }
    if (!best) throw new BookingError(problem ?? "slot_taken");
    return best.candidate;
  }

  /** The master, length and price a new booking at `start` would get now, or a BookingError. */
  plan(serviceId: number, staff: StaffChoice, start: number): Candidate & { service: Service } {
    const service = this.bookableService(serviceId);
    return { ...this.pickStaff(staff, service, start), service };
  }

  /** The active masters who do a service (ids, in display order), for the client's choice. */
  mastersFor(serviceId: number): number[] {
    return activeMastersOfService(this.db, serviceId).map((m) => m.staffId);
  }

  protected bookableService(serviceId: number): Service {
    const service = getService(this.db, serviceId);
    if (!service || !service.isActive || service.deletedAt !== null) {
      throw new BookingError("service_unavailable");
    }
    return service;
  }

  /**
   * Free slots for a service on a date. With "any", each start time appears once, taken
   * by the staff member with the fewest bookings that day.
   */
  freeSlots(
    serviceId: number,
    choice: StaffChoice,
    date: Temporal.PlainDate,
    excludeBookingId = 0,
  ): StaffSlot[] {
    return readTransaction(this.db, () => {
      const service = this.bookableService(serviceId);
      const rules = this.rules();
      const byStart = new Map<number, StaffSlot>();
      const loadAt = new Map<number, number>();
      for (const { staffId, durationMinutes } of this.staffFor(choice, service)) {
        const window = this.window(staffId, date, date, excludeBookingId);
        const q = this.query(window, date, durationMinutes, rules);
        for (const { start, end, minute, label } of freeSlots(q)) {
          const load = loadAt.get(start);
          if (load === undefined || q.bookingsThatDay < load) {
            byStart.set(start, { start, end, minute, label, staffId });
            loadAt.set(start, q.bookingsThatDay);
          }
        }
      }
      return [...byStart.values()].sort((a, b) => a.start - b.start);
    });
  }

  /** For every day of a month: past, unavailable (closed, off, beyond horizon), full or free. */
  monthCalendar(
    serviceId: number,
    choice: StaffChoice,
    month: Temporal.PlainYearMonth,
  ): Map<string, CalendarDay> {
    return readTransaction(this.db, () => {
      const service = this.bookableService(serviceId);
      const rules = this.rules();
      const candidates = this.staffFor(choice, service);
      const first = month.toPlainDate({ day: 1 });
      const last = month.toPlainDate({ day: month.daysInMonth });
      const windows = new Map<number, StaffWindow>();
      const windowOf = (staffId: number) => {
        let w = windows.get(staffId);
        if (!w) windows.set(staffId, w = this.window(staffId, first, last));
        return w;
      };
      const result = new Map<string, CalendarDay>();
      for (let day = 1; day <= month.daysInMonth; day++) {
        const date = month.toPlainDate({ day });
        let state: CalendarDay = "unavailable";
        for (const { staffId, durationMinutes } of candidates) {
          const q = this.query(windowOf(staffId), date, durationMinutes, rules);
          const s = dayState(q);
          if (s === "past") {
            state = "past";
            break;
          }
          if (s === "open" && freeSlots(q, 1).length > 0) {
            state = "free";
            break;
          }
          if (s === "open") state = "full";
        }
        result.set(date.toString(), state);
      }
      return result;
    });
  }
}
