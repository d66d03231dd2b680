/**
 * The booking engine with storage: every create, move, cancel and edit runs the domain
 * rules inside one BEGIN IMMEDIATE transaction, and writes its audit records there too.
 */
import type { Clock } from "../domain/clock.ts";
import { canClientChange } from "../domain/policies.ts";
import { validateName, validatePhone } from "../domain/validation.ts";
import { audit, type AuditEntry } from "../db/audit_repo.ts";
import {
  type Booking,
  type BookingChanges,
  type BookingStatus,
  getBooking,
  insertBooking,
  updateBooking,
} from "../db/bookings_repo.ts";
import { type Db, type WriteOptions, writeTransaction } from "../db/connection.ts";
import { settleOnCancel } from "../db/deposits_repo.ts";
import { getService } from "../db/services_repo.ts";
import { rememberContact } from "../db/users_repo.ts";
import { type BookingChange, oweMessages } from "./owed_messages.ts";
import {
  type Actor,
  BookingCalendar,
  BookingError,
  type BookingRequest,
  type StaffChoice,
} from "./booking_calendar.ts";

export {
  type Actor,
  BookingError,
  type BookingErrorCode,
  type BookingRequest,
  type CalendarDay,
  type StaffChoice,
  type StaffSlot,
} from "./booking_calendar.ts";

function isSqliteSlotTaken(error: unknown): boolean {
  return error instanceof Error && /slot_taken/.test(error.message);
}

/**
 * A client's booking, move or cancellation is always followed by a message (the answer to the
 * press, the outbox's notices): its COMMIT skips the fsync on the main thread, and that message
 * waits for the fsync instead (the durability barrier, writeTransaction).
 */
const DEFERRED: WriteOptions = { durability: "deferred" };

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
export class BookingService extends BookingCalendar {
  constructor(
    db: Db,
    clock: Clock,
    timeZone: string,
    readonly messages: OwedMessagesOptions = {},
  ) {
    super(db, clock, timeZone);
  }

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

  /** Creates a booking if the slot is still free; throws BookingError otherwise. */
  createBooking(input: BookingRequest & { actorId?: number }): Booking {
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
      }, DEFERRED);
    } catch (error) {
      if (isSqliteSlotTaken(error)) throw new BookingError("slot_taken");
      throw error;
    }
  }

  /** A paid deposit of a cancelled booking is due back before the cutoff; else it is kept. */
  private settleDeposit(booking: Booking, now: number, status: BookingStatus): void {
    if (status !== "cancelled" && status !== "no_show") return;
    const cutoff = this.rules().cancellationCutoffHours;
    const refund = status === "cancelled" && canClientChange(booking.start, now, cutoff);
    settleOnCancel(this.db, booking.id, refund, now);
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
      this.settleDeposit(booking, now, "cancelled");
      return this.oweUpdate(booking, actor, now);
    }, DEFERRED);
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
      }, DEFERRED);
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
        this.settleDeposit(booking, now, status);
        return this.oweUpdate(booking, { ...actor, isAdmin: true }, now);
      });
    } catch (error) {
      if (isSqliteSlotTaken(error)) throw new BookingError("slot_taken");
      throw error;
    }
  }

  /** Marks that the client didn't come: only once the visit has ended (admins' one press). */
  markNoShow(bookingId: number, actor: Actor): Booking {
    const ended = (getBooking(this.db, bookingId)?.end ?? 0) <= this.clock.now();
    if (!ended) throw new BookingError("not_ended");
    return this.setStatus(bookingId, actor, "no_show");
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
