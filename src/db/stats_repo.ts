/**
 * Aggregates over bookings for the statistics. Every query ranges over the bookings_start
 * index (start_at) and groups in SQL, so a period costs the same on a million bookings as
 * on a hundred: only a handful of rows come back to JavaScript.
 */
import type { BookingStatus } from "./bookings_repo.ts";
import type { Db } from "./connection.ts";
import { stmt } from "./statements.ts";

/** Bookings starting in a range, by status. */
export type StatusCounts = Record<BookingStatus, number>;

/** Counts of the bookings (not soft-deleted) starting in [from, to), by status. */
export function countByStatus(db: Db, from: number, to: number): StatusCounts {
  const counts: StatusCounts = { active: 0, cancelled: 0, completed: 0, no_show: 0 };
  const rows = stmt(
    db,
    `SELECT status, count(*) AS n FROM bookings
     WHERE start_at >= ? AND start_at < ? AND deleted_at IS NULL GROUP BY status`,
  ).all(from, to);
  for (const r of rows) counts[r.status as BookingStatus] = Number(r.n);
  return counts;
}

/** The figures of one service in a range. */
export interface ServiceFigures {
  serviceId: number;
  name: string;
  /** All bookings of the service starting in the range, whatever their status. */
  bookings: number;
  /** Bookings that happened or will: active, completed and no-show. */
  kept: number;
  /** Minutes taken in the staff's time by kept bookings. */
  bookedMinutes: number;
  /** Sum of the booked prices of active and completed bookings; null when none carries a price. */
  revenueMinor: number | null;
}

/**
 * Per service: bookings, kept bookings, booked minutes and revenue (the prices the active and
 * completed bookings were booked at, not the service's price today, plus the deposits kept of
 * cancelled and missed ones), most booked first.
 */
export function serviceFigures(db: Db, from: number, to: number): ServiceFigures[] {
  const rows = stmt(
    db,
    `SELECT g.service_id AS serviceId, s.name AS name, g.n AS bookings, g.kept AS kept,
       g.ms AS bookedMs,
       CASE WHEN g.priced = 0 THEN NULL ELSE g.revenue END AS revenueMinor
     FROM (
       SELECT service_id, count(*) AS n,
         sum(status <> 'cancelled') AS kept,
         sum(CASE WHEN status <> 'cancelled' THEN end_at - start_at ELSE 0 END) AS ms,
         count(price_minor) AS priced,
         total(CASE WHEN status IN ('active', 'completed') THEN price_minor
           ELSE (SELECT total(d.amount_minor) FROM deposits d
                 WHERE d.booking_id = bookings.id AND d.status = 'kept') END) AS revenue
       FROM bookings
       WHERE start_at >= ? AND start_at < ? AND deleted_at IS NULL
       GROUP BY service_id
     ) g JOIN services s ON s.id = g.service_id
     ORDER BY g.n DESC, s.display_order, s.id`,
  ).all(from, to);
  return rows.map((r) => ({
    serviceId: Number(r.serviceId),
    name: String(r.name),
    bookings: Number(r.bookings),
    kept: Number(r.kept),
    bookedMinutes: Number(r.bookedMs) / 60_000,
    revenueMinor: r.revenueMinor === null ? null : Number(r.revenueMinor),
  }));
}

/**
 * How many bookings (cancelled included, soft-deleted not) start in each of the given
 * [from, to) ranges. The ranges go in as one JSON parameter; SQLite walks the start_at
 * index once per range, so the result is one small row per range.
 */
export function countInRanges(db: Db, ranges: [number, number][]): number[] {
  return perRange(db, ranges, "");
}

/** Like countInRanges, counting only the cancelled bookings. */
export function countCancelledInRanges(db: Db, ranges: [number, number][]): number[] {
  return perRange(db, ranges, "AND b.status = 'cancelled'");
}

function perRange(db: Db, ranges: [number, number][], condition: string): number[] {
  const rows = stmt(
    db,
    `WITH r(i, lo, hi) AS (
       SELECT CAST(key AS INTEGER), CAST(value ->> 0 AS INTEGER), CAST(value ->> 1 AS INTEGER)
       FROM json_each(?)
     )
     SELECT r.i AS i,
       (SELECT count(*) FROM bookings b
        WHERE b.start_at >= r.lo AND b.start_at < r.hi AND b.deleted_at IS NULL ${condition}) AS n
     FROM r`,
  ).all(JSON.stringify(ranges));
  const counts = ranges.map(() => 0);
  for (const r of rows) counts[Number(r.i)] = Number(r.n);
  return counts;
}

/** The count of soft-deleted bookings that started (or would have) in [from, to). */
export function countDeleted(db: Db, from: number, to: number): number {
  return Number(
    stmt(
      db,
      `SELECT count(*) AS n FROM bookings
       WHERE start_at >= ? AND start_at < ? AND deleted_at IS NOT NULL`,
    ).get(from, to)!.n,
  );
}

/** Kept bookings (not cancelled, not deleted) in [from, to) per quarter hour of their start. */
export function keptByQuarterHour(
  db: Db,
  from: number,
  to: number,
): { quarter: number; count: number }[] {
  return stmt(
    db,
    `SELECT start_at / 900000 AS quarter, count(*) AS count FROM bookings
     WHERE start_at >= ? AND start_at < ? AND deleted_at IS NULL AND status <> 'cancelled'
     GROUP BY quarter`,
  ).all(from, to).map((r) => ({ quarter: Number(r.quarter), count: Number(r.count) }));
}

/** The first and the last start of the bookings (not soft-deleted), if there is any. */
export function bookingStartSpan(db: Db): { first: number; last: number } | undefined {
  const row = stmt(
    db,
    `SELECT min(start_at) AS first, max(start_at) AS last FROM bookings WHERE deleted_at IS NULL`,
  ).get();
  return row?.first === null || row === undefined
    ? undefined
    : { first: Number(row.first), last: Number(row.last) };
}

/** The count of bookings (not soft-deleted) starting in [from, to). */
export function countStarting(db: Db, from: number, to: number): number {
  return Number(
    stmt(
      db,
      `SELECT count(*) AS n FROM bookings
       WHERE start_at >= ? AND start_at < ? AND deleted_at IS NULL`,
    ).get(from, to)!.n,
  );
}

/** Services that have feedback (for the feedback filter), in display order. */
export function servicesWithFeedback(db: Db): { id: number; name: string; count: number }[] {
  return stmt(
    db,
    `SELECT s.id AS id, s.name AS name, count(*) AS count
     FROM feedback f JOIN services s ON s.id = f.service_id
     GROUP BY s.id ORDER BY s.display_order, s.name, s.id`,
  ).all().map((r) => ({ id: Number(r.id), name: String(r.name), count: Number(r.count) }));
}
