/**
 * The outbox: messages owed by booking changes, written in the change's own transaction and
 * delivered by one sender (src/jobs/outbox.ts).
 *
 * A row is claimed with a lease (`leased_until`, `attempts + 1`) in a BEGIN IMMEDIATE
 * transaction, sent, then marked done. A sender that dies leaves its lease behind; once the
 * lease runs out (or at a start where no other bot holds the data folder) the row is claimed
 * again: at-least-once, and only a row whose request reached Telegram before the crash but
 * whose "done" did not commit can arrive twice.
 */
import { type Db, type WriteOptions, writeTransaction } from "./connection.ts";
import { stmt } from "./statements.ts";

/** What a row delivers; each kind is rendered at delivery time from the booking row. */
export type OutboxKind =
  /** The client's confirmation of a new booking, with the .ics. */
  | "confirmation"
  /** An admin changed the client's booking (payload: the booking before). */
  | "client_changed"
  /** An admin cancelled the client's booking. */
  | "client_cancelled"
  /** Admin notices of a client's new booking, move (payload: old start), cancellation. */
  | "admin_created"
  | "admin_moved"
  | "admin_cancelled"
  /** A master's notices of a new, moved (payload: old start) or cancelled booking of theirs. */
  | "master_created"
  | "master_moved"
  | "master_cancelled"
  /** A client changed the name or phone of a booking (payload: field, old, new). */
  | "admin_contact"
  /** Reminders (payload: the start they were enqueued for) and the feedback request. */
  | "reminder_day"
  | "reminder_hour"
  | "feedback"
  /** A waitlist offer of a freed time (payload: wait, start, staff; no booking: id 0). */
  | "waitlist_offer";

/** How a row ended. */
export type OutboxOutcome = "sent" | "blocked" | "rejected" | "expired" | "obsolete" | "failed";

/** Priorities: replies a person waits for first, then admins' notices, then the jobs' sends. */
export const PRIORITY: Record<OutboxKind, number> = {
  confirmation: 0,
  client_changed: 0,
  client_cancelled: 0,
  admin_created: 1,
  admin_moved: 1,
  admin_cancelled: 1,
  admin_contact: 1,
  master_created: 1,
  master_moved: 1,
  master_cancelled: 1,
  reminder_hour: 2,
  reminder_day: 2,
  feedback: 3,
  waitlist_offer: 0,
};

/** A row to write. */
export interface NewOutboxRow {
  kind: OutboxKind;
  /** The booking the message is about; 0 for none (a waitlist offer). */
  bookingId: number;
  chatId: number;
  payload?: Record<string, unknown>;
  /** Not worth sending after this instant (a reminder after the visit started). */
  expiresAt?: number | null;
}

/** A row as stored. */
export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  bookingId: number;
  chatId: number;
  payload: Record<string, unknown>;
  createdAt: number;
  notBefore: number;
  expiresAt: number | null;
  leasedUntil: number | null;
  attempts: number;
  doneAt: number | null;
  outcome: OutboxOutcome | null;
}

const SELECT = `SELECT id, kind, coalesce(booking_id, 0) AS bookingId, chat_id AS chatId, payload,
  created_at AS createdAt, not_before AS notBefore, expires_at AS expiresAt,
  leased_until AS leasedUntil, attempts, done_at AS doneAt, outcome FROM outbox`;

function parse(row: Record<string, unknown>): OutboxRow {
  return { ...row, payload: JSON.parse(String(row.payload)) } as OutboxRow;
}

/**
 * Claims and "done" marks of the sender: each is followed by a send (or the drain's end), which
 * waits for their fsync off the main thread (the durability barrier, writeTransaction).
 */
const DEFERRED: WriteOptions = { durability: "deferred" };

/** Writes rows (call inside the transaction of the change that owes them); returns how many. */
export function enqueue(db: Db, rows: readonly NewOutboxRow[], now: number): number {
  for (const r of rows) {
    stmt(
      db,
      `INSERT INTO outbox (kind, booking_id, chat_id, payload, priority, created_at, not_before,
         expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.kind,
      r.bookingId || null,
      r.chatId,
      JSON.stringify(r.payload ?? {}),
      PRIORITY[r.kind],
      now,
      now,
      r.expiresAt ?? null,
    );
  }
  return rows.length;
}

/**
 * Claims up to `limit` rows that are due, not done and not leased (or whose lease ran out),
 * most urgent first: each gets `leased_until = now + leaseMs` and one more attempt.
 */
export function claimDue(db: Db, now: number, leaseMs: number, limit: number): OutboxRow[] {
  // Most minutes nothing is owed: look first, so the write lock is taken only when needed.
  const due = `FROM outbox WHERE done_at IS NULL AND not_before <= ?
    AND (leased_until IS NULL OR leased_until <= ?)`;
  if (!stmt(db, `SELECT 1 AS x ${due} LIMIT 1`).get(now, now)) return [];
  return writeTransaction(db, () => {
    const ids = stmt(db, `SELECT id ${due} ORDER BY priority, not_before, id LIMIT ?`)
      .all(now, now, limit).map((r) => Number(r.id));
    for (const id of ids) {
      stmt(db, "UPDATE outbox SET leased_until = ?, attempts = attempts + 1 WHERE id = ?")
        .run(now + leaseMs, id);
    }
    return ids.map((id) => getOutboxRow(db, id)!);
  }, DEFERRED);
}

/** One row by id. */
export function getOutboxRow(db: Db, id: number): OutboxRow | undefined {
  const row = stmt(db, `${SELECT} WHERE id = ?`).get(id);
  return row ? parse(row) : undefined;
}

/** Rows of a booking, oldest first (tests and diagnostics). */
export function outboxOfBooking(db: Db, bookingId: number): OutboxRow[] {
  return stmt(db, `${SELECT} WHERE booking_id = ? ORDER BY id`).all(bookingId).map(parse);
}

/**
 * Marks a row done (delivered, or given up for `outcome`). Deferred durability, not relaxed:
 * the next send waits for its fsync, so a power cut still re-sends at most the one row in flight.
 */
export function markDone(db: Db, id: number, outcome: OutboxOutcome, now: number): void {
  writeTransaction(db, () => {
    stmt(db, "UPDATE outbox SET done_at = ?, outcome = ?, leased_until = NULL WHERE id = ?")
      .run(now, outcome, id);
  }, DEFERRED);
}

/** Gives a claimed row back for another attempt no earlier than `retryAt`. */
export function releaseForRetry(db: Db, id: number, retryAt: number): void {
  writeTransaction(db, () => {
    stmt(
      db,
      "UPDATE outbox SET leased_until = NULL, not_before = ? WHERE id = ? AND done_at IS NULL",
    )
      .run(retryAt, id);
  });
}

/**
 * Ends every lease at once. Only for a start where no other bot holds the data folder: the
 * leases then belong to a process that died, and its rows go out now instead of when their
 * leases run out. Returns how many rows were in flight.
 */
export function releaseAllLeases(db: Db): number {
  return writeTransaction(db, () =>
    Number(
      stmt(
        db,
        "UPDATE outbox SET leased_until = NULL WHERE done_at IS NULL AND leased_until IS NOT NULL",
      )
        .run().changes,
    ));
}

/** Whether a message to `chatId` is owed and may be sent now (due, not expired). */
export function hasOwed(db: Db, chatId: number, now: number): boolean {
  return stmt(
    db,
    `SELECT 1 AS x FROM outbox WHERE chat_id = ? AND done_at IS NULL AND not_before <= ?
       AND (expires_at IS NULL OR expires_at > ?) LIMIT 1`,
  ).get(chatId, now, now) !== undefined;
}

/** Rows not done yet (leased or not). */
export function pendingCount(db: Db): number {
  return Number(stmt(db, "SELECT count(*) AS n FROM outbox WHERE done_at IS NULL").get()!.n);
}

/** Deletes rows done before `before`; returns how many. */
export function pruneDone(db: Db, before: number): number {
  const old = "FROM outbox WHERE done_at IS NOT NULL AND done_at < ?";
  if (!stmt(db, `SELECT 1 AS x ${old} LIMIT 1`).get(before)) return 0;
  return writeTransaction(db, () => Number(stmt(db, `DELETE ${old}`).run(before).changes));
}
