/** Feedback: one rating (and optional comment) per booking. */
import type { Db } from "./connection.ts";
import { type SqlValue, stmt } from "./statements.ts";

/** Feedback as shown to admins (with the client's name to anonymise). */
export interface FeedbackRow {
  id: number;
  bookingId: number;
  rating: number;
  comment: string | null;
  createdAt: number;
  serviceId: number;
  serviceName: string;
  visitStart: number;
  clientName: string;
}

/** Stores a rating; returns false when the booking already has feedback. */
export function insertFeedback(
  db: Db,
  f: { bookingId: number; userId: number; serviceId: number; rating: number },
  now: number,
): boolean {
  const result = stmt(
    db,
    `INSERT OR IGNORE INTO feedback (booking_id, user_id, service_id, rating, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(f.bookingId, f.userId, f.serviceId, f.rating, now, now);
  return Number(result.changes) > 0;
}

/** Adds the optional comment to a booking's feedback (only once, only if empty). */
export function setFeedbackComment(db: Db, bookingId: number, comment: string, now: number) {
  return Number(
    stmt(
      db,
      `UPDATE feedback SET comment = ?, updated_at = ? WHERE booking_id = ? AND comment IS NULL`,
    ).run(comment, now, bookingId).changes,
  ) > 0;
}

/** The feedback of one booking. */
export function getFeedbackForBooking(db: Db, bookingId: number) {
  return stmt(db, "SELECT rating, comment FROM feedback WHERE booking_id = ?").get(bookingId) as
    | { rating: number; comment: string | null }
    | undefined;
}

/** Filters for the feedback list. */
export interface FeedbackFilter {
  serviceId?: number;
  from?: number;
  to?: number;
}

function whereOf(f: FeedbackFilter): { clause: string; params: SqlValue[] } {
  const where = ["1 = 1"];
  const params: SqlValue[] = [];
  if (f.serviceId !== undefined) {
    where.push("f.service_id = ?");
    params.push(f.serviceId);
  }
  if (f.from !== undefined) {
    where.push("b.start_at >= ?");
    params.push(f.from);
  }
  if (f.to !== undefined) {
    where.push("b.start_at < ?");
    params.push(f.to);
  }
  return { clause: where.join(" AND "), params };
}

/** Feedback newest first, one page. */
export function listFeedback(db: Db, f: FeedbackFilter, limit: number, offset: number) {
  const { clause, params } = whereOf(f);
  return stmt(
    db,
    `SELECT f.id, f.booking_id AS bookingId, f.rating, f.comment, f.created_at AS createdAt,
       f.service_id AS serviceId, s.name AS serviceName, b.start_at AS visitStart,
       b.client_name AS clientName
     FROM feedback f JOIN bookings b ON b.id = f.booking_id JOIN services s ON s.id = f.service_id
     WHERE ${clause} ORDER BY f.created_at DESC, f.id DESC LIMIT ? OFFSET ?`,
  ).all(...params, limit, offset) as unknown as FeedbackRow[];
}

/** Count, average and the 1-5 distribution of ratings under a filter. */
export function feedbackSummary(db: Db, f: FeedbackFilter) {
  const { clause, params } = whereOf(f);
  const rows = stmt(
    db,
    `SELECT f.rating AS rating, count(*) AS n FROM feedback f JOIN bookings b ON b.id = f.booking_id
     WHERE ${clause} GROUP BY f.rating`,
  ).all(...params);
  const distribution = [0, 0, 0, 0, 0];
  let total = 0;
  let sum = 0;
  for (const r of rows) {
    const rating = Number(r.rating);
    const n = Number(r.n);
    distribution[rating - 1] = n;
    total += n;
    sum += rating * n;
  }
  return { total, average: total ? sum / total : 0, distribution };
}
