/**
 * Queries of the scheduled jobs: what is due, and the marks that put each per-booking send
 * into the outbox once per booking and kind (also across a crash or a second process).
 */
import { audit } from "./audit_repo.ts";
import { type Booking, BOOKING_SELECT } from "./bookings_repo.ts";
import { type Db, flushWriteBehind, writeTransaction } from "./connection.ts";
import { enqueue } from "./outbox_repo.ts";
import { stmt } from "./statements.ts";

/** The per-booking sends of the jobs, each with its own "enqueued at" column. */
export type BookingSendKind = "reminder_day" | "reminder_hour" | "feedback";

const CLAIM_COLUMN: Record<BookingSendKind, string> = {
  reminder_day: "reminder_day_sent_at",
  reminder_hour: "reminder_hour_sent_at",
  feedback: "feedback_requested_at",
};

/** The state a booking must still be in when it is claimed, per kind. */
const CLAIM_STATUS: Record<BookingSendKind, string> = {
  reminder_day: "active",
  reminder_hour: "active",
  feedback: "completed",
};

/** Active bookings without a day-before reminder starting in (from, to), soonest first. */
export function dayReminderCandidates(db: Db, from: number, to: number): Booking[] {
  return stmt(
    db,
    `${BOOKING_SELECT} WHERE b.status = 'active' AND b.deleted_at IS NULL
       AND b.reminder_day_sent_at IS NULL AND b.start_at > ? AND b.start_at < ?
     ORDER BY b.start_at, b.id`,
  ).all(from, to) as unknown as Booking[];
}

/** Active bookings without a one-hour reminder starting in (from, to], soonest first. */
export function hourReminderCandidates(db: Db, from: number, to: number): Booking[] {
  return stmt(
    db,
    `${BOOKING_SELECT} WHERE b.status = 'active' AND b.deleted_at IS NULL
       AND b.reminder_hour_sent_at IS NULL AND b.start_at > ? AND b.start_at <= ?
     ORDER BY b.start_at, b.id`,
  ).all(from, to) as unknown as Booking[];
}

/**
 * Completed bookings that ended in [endedFrom, endedTo], were not asked for feedback yet and
 * have none, oldest first.
 */
export function feedbackRequestCandidates(db: Db, endedFrom: number, endedTo: number): Booking[] {
  // A booking lasts at most a day (a CHECK in the schema): the start bound lets the start_at
  // index narrow the search instead of scanning every booking each minute.
  return stmt(
    db,
    `${BOOKING_SELECT} WHERE b.status = 'completed' AND b.deleted_at IS NULL
       AND b.feedback_requested_at IS NULL AND b.end_at >= ? AND b.end_at <= ?
       AND b.start_at > ? AND b.start_at <= ?
       AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.booking_id = b.id)
     ORDER BY b.end_at, b.id`,
  ).all(endedFrom, endedTo, endedFrom - 86_400_000, endedTo) as unknown as Booking[];
}

/** One per-booking send a job found due. */
export interface DueSend {
  booking: Pick<Booking, "id" | "userId" | "start">;
  kind: BookingSendKind;
  /** Not worth sending after this instant. */
  expiresAt: number;
}

/**
 * Puts due sends into the outbox in one transaction: each booking's column for the kind is set
 * to `now` (if still empty, and the booking still in the expected state at the expected start)
 * and its outbox row written with it, so a send is enqueued once and never lost. Returns how
 * many were enqueued (the others were enqueued already, or the booking changed).
 */
export function enqueueBookingSends(db: Db, sends: readonly DueSend[], now: number): number {
  if (sends.length === 0) return 0;
  return writeTransaction(db, () => {
    let enqueued = 0;
    for (const { booking, kind, expiresAt } of sends) {
      const column = CLAIM_COLUMN[kind];
      const marked = Number(
        stmt(
          db,
          `UPDATE bookings SET ${column} = ?
           WHERE id = ? AND ${column} IS NULL AND status = ? AND deleted_at IS NULL
             AND start_at = ?`,
        ).run(now, booking.id, CLAIM_STATUS[kind], booking.start).changes,
      ) === 1;
      if (!marked) continue;
      enqueue(db, [{
        kind,
        bookingId: booking.id,
        chatId: booking.userId,
        payload: { start: booking.start },
        expiresAt,
      }], now);
      enqueued++;
    }
    return enqueued;
  });
}

/**
 * Marks every active booking that has ended by `now` as completed, audited as a system action
 * (actor NULL), in one write transaction. Returns the ids.
 */
export function completeEndedBookings(db: Db, now: number): number[] {
  // Most minutes nothing ended: look first, so the write lock is taken only when needed.
  const anyEnded = stmt(
    db,
    `SELECT 1 AS x FROM bookings WHERE status = 'active' AND deleted_at IS NULL AND end_at <= ?
     LIMIT 1`,
  ).get(now);
  if (!anyEnded) return [];
  return writeTransaction(db, () => {
    const ids = stmt(
      db,
      `SELECT id FROM bookings WHERE status = 'active' AND deleted_at IS NULL AND end_at <= ?
       ORDER BY end_at, id`,
    ).all(now).map((r) => Number(r.id));
    for (const id of ids) {
      stmt(db, "UPDATE bookings SET status = 'completed', updated_at = ? WHERE id = ?").run(
        now,
        id,
      );
      audit(db, {
        at: now,
        actorId: null,
        entity: "booking",
        entityId: id,
        action: "update",
        field: "status",
        oldValue: "active",
        newValue: "completed",
      });
    }
    return ids;
  });
}

/** Bookings of the day [from, to) to show in the admins' agenda (not cancelled), in time order. */
export function agendaBookings(db: Db, from: number, to: number): Booking[] {
  return stmt(
    db,
    `${BOOKING_SELECT} WHERE b.start_at >= ? AND b.start_at < ? AND b.deleted_at IS NULL
       AND b.status <> 'cancelled'
     ORDER BY b.start_at, b.staff_id, b.id`,
  ).all(from, to) as unknown as Booking[];
}

/** Whether a once-per-key job run (e.g. the agenda of a date) is recorded. */
export function hasJobMark(db: Db, kind: string, key: string): boolean {
  return stmt(db, "SELECT 1 AS x FROM job_marks WHERE kind = ? AND key = ?").get(kind, key) !==
    undefined;
}

/** Records a once-per-key job run; true when this caller recorded it first. */
export function claimJobMark(db: Db, kind: string, key: string, now: number): boolean {
  return writeTransaction(db, () =>
    Number(
      stmt(db, "INSERT OR IGNORE INTO job_marks (kind, key, done_at) VALUES (?, ?, ?)")
        .run(kind, key, now).changes,
    ) === 1);
}

/** Removes a job mark (its send surely failed), so a later tick retries. */
export function releaseJobMark(db: Db, kind: string, key: string, doneAt: number): void {
  writeTransaction(db, () => {
    stmt(db, "DELETE FROM job_marks WHERE kind = ? AND key = ? AND done_at = ?")
      .run(kind, key, doneAt);
  });
}

/** A message the bot sent with an inline keyboard. */
export interface TrackedMessage {
  chatId: number;
  messageId: number;
  sentAt: number;
}

/** Remembers a sent message with an inline keyboard for the cleanup job. */
export function recordBotMessage(db: Db, chatId: number, messageId: number, sentAt: number): void {
  stmt(
    db,
    "INSERT OR IGNORE INTO bot_messages (chat_id, message_id, sent_at) VALUES (?, ?, ?)",
  ).run(chatId, messageId, sentAt);
}

/**
 * Tracked messages not yet deleted, sent in (notBefore, sentBy], oldest first; those still held
 * back by this connection's bookkeeping batch are written first.
 */
export function messagesToClean(
  db: Db,
  notBefore: number,
  sentBy: number,
  limit: number,
): TrackedMessage[] {
  flushWriteBehind(db);
  return stmt(
    db,
    `SELECT chat_id AS chatId, message_id AS messageId, sent_at AS sentAt FROM bot_messages
     WHERE deleted_at IS NULL AND sent_at > ? AND sent_at <= ?
     ORDER BY sent_at LIMIT ?`,
  ).all(notBefore, sentBy, limit) as unknown as TrackedMessage[];
}

/** Marks a tracked message as dealt with (deleted, or gone already). */
export function markMessageDeleted(db: Db, chatId: number, messageId: number, now: number): void {
  stmt(
    db,
    "UPDATE bot_messages SET deleted_at = ? WHERE chat_id = ? AND message_id = ? AND deleted_at IS NULL",
  ).run(now, chatId, messageId);
}

/** Whether the user is marked as having blocked the bot. */
export function isUserBlocked(db: Db, userId: number): boolean {
  const row = stmt(db, "SELECT blocked_at FROM users WHERE id = ?").get(userId);
  return row !== undefined && row.blocked_at !== null;
}
