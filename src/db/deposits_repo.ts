/** Deposits: the hold of a slot while the client pays, then the payment and its fate. */
import type { Db } from "./connection.ts";
import { stmt } from "./statements.ts";

/** Where a deposit is in its life. */
export type DepositStatus = "held" | "expired" | "paid" | "refund_due" | "refunded" | "kept";

/** One deposit row. */
export interface Deposit {
  id: number;
  userId: number;
  serviceId: number;
  staffId: number;
  start: number;
  end: number;
  clientName: string;
  phone: string;
  amountMinor: number;
  currency: string;
  status: DepositStatus;
  expiresAt: number;
  bookingId: number | null;
  telegramChargeId: string | null;
  providerChargeId: string | null;
  paidAt: number | null;
}

/** A service's deposit terms: an amount, or a percent of the price (both null: none). */
export interface DepositTerms {
  minor: number | null;
  percent: number | null;
}

/** Who must pay a deposit for a service that has one. */
export type DepositPolicy =
  | { kind: "never" }
  | { kind: "always" }
  | { kind: "no_shows"; count: number };

const SELECT = `SELECT id, user_id AS userId, service_id AS serviceId, staff_id AS staffId,
  start_at AS start, end_at AS end, client_name AS clientName, phone,
  amount_minor AS amountMinor, currency, status, expires_at AS expiresAt,
  booking_id AS bookingId, telegram_payment_charge_id AS telegramChargeId,
  provider_payment_charge_id AS providerChargeId, paid_at AS paidAt FROM deposits`;

/** One deposit by id. */
export function getDeposit(db: Db, id: number): Deposit | undefined {
  return stmt(db, `${SELECT} WHERE id = ?`).get(id) as Deposit | undefined;
}

/** The paid (or settled) deposit of a booking, if any. */
export function depositOfBooking(db: Db, bookingId: number): Deposit | undefined {
  return stmt(db, `${SELECT} WHERE booking_id = ? ORDER BY id DESC LIMIT 1`).get(bookingId) as
    | Deposit
    | undefined;
}

/** Deposits in a status, oldest first. */
export function listDeposits(db: Db, status: DepositStatus): Deposit[] {
  return stmt(db, `${SELECT} WHERE status = ? ORDER BY id`).all(status) as unknown as Deposit[];
}

/** Stores a hold; the trigger refuses it ('slot_taken') when the time is not free. */
export function insertHold(
  db: Db,
  h: Omit<
    Deposit,
    "id" | "status" | "bookingId" | "telegramChargeId" | "providerChargeId" | "paidAt" | "currency"
  >,
  now: number,
): number {
  const r = stmt(
    db,
    `INSERT INTO deposits (user_id, service_id, staff_id, start_at, end_at, client_name, phone,
       amount_minor, expires_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    h.userId,
    h.serviceId,
    h.staffId,
    h.start,
    h.end,
    h.clientName,
    h.phone,
    h.amountMinor,
    h.expiresAt,
    now,
    now,
  );
  return Number(r.lastInsertRowid);
}

/** Marks unpaid holds whose time ran out as expired; how many. */
export function expireHolds(db: Db, now: number): number {
  return Number(
    stmt(
      db,
      `UPDATE deposits SET status = 'expired', updated_at = ?
       WHERE status = 'held' AND expires_at <= ?`,
    ).run(now, now).changes,
  );
}

/** Records the payment of a hold and the booking it made. */
export function markPaid(
  db: Db,
  id: number,
  p: { telegramChargeId: string; providerChargeId: string; bookingId: number | null },
  now: number,
): void {
  stmt(
    db,
    `UPDATE deposits SET status = 'paid', telegram_payment_charge_id = ?,
       provider_payment_charge_id = ?, booking_id = ?, paid_at = ?, updated_at = ?
     WHERE id = ?`,
  ).run(p.telegramChargeId, p.providerChargeId, p.bookingId, now, now, id);
}

/** Moves a deposit on (paid -> refund_due / kept, refund_due -> refunded). */
export function setDepositStatus(
  db: Db,
  id: number,
  status: DepositStatus,
  now: number,
  actorId: number | null = null,
): void {
  stmt(
    db,
    `UPDATE deposits SET status = ?, updated_at = ?,
       refunded_at = CASE WHEN ? = 'refunded' THEN ? ELSE refunded_at END,
       refunded_by = CASE WHEN ? = 'refunded' THEN ? ELSE refunded_by END
     WHERE id = ?`,
  ).run(status, now, status, now, status, actorId, id);
}

/** Links a paid deposit to the booking it paid for. */
export function linkBooking(db: Db, id: number, bookingId: number, now: number): void {
  stmt(db, "UPDATE deposits SET booking_id = ?, updated_at = ? WHERE id = ?")
    .run(bookingId, now, id);
}

/** A service's deposit terms. */
export function getDepositTerms(db: Db, serviceId: number): DepositTerms {
  const row = stmt(
    db,
    "SELECT deposit_minor AS minor, deposit_percent AS percent FROM services WHERE id = ?",
  ).get(serviceId) as DepositTerms | undefined;
  return row ?? { minor: null, percent: null };
}

/** Sets a service's deposit terms. */
export function setDepositTerms(db: Db, serviceId: number, terms: DepositTerms, now: number): void {
  stmt(
    db,
    "UPDATE services SET deposit_minor = ?, deposit_percent = ?, updated_at = ? WHERE id = ?",
  ).run(terms.minor, terms.percent, now, serviceId);
}

/** The owners' policy (default: every service with a deposit asks for it). */
export function getDepositPolicy(db: Db): DepositPolicy {
  const rows = stmt(
    db,
    "SELECT key, value FROM settings WHERE key IN ('deposit_policy', 'deposit_no_shows')",
  ).all();
  const by = new Map(rows.map((r) => [String(r.key), String(r.value)]));
  const kind = by.get("deposit_policy");
  if (kind === "never") return { kind };
  if (kind === "no_shows") {
    return { kind, count: Math.max(1, Number(by.get("deposit_no_shows")) || 1) };
  }
  return { kind: "always" };
}

/** Stores the owners' policy. */
export function setDepositPolicy(db: Db, policy: DepositPolicy, now: number): void {
  const put = stmt(
    db,
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  put.run("deposit_policy", policy.kind, now);
  if (policy.kind === "no_shows") put.run("deposit_no_shows", String(policy.count), now);
}

/** A client's no-shows since `since`. */
export function countNoShows(db: Db, userId: number, since: number): number {
  return Number(
    stmt(
      db,
      `SELECT count(*) AS n FROM bookings
       WHERE user_id = ? AND status = 'no_show' AND deleted_at IS NULL AND start_at >= ?`,
    ).get(userId, since)!.n,
  );
}

/** A cancelled booking's paid deposit: refund due (before the cutoff) or kept (after). */
export function settleOnCancel(db: Db, bookingId: number, refund: boolean, now: number): void {
  stmt(
    db,
    `UPDATE deposits SET status = CASE WHEN ? THEN 'refund_due' ELSE 'kept' END, updated_at = ?
     WHERE booking_id = ? AND status = 'paid'`,
  ).run(refund ? 1 : 0, now, bookingId);
}
