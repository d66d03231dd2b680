/**
 * The waitlist (issue 13): a client whose day is full waits for a time to free up. When one
 * does (a cancel, a move, a deleted booking, a schedule that opens time), the waiting clients
 * whose wish it fits are offered it one at a time, in the order they joined: the offer is held
 * for one client for WAITLIST_HOLD_MINUTES, then passes to the next. An offer is an outbox row
 * written with the offer itself, so it is never lost. A claim goes through the booking engine.
 */
import type { Booking } from "../db/bookings_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import { enqueue } from "../db/outbox_repo.ts";
import { getUser } from "../db/users_repo.ts";
import { getService } from "../db/services_repo.ts";
import {
  type DayPart,
  expireWaitsBefore,
  getWait,
  insertWait,
  openWaits,
  openWaitsOf,
  updateWait,
  type Wait,
} from "../db/waitlist_repo.ts";
import type { Clock } from "../domain/clock.ts";
import { localDate, localDateTime } from "../domain/time.ts";
import { validateName, validatePhone } from "../domain/validation.ts";
import { BookingError, type BookingService, type StaffSlot } from "./booking_service.ts";

export type { DayPart, Wait };

/** At most this many open waits per client. */
export const MAX_WAITS = 3;

/** A refusal of a waitlist action; `code` maps to a translated explanation. */
/** A time held for one client's offer, on one master. */
interface Held {
  staff: number;
  start: number;
  end: number;
}

export class WaitlistError extends Error {
  constructor(readonly code: "limit" | "duplicate" | "not_found" | "offer_gone" | "no_contact") {
    super(code);
    this.name = "WaitlistError";
  }
}

/** Whether a start (local hour) falls in a part of the day. */
export function fitsPart(part: DayPart, hour: number): boolean {
  if (part === "morning") return hour < 12;
  if (part === "afternoon") return hour >= 12 && hour < 17;
  if (part === "evening") return hour >= 17;
  return true;
}

export class WaitlistService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly engine: BookingService,
    private readonly timeZone: string,
    private readonly holdMinutes: number,
    /** Called after offers were written to the outbox (the sender's kick). */
    private readonly onOffered: () => void = () => {},
  ) {}

  private today(): string {
    return localDate(this.clock.now(), this.timeZone).toString();
  }

  /** Puts a client on the waitlist of a day; at most MAX_WAITS open waits, one per wish. */
  join(w: Pick<Wait, "userId" | "serviceId" | "staffId" | "day" | "part">): number {
    const id = writeTransaction(this.db, () => {
      const open = openWaitsOf(this.db, w.userId, this.today());
      const same = open.find((o) =>
        o.day === w.day && o.serviceId === w.serviceId && o.staffId === w.staffId
      );
      if (same) throw new WaitlistError("duplicate");
      if (open.length >= MAX_WAITS) throw new WaitlistError("limit");
      return insertWait(this.db, w, this.clock.now());
    });
    this.sweepSoon();
    return id;
  }

  /** A client leaves the waitlist of one day. */
  leave(userId: number, id: number): void {
    writeTransaction(this.db, () => {
      const w = getWait(this.db, id);
      if (!w || w.userId !== userId) throw new WaitlistError("not_found");
      updateWait(this.db, id, { status: "left" }, this.clock.now());
    });
    this.sweepSoon();
  }

  /** A client's open waits, soonest day first. */
  mine(userId: number): Wait[] {
    return openWaitsOf(this.db, userId, this.today()).sort((a, b) => a.day.localeCompare(b.day));
  }

  /** The open waits of one day, in the order they joined. */
  ofDay(day: string): Wait[] {
    return openWaits(this.db, day);
  }

  /** One wait, if it is this client's. */
  waitOf(userId: number, id: number): Wait | undefined {
    const w = getWait(this.db, id);
    return w?.userId === userId ? w : undefined;
  }

  /** Looks for freed times soon (after the current change has committed). */
  sweepSoon(): void {
    queueMicrotask(() => {
      try {
        this.sweep();
      } catch {
        // The job's next tick sweeps again.
      }
    });
  }

  /**
   * Ends the waits of past days and the holds that ran out, then offers each waiting client
   * (in the order they joined) the first free time that fits their wish and is not held for
   * someone else. Returns how many offers were made.
   */
  sweep(): number {
    const now = this.clock.now();
    const offered = writeTransaction(this.db, () => {
      expireWaitsBefore(this.db, this.today(), now);
      const open = openWaits(this.db, this.today(), false);
      // Times held for a client: no other offer may overlap them (a claim of both would fail).
      const held: Held[] = [];
      for (const w of open) {
        if (w.status !== "offered") continue;
        if ((w.offerUntil ?? 0) > now) held.push(this.heldSpan(w));
        else {
          const passed = [...w.passed, w.offerStart ?? 0];
          updateWait(this.db, w.id, { status: "waiting", offerUntil: null, passed }, now);
          w.status = "waiting";
          w.passed = passed;
        }
      }
      let made = 0;
      for (const w of open) {
        if (w.status !== "waiting") continue;
        const slot = this.freeFor(w, held);
        if (!slot) continue;
        held.push({ staff: slot.staffId, start: slot.start, end: slot.end });
        this.offer(w, slot, now);
        made++;
      }
      return made;
    });
    if (offered > 0) this.onOffered();
    return offered;
  }

  /** The time an offer holds: its start, for as long as the service lasts. */
  private heldSpan(w: Wait): Held {
    const minutes = getService(this.db, w.serviceId)?.durationMinutes ?? 0;
    const start = w.offerStart ?? 0;
    return { staff: w.offerStaff ?? 0, start, end: start + minutes * 60_000 };
  }

  /** The first free time fitting a wait, not passed by its client, not held for another. */
  private freeFor(w: Wait, held: Held[]): StaffSlot | undefined {
    let slots: StaffSlot[];
    try {
      const date = Temporal.PlainDate.from(w.day);
      slots = this.engine.freeSlots(w.serviceId, w.staffId ?? "any", date);
    } catch (error) {
      if (error instanceof BookingError) return undefined;
      throw error;
    }
    return slots.find((s) =>
      !w.passed.includes(s.start) &&
      !held.some((h) => h.staff === s.staffId && s.start < h.end && h.start < s.end) &&
      fitsPart(w.part, localDateTime(s.start, this.timeZone).hour)
    );
  }

  private offer(w: Wait, slot: StaffSlot, now: number): void {
    const until = now + this.holdMinutes * 60_000;
    updateWait(this.db, w.id, {
      status: "offered",
      offerStart: slot.start,
      offerStaff: slot.staffId,
      offerUntil: until,
    }, now);
    enqueue(this.db, [{
      kind: "waitlist_offer",
      bookingId: 0,
      chatId: w.userId,
      payload: { wait: w.id, start: slot.start, staff: slot.staffId },
      expiresAt: until,
    }], now);
  }

  /**
   * Takes the time offered to a client, through the booking engine, with the name and phone
   * of their last booking. A time taken meanwhile is refused (BookingError) and the wait is
   * kept for the next time that frees up.
   */
  claim(userId: number, id: number): Booking {
    const now = this.clock.now();
    const w = getWait(this.db, id);
    if (!w || w.userId !== userId) throw new WaitlistError("not_found");
    if (w.status !== "offered" || (w.offerUntil ?? 0) <= now) throw new WaitlistError("offer_gone");
    const user = getUser(this.db, userId);
    const name = validateName(user?.lastClientName ?? "");
    const phone = validatePhone(user?.lastPhone ?? "");
    if (!name.ok || !phone.ok) throw new WaitlistError("no_contact");
    try {
      const booking = this.engine.createBooking({
        userId,
        serviceId: w.serviceId,
        staff: w.offerStaff!,
        start: w.offerStart!,
        clientName: name.value,
        phone: phone.value,
      });
      writeTransaction(this.db, () => updateWait(this.db, id, { status: "booked" }, now));
      return booking;
    } catch (error) {
      if (!(error instanceof BookingError)) throw error;
      const passed = [...w.passed, w.offerStart!];
      writeTransaction(
        this.db,
        () => updateWait(this.db, id, { status: "waiting", offerUntil: null, passed }, now),
      );
      this.sweepSoon();
      throw error;
    }
  }
}
