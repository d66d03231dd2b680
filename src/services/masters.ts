/**
 * Masters in Telegram: one-time invites linking a master's staff record to a Telegram account,
 * unlinking, and what a linked master may do with their own bookings (and nobody else's).
 */
import { createHash } from "node:crypto";
import { audit } from "../db/audit_repo.ts";
import { type Booking, type BookingStatus, listBookingsBetween } from "../db/bookings_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import {
  findStaffLink,
  insertStaffLink,
  markStaffLinkUsed,
  setStaffUser,
  staffOfUser,
  userOfStaff,
} from "../db/staff_links_repo.ts";
import { getSetting, setSetting } from "../db/profile_repo.ts";
import { getStaff } from "../db/staff_repo.ts";
import { addDayOffEntry } from "./schedule_admin.ts";
import type { Clock } from "../domain/clock.ts";
import type { BookingService } from "./booking_service.ts";
import { BookingError } from "./booking_calendar.ts";

/** The setting: masters set their own days off ("1") or ask for them (absent). */
const OWN_DAYS_OFF = "masters_own_days_off";

/** How long an invite link works. */
export const INVITE_TTL_MS = 48 * 3_600_000;

/** Why an invite was refused. */
export type InviteProblem = "unknown" | "used" | "expired" | "staff_gone" | "already_master";

/** A refused invite. */
export class InviteError extends Error {
  constructor(readonly code: InviteProblem) {
    super(`Invite refused: ${code}`);
    this.name = "InviteError";
  }
}

/** The master linked to a Telegram account. */
export interface MasterIdentity {
  id: number;
  name: string;
}

/** The statuses a master may set on their own booking. */
export type MasterMark = Extract<BookingStatus, "completed" | "no_show">;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Invites, links and a master's own bookings, bound to one database, clock and engine. */
export class MasterService {
  constructor(readonly db: Db, readonly clock: Clock, readonly bookings: BookingService) {}

  /** A new one-time token for master `staffId` (owners); only its hash is stored. */
  invite(staffId: number, actorId: number): string {
    const token = newToken();
    const now = this.clock.now();
    writeTransaction(this.db, () => {
      if (!getStaff(this.db, staffId)) throw new InviteError("staff_gone");
      insertStaffLink(this.db, {
        tokenHash: hashToken(token),
        staffId,
        createdBy: actorId,
        now,
        expiresAt: now + INVITE_TTL_MS,
      });
      audit(this.db, { at: now, actorId, entity: "staff", entityId: staffId, action: "invite" });
    });
    return token;
  }

  /** Links the account `userId` to the master the token invites; refuses a used or old one. */
  redeem(token: string, userId: number): MasterIdentity {
    const now = this.clock.now();
    const hash = hashToken(token);
    return writeTransaction(this.db, () => {
      const link = findStaffLink(this.db, hash);
      if (!link) throw new InviteError("unknown");
      if (link.usedAt !== null) throw new InviteError("used");
      if (link.expiresAt <= now) throw new InviteError("expired");
      const staff = getStaff(this.db, link.staffId);
      if (!staff) throw new InviteError("staff_gone");
      const current = staffOfUser(this.db, userId);
      if (current && current.id !== staff.id) throw new InviteError("already_master");
      const before = userOfStaff(this.db, staff.id) ?? null;
      markStaffLinkUsed(this.db, hash, userId, now);
      setStaffUser(this.db, staff.id, userId, now);
      audit(this.db, {
        at: now,
        actorId: userId,
        entity: "staff",
        entityId: staff.id,
        action: "link",
        field: "user_id",
        oldValue: before,
        newValue: userId,
      });
      return { id: staff.id, name: staff.name };
    });
  }

  /** Unlinks master `staffId` from their Telegram account (owners); false when none was. */
  unlink(staffId: number, actorId: number): boolean {
    const now = this.clock.now();
    return writeTransaction(this.db, () => {
      const before = userOfStaff(this.db, staffId);
      if (before === undefined) return false;
      setStaffUser(this.db, staffId, null, now);
      audit(this.db, {
        at: now,
        actorId,
        entity: "staff",
        entityId: staffId,
        action: "unlink",
        field: "user_id",
        oldValue: before,
        newValue: null,
      });
      return true;
    });
  }

  /** The Telegram account linked to master `staffId`, if any. */
  accountOf(staffId: number): number | undefined {
    return userOfStaff(this.db, staffId);
  }

  /** The master the account `userId` is linked to, read now (never from the session). */
  whoIs(userId: number): MasterIdentity | undefined {
    return staffOfUser(this.db, userId);
  }

  /** The bookings of the master `userId` is, starting in [from, to), active ones first in time. */
  agenda(userId: number, from: number, to: number): Booking[] {
    const me = this.whoIs(userId);
    if (!me) return [];
    return listBookingsBetween(this.db, { from, to, staffId: me.id })
      .filter((b) => b.status !== "cancelled");
  }

  /** Booking `bookingId` if it is the master's own; BookingError "forbidden" otherwise. */
  ownBooking(userId: number, bookingId: number): Booking {
    const me = this.whoIs(userId);
    if (!me) throw new BookingError("forbidden");
    const booking = this.bookings.bookingFor(bookingId, { userId, isAdmin: true });
    if (booking.staffId !== me.id) throw new BookingError("forbidden");
    return booking;
  }

  /** Marks the master's own booking done or not come (through the engine). */
  mark(userId: number, bookingId: number, status: MasterMark): Booking {
    return writeTransaction(this.db, () => {
      const booking = this.ownBooking(userId, bookingId);
      if (booking.status !== "active" && booking.status !== status) {
        throw new BookingError("not_active");
      }
      return this.bookings.setStatus(bookingId, { userId, isAdmin: true }, status);
    });
  }

  /** The master's free starts on `date` for their own booking `bookingId` (it does not count). */
  freeStarts(userId: number, bookingId: number, date: Temporal.PlainDate): number[] {
    const booking = this.ownBooking(userId, bookingId);
    return this.bookings.freeSlots(booking.serviceId, booking.staffId, date, booking.id)
      .map((s) => s.start);
  }

  /** Moves the master's own booking to `start`, keeping it theirs (the client is told). */
  move(userId: number, bookingId: number, start: number): Booking {
    return writeTransaction(this.db, () => {
      const booking = this.ownBooking(userId, bookingId);
      return this.bookings.rescheduleBooking(bookingId, { userId, isAdmin: true }, {
        start,
        staff: booking.staffId,
      });
    });
  }

  /** Whether masters set their own days off (true) or ask the owners (false, the default). */
  ownDaysOff(): boolean {
    return getSetting(this.db, OWN_DAYS_OFF) === "1";
  }

  /** Owners choose whether masters set their own days off or ask for them. */
  setOwnDaysOff(on: boolean, actorId: number): void {
    const now = this.clock.now();
    writeTransaction(this.db, () => {
      const before = this.ownDaysOff();
      if (before === on) return;
      setSetting(this.db, OWN_DAYS_OFF, on ? "1" : "", now);
      audit(this.db, {
        at: now,
        actorId,
        entity: "settings",
        entityId: OWN_DAYS_OFF,
        action: "update",
        oldValue: before,
        newValue: on,
      });
    });
  }

  /** Adds day off `day` to master `staffId` (ScheduleError when past, far or already off). */
  addDayOff(staffId: number, day: Temporal.PlainDate, actorId: number, today: Temporal.PlainDate) {
    addDayOffEntry(this.db, { day, staffId, reason: "" }, today, {
      actorId,
      now: this.clock.now(),
    });
  }

  /** Cancels the master's own booking with a reason (the client is told, as for admins). */
  cancel(userId: number, bookingId: number, reason: string): Booking {
    return writeTransaction(this.db, () => {
      this.ownBooking(userId, bookingId);
      return this.bookings.cancelBooking(bookingId, { userId, isAdmin: true }, reason);
    });
  }
}
