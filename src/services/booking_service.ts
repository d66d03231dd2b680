/**
 * The booking engine with storage: every create, move, cancel and edit runs the domain
 * rules inside one BEGIN IMMEDIATE transaction, and writes its audit records there too.
 */
import type { Clock } from "../domain/clock.ts";
import { canClientChange } from "../domain/policies.ts";
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
import { validateName, validatePhone } from "../domain/validation.ts";
import { audit, type AuditEntry } from "../db/audit_repo.ts";
import {
  type Booking,
  type BookingChanges,
  type BookingStatus,
  busyForStaff,
  getBooking,
  insertBooking,
  updateBooking,
} from "../db/bookings_repo.ts";
import { type Db, readTransaction, writeTransaction } from "../db/connection.ts";
import { getRules, listBreaks, listDaysOff, listWorkingHours } from "../db/schedule_repo.ts";
import { getService, type Service } from "../db/services_repo.ts";
import { getStaff } from "../db/staff_repo.ts";
import { activeMastersOfService, getMasterTerms } from "../db/master_services_repo.ts";
import { rememberContact } from "../db/users_repo.ts";
import { type BookingChange, oweMessages } from "./owed_messages.ts";

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
interface StaffWindow {
  schedule(date: Temporal.PlainDate): DaySchedule;
  busy: InstantSpan[];
}

/** A master who does the service, with the duration and price they do it for. */
interface Candidate {
  staffId: number;
  durationMinutes: number;
  priceMinor: number | null;
}

/** "any" lets the engine choose a free staff member. */
export type StaffChoice = number | "any";

/** What a calendar cell shows about a day. */
export type CalendarDay = "past" | "unavailable" | "free";

function isSqliteSlotTaken(error: unknown): boolean {
  return error instanceof Error && /slot_taken/.test(error.message);
}

/** How the engine treats the messages its changes owe. */
export interface OwedMessagesOptions {
  /**
   * Called after a change wrote messages to the outbox (the composition root passes the
   * outbox sender's kick, which starts delivering once the transaction has committed).
   */
  onOwed?: () => void;
  /** Changes owe no messages: for fixtures and imports of bookings made elsewhere. */
  silent?: boolean;
}

/** The booking engine bound to one database, clock and time zone. */
export class BookingService {
  constructor(
    readonly db: Db,
    readonly clock: Clock,
    readonly timeZone: string,
    readonly messages: OwedMessagesOptions = {},
  ) {}

  /** Writes the messages a change owes, unless silent, and tells the outbox sender. */
  private owe(change: BookingChange, now: number): void {
    if (this.messages.silent) return;
    if (oweMessages(this.db, change, now) > 0) this.messages.onOwed?.();
  }

  /** Writes an audit record about a booking (inside the caller's transaction). */
  private auditBooking(bookingId: number, entry: Omit<AuditEntry, "entity" | "entityId">): void {
    audit(this.db, { ...entry, entity: "booking", entityId: bookingId });
  }

  /** Writes the messages an update of a booking owes (inside the caller's transaction). */
  private oweUpdate(before: Booking, actor: Actor, now: number): Booking {
    const after = getBooking(this.db, before.id)!;
    this.owe({ type: "updated", before, after, actor }, now);
    return after;
  }

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
  private window(
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

  private query(
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
      bookingsThatDay: busy.filter((b) => b.start >= from && b.start < to).length,
      rules,
      now: this.clock.now(),
    };
  }

  /**
   * The masters a choice stands for with their terms for the service: "any" is every active
   * master who does it (one query); a named master must be active and do it.
   */
  private staffFor(choice: StaffChoice, service: Service): Candidate[] {
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

  /** The active masters who do a service (ids, in display order), for the client's choice. */
  mastersFor(serviceId: number): number[] {
    return activeMastersOfService(this.db, serviceId).map((m) => m.staffId);
  }

  private bookableService(serviceId: number): Service {
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
      const byStart = new Map<number, StaffSlot & { load: number }>();
      for (const { staffId, durationMinutes } of this.staffFor(choice, service)) {
        const window = this.window(staffId, date, date, excludeBookingId);
        const q = this.query(window, date, durationMinutes, rules);
        for (const slot of freeSlots(q)) {
          const seen = byStart.get(slot.start);
          if (!seen || q.bookingsThatDay < seen.load) {
            byStart.set(slot.start, { ...slot, staffId, load: q.bookingsThatDay });
          }
        }
      }
      return [...byStart.values()].sort((a, b) => a.start - b.start)
        .map(({ load: _load, ...slot }) => slot);
    });
  }

  /** For every day of a month: past, unavailable (closed, full, off, beyond horizon) or free. */
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
          if (s === "open" && freeSlots(q).length > 0) {
            state = "free";
            break;
          }
        }
        result.set(date.toString(), state);
      }
      return result;
    });
  }

  /** Creates a booking if the slot is still free; throws BookingError otherwise. */
  createBooking(input: {
    userId: number;
    serviceId: number;
    staff: StaffChoice;
    start: number;
    clientName: string;
    phone: string;
    actorId?: number;
  }): Booking {
    const name = validateName(input.clientName);
    if (!name.ok) throw new BookingError(name.problem);
    const phone = validatePhone(input.phone);
    if (!phone.ok) throw new BookingError(phone.problem);
    const now = this.clock.now();
    try {
      return writeTransaction(this.db, () => {
        const service = this.bookableService(input.serviceId);
        const { staffId, durationMinutes, priceMinor } = this.pickStaff(
          input.staff,
          service,
          input.start,
        );
        const id = insertBooking(this.db, {
          userId: input.userId,
          serviceId: service.id,
          staffId,
          start: input.start,
          end: input.start + durationMinutes * 60_000,
          clientName: name.value,
          phone: phone.value,
          priceMinor,
        }, now);
        rememberContact(this.db, input.userId, name.value, phone.value, now);
        this.auditBooking(id, {
          at: now,
          actorId: input.actorId ?? input.userId,
          action: "create",
          newValue: {
            serviceId: service.id,
            staffId,
            start: new Date(input.start).toISOString(),
            clientName: name.value,
            phone: phone.value,
          },
        });
        const booking = getBooking(this.db, id)!;
        const actorId = input.actorId ?? input.userId;
        this.owe({ type: "created", booking, actorId }, now);
        return booking;
      });
    } catch (error) {
      if (isSqliteSlotTaken(error)) throw new BookingError("slot_taken");
      throw error;
    }
  }

  /** Chooses the staff member for a start time, or throws why none can take it. */
  private pickStaff(
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

  /** Loads a booking the actor may act on. */
  private ownBooking(bookingId: number, actor: Actor): Booking {
    const booking = getBooking(this.db, bookingId);
    if (!booking || booking.deletedAt !== null) throw new BookingError("not_found");
    if (!actor.isAdmin && booking.userId !== actor.userId) throw new BookingError("forbidden");
    return booking;
  }

  /** A booking the actor may see, or a BookingError. */
  bookingFor(bookingId: number, actor: Actor): Booking {
    return this.ownBooking(bookingId, actor);
  }

  private assertClientMayChange(booking: Booking, actor: Actor): void {
    if (booking.status !== "active") throw new BookingError("not_active");
    if (actor.isAdmin) return;
    const cutoff = this.rules().cancellationCutoffHours;
    if (!canClientChange(booking.start, this.clock.now(), cutoff)) {
      throw new BookingError("too_late_to_change");
    }
  }

  /** Cancels an active booking (clients only before the cutoff). */
  cancelBooking(bookingId: number, actor: Actor, reason: string | null = null): Booking {
    const now = this.clock.now();
    return writeTransaction(this.db, () => {
      const booking = this.ownBooking(bookingId, actor);
      this.assertClientMayChange(booking, actor);
      updateBooking(this.db, booking.id, {
        status: "cancelled",
        cancelReason: reason,
        cancelledBy: actor.userId,
        cancelledAt: now,
      }, now);
      this.auditBooking(booking.id, {
        at: now,
        actorId: actor.userId,
        action: "cancel",
        field: "status",
        oldValue: booking.status,
        newValue: reason ? `cancelled: ${reason}` : "cancelled",
      });
      return this.oweUpdate(booking, actor, now);
    });
  }

  /** Moves a booking to a new free start (and optionally staff member, service). */
  rescheduleBooking(
    bookingId: number,
    actor: Actor,
    target: { start: number; staff?: StaffChoice; serviceId?: number },
  ): Booking {
    const now = this.clock.now();
    try {
      return writeTransaction(this.db, () => {
        const booking = this.ownBooking(bookingId, actor);
        this.assertClientMayChange(booking, actor);
        const serviceChanges = target.serviceId !== undefined &&
          target.serviceId !== booking.serviceId;
        const service = serviceChanges
          ? this.bookableService(target.serviceId!)
          : getService(this.db, booking.serviceId)!;
        const staffChoice = target.staff ?? booking.staffId;
        const picked = this.pickStaff(staffChoice, service, target.start, booking.id);
        const staffId = picked.staffId;
        const changes: BookingChanges = {
          start: target.start,
          end: target.start + picked.durationMinutes * 60_000,
          staffId,
          serviceId: service.id,
          // A move keeps the price the client booked at; another service brings its own price.
          priceMinor: serviceChanges ? picked.priceMinor : booking.priceMinor,
          // A moved visit deserves fresh reminders.
          reminderDaySentAt: null,
          reminderHourSentAt: null,
          confirmedAt: null,
        };
        updateBooking(this.db, booking.id, changes, now);
        const log = (field: string, oldValue: unknown, newValue: unknown) => {
          if (oldValue === newValue) return;
          this.auditBooking(booking.id, {
            at: now,
            actorId: actor.userId,
            action: "update",
            field,
            oldValue,
            newValue,
          });
        };
        log("start", new Date(booking.start).toISOString(), new Date(target.start).toISOString());
        log("staff_id", booking.staffId, staffId);
        log("service_id", booking.serviceId, service.id);
        log("price_minor", booking.priceMinor, changes.priceMinor);
        return this.oweUpdate(booking, actor, now);
      });
    } catch (error) {
      if (isSqliteSlotTaken(error)) throw new BookingError("slot_taken");
      throw error;
    }
  }

  /** Changes the client name and/or phone of a booking (any time before it ends). */
  updateContact(
    bookingId: number,
    actor: Actor,
    contact: { clientName?: string; phone?: string },
  ): Booking {
    const changes: BookingChanges = {};
    if (contact.clientName !== undefined) {
      const name = validateName(contact.clientName);
      if (!name.ok) throw new BookingError(name.problem);
      changes.clientName = name.value;
    }
    if (contact.phone !== undefined) {
      const phone = validatePhone(contact.phone);
      if (!phone.ok) throw new BookingError(phone.problem);
      changes.phone = phone.value;
    }
    const now = this.clock.now();
    return writeTransaction(this.db, () => {
      const booking = this.ownBooking(bookingId, actor);
      if (!actor.isAdmin && (booking.status !== "active" || booking.end <= now)) {
        throw new BookingError("not_active");
      }
      updateBooking(this.db, booking.id, changes, now);
      for (const [field, value] of Object.entries(changes)) {
        const old = booking[field as "clientName" | "phone"];
        if (old === value) continue;
        this.auditBooking(booking.id, {
          at: now,
          actorId: actor.userId,
          action: "update",
          field: field === "clientName" ? "client_name" : "phone",
          oldValue: old,
          newValue: value,
        });
      }
      if (!actor.isAdmin) {
        rememberContact(
          this.db,
          actor.userId,
          changes.clientName ?? booking.clientName,
          changes.phone ?? booking.phone,
          now,
        );
      }
      return this.oweUpdate(booking, actor, now);
    });
  }

  /** Sets a booking's status (admins): active again re-checks that its slot is free. */
  setStatus(bookingId: number, actor: Actor, status: BookingStatus): Booking {
    const now = this.clock.now();
    try {
      return writeTransaction(this.db, () => {
        const booking = this.ownBooking(bookingId, { ...actor, isAdmin: true });
        if (booking.status === status) return booking;
        const changes: BookingChanges = { status };
        if (status === "cancelled") {
          changes.cancelledAt = now;
          changes.cancelledBy = actor.userId;
        }
        updateBooking(this.db, booking.id, changes, now);
        this.auditBooking(booking.id, {
          at: now,
          actorId: actor.userId,
          action: "update",
          field: "status",
          oldValue: booking.status,
          newValue: status,
        });
        return this.oweUpdate(booking, { ...actor, isAdmin: true }, now);
      });
    } catch (error) {
      if (isSqliteSlotTaken(error)) throw new BookingError("slot_taken");
      throw error;
    }
  }

  /**
   * Brings a soft-deleted booking back (admins) as it was. One still to come and active must
   * fit the rules again; the overlap trigger refuses an active one whose time is taken now.
   */
  restoreBooking(bookingId: number, actor: Actor): Booking {
    const now = this.clock.now();
    try {
      return writeTransaction(this.db, () => {
        const booking = getBooking(this.db, bookingId);
        if (!booking || booking.deletedAt === null) throw new BookingError("not_found");
        if (booking.status === "active" && booking.start > now) {
          const service = getService(this.db, booking.serviceId)!;
          this.pickStaff(booking.staffId, service, booking.start, booking.id);
        }
        updateBooking(this.db, booking.id, { deletedAt: null }, now);
        this.auditBooking(booking.id, {
          at: now,
          actorId: actor.userId,
          action: "restore",
          field: "deleted_at",
          oldValue: new Date(booking.deletedAt).toISOString(),
          newValue: null,
        });
        return getBooking(this.db, booking.id)!;
      });
    } catch (error) {
      if (isSqliteSlotTaken(error)) throw new BookingError("slot_taken");
      throw error;
    }
  }

  /** Records the client's "I'm coming". */
  confirmAttendance(bookingId: number, actor: Actor): Booking {
    const now = this.clock.now();
    return writeTransaction(this.db, () => {
      const booking = this.ownBooking(bookingId, actor);
      if (booking.status !== "active") throw new BookingError("not_active");
      if (booking.confirmedAt === null) {
        updateBooking(this.db, booking.id, { confirmedAt: now }, now);
        this.auditBooking(booking.id, {
          at: now,
          actorId: actor.userId,
          action: "confirm",
        });
      }
      return getBooking(this.db, booking.id)!;
    });
  }
}
