/** The waitlist's rows (migrations/0008_waitlist): who waits for which day, and their offers. */
import type { Db } from "./connection.ts";
import { stmt } from "./statements.ts";

/** A part of the day a client wants: morning before 12:00, afternoon to 17:00, evening after. */
export type DayPart = "any" | "morning" | "afternoon" | "evening";
export type WaitStatus = "waiting" | "offered" | "booked" | "left" | "expired";

/** One wait as stored. */
export interface Wait {
  id: number;
  userId: number;
  serviceId: number;
  /** Null: any master. */
  staffId: number | null;
  /** YYYY-MM-DD in the business time zone. */
  day: string;
  part: DayPart;
  status: WaitStatus;
  offerStart: number | null;
  offerStaff: number | null;
  offerUntil: number | null;
  /** Starts offered to this client and let go (not offered again). */
  passed: number[];
  createdAt: number;
}

const SELECT = `SELECT id, user_id AS userId, service_id AS serviceId, staff_id AS staffId, day,
  part, status, offer_start AS offerStart, offer_staff AS offerStaff, offer_until AS offerUntil,
  passed, created_at AS createdAt FROM waitlist`;

function parse(row: Record<string, unknown>): Wait {
  return { ...row, passed: JSON.parse(String(row.passed)) } as Wait;
}

/** A new wait; returns its id. */
export function insertWait(
  db: Db,
  w: Pick<Wait, "userId" | "serviceId" | "staffId" | "day" | "part">,
  now: number,
): number {
  const r = stmt(
    db,
    `INSERT INTO waitlist (user_id, service_id, staff_id, day, part, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(w.userId, w.serviceId, w.staffId, w.day, w.part, now, now);
  return Number(r.lastInsertRowid);
}

/** One wait by id. */
export function getWait(db: Db, id: number): Wait | undefined {
  const row = stmt(db, `${SELECT} WHERE id = ?`).get(id);
  return row ? parse(row) : undefined;
}

/** The open waits (waiting or offered) of a client from `day` on, oldest first. */
export function openWaitsOf(db: Db, userId: number, fromDay: string): Wait[] {
  return stmt(
    db,
    `${SELECT} WHERE user_id = ? AND status IN ('waiting', 'offered') AND day >= ? ORDER BY id`,
  ).all(userId, fromDay).map(parse);
}

/** The open waits of one day, or of every day from `day` on, in the order they joined. */
export function openWaits(db: Db, day: string, onlyThatDay = true): Wait[] {
  const cmp = onlyThatDay ? "=" : ">=";
  return stmt(
    db,
    `${SELECT} WHERE status IN ('waiting', 'offered') AND day ${cmp} ? ORDER BY id`,
  ).all(day).map(parse);
}

/** What changes on a wait. */
export interface WaitChanges {
  status: WaitStatus;
  offerStart?: number | null;
  offerStaff?: number | null;
  offerUntil?: number | null;
  passed?: number[];
}

/** Updates a wait's status and offer. */
export function updateWait(db: Db, id: number, c: WaitChanges, now: number): void {
  const w = getWait(db, id);
  if (!w) return;
  stmt(
    db,
    `UPDATE waitlist SET status = ?, offer_start = ?, offer_staff = ?, offer_until = ?, passed = ?,
       updated_at = ? WHERE id = ?`,
  ).run(
    c.status,
    c.offerStart === undefined ? w.offerStart : c.offerStart,
    c.offerStaff === undefined ? w.offerStaff : c.offerStaff,
    c.offerUntil === undefined ? w.offerUntil : c.offerUntil,
    JSON.stringify(c.passed ?? w.passed),
    now,
    id,
  );
}

/** Open waits of days before `day` end; returns how many. */
export function expireWaitsBefore(db: Db, day: string, now: number): number {
  return Number(
    stmt(
      db,
      `UPDATE waitlist SET status = 'expired', updated_at = ?
       WHERE status IN ('waiting', 'offered') AND day < ?`,
    ).run(now, day).changes,
  );
}
