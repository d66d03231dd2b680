/**
 * Who is told what about a booking change: the rows a change writes to the outbox, inside the
 * change's own transaction (src/db/outbox_repo.ts). The one who made the change sees it on
 * their screen; the other side gets a message: a client's new booking, move or cancellation
 * goes to the admins, an admin's change or cancellation goes to the client. A new booking also
 * owes the client the confirmation with the .ics.
 */
import { listAdmins } from "../db/admins_repo.ts";
import type { Booking } from "../db/bookings_repo.ts";
import type { Db } from "../db/connection.ts";
import { enqueue, type NewOutboxRow, type OutboxKind } from "../db/outbox_repo.ts";
import { userOfStaff } from "../db/staff_links_repo.ts";

/** A change of a booking, as the outbox needs to know it. */
export type BookingChange =
  | { type: "created"; booking: Booking; actorId: number }
  | {
    type: "updated";
    before: Booking;
    after: Booking;
    actor: { userId: number; isAdmin: boolean };
  };

/** The fields a client is told about when an admin changes them. */
const TOLD_FIELDS = ["start", "serviceName", "staffName", "clientName", "phone", "status"] as const;

/** Writes the messages `change` owes (call inside the change's transaction); how many. */
export function oweMessages(db: Db, change: BookingChange, now: number): number {
  return enqueue(db, [...owedBy(db, change), ...owedToMasters(db, change)], now);
}

/**
 * The notices a change owes the masters linked in Telegram: a new booking, a move, a
 * cancellation of theirs (a booking moved to another master is new to one, gone for the other);
 * nobody is told about their own change.
 */
function owedToMasters(db: Db, change: BookingChange): NewOutboxRow[] {
  if (change.type === "created") {
    const b = change.booking;
    return toMaster(db, "master_created", b.staffId, b.id, change.actorId);
  }
  const { before, after, actor } = change;
  const tell = (kind: OutboxKind, staffId: number, payload: Record<string, unknown> = {}) =>
    toMaster(db, kind, staffId, after.id, actor.userId, payload);
  if (after.status === "cancelled" && before.status !== "cancelled") {
    return tell("master_cancelled", after.staffId);
  }
  if (after.status !== "active") return [];
  if (before.staffId !== after.staffId) {
    return [...tell("master_cancelled", before.staffId), ...tell("master_created", after.staffId)];
  }
  return before.start === after.start ? [] : tell("master_moved", after.staffId, {
    from: before.start,
  });
}

/** One notice to the master `staffId` if linked in Telegram and not the one who acted. */
function toMaster(
  db: Db,
  kind: OutboxKind,
  staffId: number,
  bookingId: number,
  actorId: number,
  payload: Record<string, unknown> = {},
): NewOutboxRow[] {
  const chatId = userOfStaff(db, staffId);
  return chatId === undefined || chatId === actorId ? [] : [{ kind, bookingId, chatId, payload }];
}

function owedBy(db: Db, change: BookingChange): NewOutboxRow[] {
  if (change.type === "created") {
    const b = change.booking;
    const byAdmin = change.actorId !== b.userId;
    return [
      { kind: "confirmation", bookingId: b.id, chatId: b.userId },
      ...toAdmins(db, "admin_created", b.id, {}, byAdmin ? change.actorId : undefined),
    ];
  }
  const { before, after, actor } = change;
  if (actor.isAdmin) {
    if (after.status === "cancelled" && before.status !== "cancelled") {
      return [{ kind: "client_cancelled", bookingId: after.id, chatId: after.userId }];
    }
    if (!TOLD_FIELDS.some((k) => before[k] !== after[k])) return [];
    const payload = Object.fromEntries(TOLD_FIELDS.map((k) => [k, before[k]]));
    return [{ kind: "client_changed", bookingId: after.id, chatId: after.userId, payload }];
  }
  if (after.status === "cancelled" && before.status !== "cancelled") {
    return toAdmins(db, "admin_cancelled", after.id);
  }
  const rows: NewOutboxRow[] = [];
  if (before.start !== after.start) {
    rows.push(...toAdmins(db, "admin_moved", after.id, { from: before.start }));
  }
  for (const field of ["clientName", "phone"] as const) {
    if (before[field] === after[field]) continue;
    rows.push(...toAdmins(db, "admin_contact", after.id, {
      field: field === "clientName" ? "name" : "phone",
      old: before[field],
      new: after[field],
    }));
  }
  return rows;
}

/** One notice of `kind` about a booking to every admin but `exceptUserId`. */
function toAdmins(
  db: Db,
  kind: OutboxKind,
  bookingId: number,
  payload: Record<string, unknown> = {},
  exceptUserId?: number,
): NewOutboxRow[] {
  return listAdmins(db).filter((a) => a.userId !== exceptUserId)
    .map((a) => ({ kind, bookingId, chatId: a.userId, payload }));
}
