/** Bookings: stored as UTC instants with a status; never physically deleted. */
import type { InstantSpan } from "../domain/slots.ts";
import type { Db } from "./connection.ts";
import { type SqlValue, stmt } from "./statements.ts";

/** The life of a booking. */
export type BookingStatus = "active" | "cancelled" | "completed" | "no_show";

/** All booking statuses. */
export const BOOKING_STATUSES: readonly BookingStatus[] = [
  "active",
  "cancelled",
  "completed",
  "no_show",
];

/** A booking with the names of its service and staff member. */
export interface Booking {
  id: number;
  userId: number;
  serviceId: number;
  staffId: number;
  start: number;
  end: number;
  clientName: string;
  phone: string;
  status: BookingStatus;
  cancelReason: string | null;
  cancelledBy: number | null;
  cancelledAt: number | null;
  createdAt: number;
  updatedAt: number;
  reminderDaySentAt: number | null;
  reminderHourSentAt: number | null;
  feedbackRequestedAt: number | null;
  confirmedAt: number | null;
  deletedAt: number | null;
  serviceName: string;
  /** Minutes as booked: (end - start) / 60000, a generated column since migration 0002. */
  durationMinutes: number;
  /** The price as booked, in minor units; null when the service had no price then. */
  priceMinor: number | null;
  staffName: string;
}

/** The fields given when a booking is created. */
export interface NewBooking {
  userId: number;
  serviceId: number;
  staffId: number;
  start: number;
  end: number;
  clientName: string;
  phone: string;
  /** The service's price at booking time (minor units); omitted: the service's price now. */
  priceMinor?: number | null;
}

/** The query of a Booking row (with service and staff names); append WHERE/ORDER BY. */
export const BOOKING_SELECT = `SELECT b.id, b.user_id AS userId, b.service_id AS serviceId,
  b.staff_id AS staffId, b.start_at AS start, b.end_at AS end, b.client_name AS clientName,
  b.phone, b.status, b.cancel_reason AS cancelReason, b.cancelled_by AS cancelledBy,
  b.cancelled_at AS cancelledAt, b.created_at AS createdAt, b.updated_at AS updatedAt,
  b.reminder_day_sent_at AS reminderDaySentAt, b.reminder_hour_sent_at AS reminderHourSentAt,
  b.feedback_requested_at AS feedbackRequestedAt, b.confirmed_at AS confirmedAt,
  b.deleted_at AS deletedAt, s.name AS serviceName,
  b.duration_minutes AS durationMinutes, b.price_minor AS priceMinor,
  st.name AS staffName
  FROM bookings b JOIN services s ON s.id = b.service_id JOIN staff st ON st.id = b.staff_id`;

/** Inserts a booking (the overlap trigger may abort with "slot_taken"); returns its id. */
export function insertBooking(db: Db, b: NewBooking, now: number): number {
  return Number(
    stmt(
      db,
      `INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name, phone,
         price_minor, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
    ).run(
      b.userId,
      b.serviceId,
      b.staffId,
      b.start,
      b.end,
      b.clientName,
      b.phone,
      b.priceMinor ?? null,
      now,
      now,
    ).lastInsertRowid,
  );
}

/** One booking by id (soft-deleted ones included). */
export function getBooking(db: Db, id: number): Booking | undefined {
  return stmt(db, `${BOOKING_SELECT} WHERE b.id = ?`).get(id) as Booking | undefined;
}

/** Active bookings of a staff member overlapping [from, to), except `excludeId`. */
export function busyForStaff(
  db: Db,
  staffId: number,
  from: number,
  to: number,
  excludeId = 0,
): InstantSpan[] {
  return stmt(
    db,
    `SELECT start_at AS start, end_at AS end FROM bookings
     WHERE staff_id = ? AND status = 'active' AND deleted_at IS NULL
       AND start_at > ? AND start_at < ? AND end_at > ? AND id <> ?
     UNION ALL
     SELECT start_at, end_at FROM deposits
     WHERE staff_id = ? AND status = 'held' AND start_at > ? AND start_at < ? AND end_at > ?
     ORDER BY start`,
  ).all(
    staffId,
    from - 86_400_000,
    to,
    from,
    excludeId,
    staffId,
    from - 86_400_000,
    to,
    from,
  ) as unknown as InstantSpan[];
}

/** How many active bookings of a staff member start in [from, to), except `excludeId`. */
export function countActiveStarting(
  db: Db,
  staffId: number,
  from: number,
  to: number,
  excludeId = 0,
): number {
  return Number(
    stmt(
      db,
      `SELECT count(*) AS n FROM bookings
       WHERE staff_id = ? AND status = 'active' AND deleted_at IS NULL
         AND start_at >= ? AND start_at < ? AND id <> ?`,
    ).get(staffId, from, to, excludeId)!.n,
  );
}

/** A client's bookings: upcoming active ones (soonest first) or the rest (newest first). */
export function listUserBookings(
  db: Db,
  userId: number,
  kind: "upcoming" | "past",
  now: number,
  limit: number,
  offset: number,
): { rows: Booking[]; total: number } {
  const cond = kind === "upcoming"
    ? "b.status = 'active' AND b.end_at > ?"
    : "NOT (b.status = 'active' AND b.end_at > ?)";
  const order = kind === "upcoming" ? "b.start_at ASC" : "b.start_at DESC";
  const total = Number(
    stmt(
      db,
      `SELECT count(*) AS n FROM bookings b
       WHERE b.user_id = ? AND b.deleted_at IS NULL AND ${cond}`,
    ).get(userId, now)!.n,
  );
  const rows = stmt(
    db,
    `${BOOKING_SELECT} WHERE b.user_id = ? AND b.deleted_at IS NULL AND ${cond}
     ORDER BY ${order} LIMIT ? OFFSET ?`,
  ).all(userId, now, limit, offset) as unknown as Booking[];
  return { rows, total };
}

/** Filter for bookings in a period. */
export interface PeriodFilter {
  from: number;
  to: number;
  status?: BookingStatus;
  /** Soft-deleted bookings: left out (the default), included, or the only ones. */
  deleted?: DeletedRows;
  staffId?: number;
  limit?: number;
  offset?: number;
}

/** Which soft-deleted bookings a period filter reads. */
export type DeletedRows = "exclude" | "include" | "only";

/** The SQL condition on `deleted_at` (of the table alias `b.` or none) for a filter. */
function deletedCondition(f: PeriodFilter, column = "deleted_at"): string {
  const mode = f.deleted ?? "exclude";
  if (mode === "include") return "1 = 1";
  return mode === "only" ? `${column} IS NOT NULL` : `${column} IS NULL`;
}

/** Bookings starting in [from, to) (not deleted unless asked), in time order. */
export function listBookingsBetween(db: Db, f: PeriodFilter): Booking[] {
  const where = ["b.start_at >= ?", "b.start_at < ?", deletedCondition(f, "b.deleted_at")];
  const params: SqlValue[] = [f.from, f.to];
  if (f.status) {
    where.push("b.status = ?");
    params.push(f.status);
  }
  if (f.staffId !== undefined) {
    where.push("b.staff_id = ?");
    params.push(f.staffId);
  }
  params.push(f.limit ?? -1, f.offset ?? 0);
  return stmt(
    db,
    `${BOOKING_SELECT} WHERE ${where.join(" AND ")} ORDER BY b.start_at, b.id LIMIT ? OFFSET ?`,
  ).all(...params) as unknown as Booking[];
}

/** Counts bookings starting in [from, to) (not deleted unless asked), optionally of one status. */
export function countBookingsBetween(db: Db, f: PeriodFilter): number {
  const where = ["start_at >= ?", "start_at < ?", deletedCondition(f)];
  const params: SqlValue[] = [f.from, f.to];
  if (f.status) {
    where.push("status = ?");
    params.push(f.status);
  }
  return Number(
    stmt(db, `SELECT count(*) AS n FROM bookings WHERE ${where.join(" AND ")}`).get(...params)!.n,
  );
}

/** Bookings of clients matching a name, phone, @username or Telegram id, newest first. */
export function searchBookingsByClient(db: Db, query: string, limit: number, offset: number) {
  const q = query.trim().replace(/^@/, "");
  const digits = q.replace(/\D/g, "");
  const like = `%${q.replace(/[%_\\]/g, (c) => "\\" + c)}%`;
  const phoneLike = digits.length >= 4 ? `%${digits}%` : "\u0000";
  const id = /^\d+$/.test(q) ? Number(q) : -1;
  return stmt(
    db,
    `${BOOKING_SELECT} LEFT JOIN users u ON u.id = b.user_id
     WHERE b.deleted_at IS NULL AND (b.user_id = ? OR b.client_name LIKE ? ESCAPE '\\'
       OR b.phone LIKE ? OR lower(u.username) = lower(?))
     ORDER BY b.start_at DESC LIMIT ? OFFSET ?`,
  ).all(id, like, phoneLike, q, limit, offset) as unknown as Booking[];
}

/** Booking columns that may be changed after creation. */
export interface BookingChanges {
  serviceId?: number;
  staffId?: number;
  start?: number;
  end?: number;
  /** The price as booked; changes only with the service (admin editor). */
  priceMinor?: number | null;
  clientName?: string;
  phone?: string;
  status?: BookingStatus;
  cancelReason?: string | null;
  cancelledBy?: number | null;
  cancelledAt?: number | null;
  reminderDaySentAt?: number | null;
  reminderHourSentAt?: number | null;
  feedbackRequestedAt?: number | null;
  confirmedAt?: number | null;
  deletedAt?: number | null;
}

const CHANGE_COLUMNS: Record<keyof BookingChanges, string> = {
  serviceId: "service_id",
  staffId: "staff_id",
  start: "start_at",
  end: "end_at",
  priceMinor: "price_minor",
  clientName: "client_name",
  phone: "phone",
  status: "status",
  cancelReason: "cancel_reason",
  cancelledBy: "cancelled_by",
  cancelledAt: "cancelled_at",
  reminderDaySentAt: "reminder_day_sent_at",
  reminderHourSentAt: "reminder_hour_sent_at",
  feedbackRequestedAt: "feedback_requested_at",
  confirmedAt: "confirmed_at",
  deletedAt: "deleted_at",
};

/** Applies changes to a booking (the overlap trigger may abort with "slot_taken"). */
export function updateBooking(db: Db, id: number, changes: BookingChanges, now: number): void {
  const keys = (Object.keys(changes) as (keyof BookingChanges)[])
    .filter((k) => changes[k] !== undefined);
  if (keys.length === 0) return;
  const sets = keys.map((k) => `${CHANGE_COLUMNS[k]} = ?`).join(", ");
  const values = keys.map((k) => changes[k] as SqlValue);
  stmt(db, `UPDATE bookings SET ${sets}, updated_at = ? WHERE id = ?`).run(...values, now, id);
}
