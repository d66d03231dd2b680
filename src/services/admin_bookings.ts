/**
 * Admin writes on bookings that the booking engine does not do itself: soft delete and
 * cancelling a whole day. `AdminBookingsService` is bound to the database and the clock.
 */
import type { Clock } from "../domain/clock.ts";
import { dayBounds } from "../domain/time.ts";
import { audit, listAudit } from "../db/audit_repo.ts";
import {
  type Booking,
  getBooking,
  listBookingsBetween,
  updateBooking,
} from "../db/bookings_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import { type Actor, BookingError, type BookingService } from "./booking_service.ts";

// Kept where existing callers import them from; they live in domain/ and services/export.ts.
export { type PeriodPreset, presetPeriod } from "../domain/period_presets.ts";
export { bookingsCsv, EXPORT_PAGE_SIZE } from "./export.ts";

/** Why an admin operation on a booking was refused (locale key admin_bookings.error_<code>). */
export type AdminBookingErrorCode = "cancel_first";

/** A refusal of an admin booking operation. */
export class AdminBookingError extends Error {
  constructor(readonly code: AdminBookingErrorCode) {
    super(code);
    this.name = "AdminBookingError";
  }
}

/**
 * Soft-deletes a booking (sets deleted_at, audited in the same transaction). A booking that
 * is still to come must be cancelled first, so its client is always told.
 */
export function softDeleteBooking(
  db: Db,
  bookingId: number,
  actorId: number,
  now: number,
): Booking {
  return writeTransaction(db, () => {
    const booking = getBooking(db, bookingId);
    if (!booking || booking.deletedAt !== null) throw new BookingError("not_found");
    if (booking.status === "active" && booking.end > now) {
      throw new AdminBookingError("cancel_first");
    }
    updateBooking(db, booking.id, { deletedAt: now }, now);
    audit(db, {
      at: now,
      actorId,
      entity: "booking",
      entityId: booking.id,
      action: "delete",
      field: "deleted_at",
      oldValue: null,
      newValue: new Date(now).toISOString(),
    });
    return getBooking(db, booking.id)!;
  });
}

/** Active bookings starting on a local date, in time order. */
export function activeBookingsOfDay(
  db: Db,
  date: Temporal.PlainDate,
  timeZone: string,
): Booking[] {
  const [from, to] = dayBounds(date, timeZone);
  return listBookingsBetween(db, { from, to, status: "active" });
}

/** What a group cancel did. */
export interface GroupCancelResult {
  /** The bookings as they are after cancelling (each in its own audited transaction). */
  cancelled: Booking[];
  /** Bookings that could not be cancelled (e.g. changed meanwhile). */
  skipped: number;
}

/** The admin writes on bookings, bound to the database, the clock and the booking engine. */
export class AdminBookingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bookings: BookingService,
  ) {}

  /** Soft-deletes a booking now; a booking still to come must be cancelled first. */
  softDelete(bookingId: number, actor: Actor): Booking {
    return softDeleteBooking(this.db, bookingId, actor.userId, this.clock.now());
  }

  /** Restores a soft-deleted booking through the booking engine (rules, overlap, audit). */
  restore(bookingId: number, actor: Actor): Booking {
    return this.bookings.restoreBooking(bookingId, actor);
  }

  /** Who soft-deleted a booking and when, from the audit log (the latest delete). */
  deletion(bookingId: number): { actorId: number | null; at: number } | undefined {
    const { rows } = listAudit(this.db, {
      entity: "booking",
      entityId: bookingId,
      limit: 100,
      offset: 0,
    });
    const record = rows.find((r) => r.action === "delete");
    return record && { actorId: record.actorId, at: record.at };
  }

  /** Cancels the given bookings one by one through the booking engine, each audited. */
  cancelMany(
    bookingIds: readonly number[],
    actor: Actor,
    reason: string | null,
  ): GroupCancelResult {
    const cancelled: Booking[] = [];
    let skipped = 0;
    for (const id of bookingIds) {
      try {
        cancelled.push(this.bookings.cancelBooking(id, actor, reason));
      } catch (error) {
        if (!(error instanceof BookingError)) throw error;
        skipped++;
      }
    }
    return { cancelled, skipped };
  }
}
