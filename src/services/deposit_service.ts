/**
 * Deposits through Telegram Payments, bound to one database and clock: who must pay, the hold
 * of a slot while the client pays, the payment that confirms the booking in the same
 * transaction, expiry of unpaid holds, and the owners' settings and refunds (with audit).
 */
import { audit } from "../db/audit_repo.ts";
import type { Booking } from "../db/bookings_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import {
  countNoShows,
  type Deposit,
  type DepositPolicy,
  type DepositTerms,
  expireHolds,
  getDeposit,
  getDepositPolicy,
  getDepositTerms,
  insertHold,
  linkBooking,
  markPaid,
  setDepositPolicy,
  setDepositStatus,
  setDepositTerms,
} from "../db/deposits_repo.ts";
import type { Clock } from "../domain/clock.ts";
import { BookingError, type BookingRequest, type BookingService } from "./booking_service.ts";

const YEAR_MS = 365 * 86_400_000;

/** What a client wants to hold while paying: the booking they will get once paid. */
export type HoldRequest = BookingRequest;

/** The outcome of a payment: the booking it confirmed, or a deposit now owed back. */
export type PaymentOutcome =
  | { ok: true; booking: Booking; deposit: Deposit }
  | { ok: false; deposit: Deposit };

/** Payment ids Telegram reports with a successful payment. */
export interface Charges {
  telegramChargeId: string;
  providerChargeId: string;
}

/** The deposit part of the booking engine. */
export class DepositService {
  constructor(
    readonly db: Db,
    readonly clock: Clock,
    readonly bookings: BookingService,
    readonly holdMinutes: number,
  ) {}

  /** The deposit (minor units) a service's terms come to at `price`, or null for none. */
  static amount(terms: DepositTerms, priceMinor: number | null): number | null {
    if (terms.minor !== null) return terms.minor;
    if (terms.percent !== null && priceMinor) {
      return Math.max(1, Math.round(priceMinor * terms.percent / 100));
    }
    return null;
  }

  terms(serviceId: number): DepositTerms {
    return getDepositTerms(this.db, serviceId);
  }

  policy(): DepositPolicy {
    return getDepositPolicy(this.db);
  }

  /** The deposit a client must pay for a service at `priceMinor`, or null. */
  required(userId: number, serviceId: number, priceMinor: number | null): number | null {
    const amount = DepositService.amount(this.terms(serviceId), priceMinor);
    if (amount === null) return null;
    const policy = this.policy();
    if (policy.kind === "never") return null;
    if (policy.kind === "always") return amount;
    const since = this.clock.now() - YEAR_MS;
    return countNoShows(this.db, userId, since) >= policy.count ? amount : null;
  }

  /**
   * Holds the slot for the client while they pay, if a deposit is due; null when none is
   * (then the booking is made as usual). A taken slot throws BookingError("slot_taken").
   */
  hold(r: HoldRequest): Deposit | null {
    const now = this.clock.now();
    try {
      return writeTransaction(this.db, () => {
        expireHolds(this.db, now);
        const plan = this.bookings.plan(r.serviceId, r.staff, r.start);
        const amount = this.required(r.userId, r.serviceId, plan.priceMinor);
        if (amount === null) return null;
        const id = insertHold(this.db, {
          userId: r.userId,
          serviceId: r.serviceId,
          staffId: plan.staffId,
          start: r.start,
          end: r.start + plan.durationMinutes * 60_000,
          clientName: r.clientName,
          phone: r.phone,
          amountMinor: amount,
          expiresAt: now + this.holdMinutes * 60_000,
        }, now);
        return getDeposit(this.db, id)!;
      });
    } catch (error) {
      if (error instanceof Error && /slot_taken/.test(error.message)) {
        throw new BookingError("slot_taken");
      }
      throw error;
    }
  }

  /** The pre-checkout answer: the hold is the user's, unpaid and not expired. */
  mayPay(depositId: number, userId: number): boolean {
    const d = getDeposit(this.db, depositId);
    return d !== undefined && d.userId === userId && d.status === "held" &&
      d.expiresAt > this.clock.now();
  }

  /**
   * Records a payment and, in the same transaction, makes the booking it holds. A payment for
   * a hold no longer valid (or a booking refused) is kept as a refund due.
   */
  paid(depositId: number, userId: number, charges: Charges): PaymentOutcome | undefined {
    const now = this.clock.now();
    return writeTransaction(this.db, () => {
      const d = getDeposit(this.db, depositId);
      if (!d || d.userId !== userId) return undefined;
      const valid = d.status === "held";
      markPaid(this.db, d.id, { ...charges, bookingId: null }, now);
      this.audit(d.id, userId, "paid", charges.telegramChargeId);
      if (!valid) return this.owedBack(d, userId, now);
      try {
        const booking = this.bookings.createBooking({
          userId,
          serviceId: d.serviceId,
          staff: d.staffId,
          start: d.start,
          clientName: d.clientName,
          phone: d.phone,
        });
        linkBooking(this.db, d.id, booking.id, now);
        return { ok: true as const, booking, deposit: getDeposit(this.db, d.id)! };
      } catch (error) {
        if (!(error instanceof BookingError)) throw error;
        return this.owedBack(d, userId, now);
      }
    });
  }

  private owedBack(d: Deposit, userId: number, now: number): PaymentOutcome {
    setDepositStatus(this.db, d.id, "refund_due", now);
    this.audit(d.id, userId, "refund_due", null);
    return { ok: false, deposit: getDeposit(this.db, d.id)! };
  }

  /** Frees the slots of unpaid holds whose time ran out; how many. */
  expire(): number {
    const now = this.clock.now();
    return writeTransaction(this.db, () => expireHolds(this.db, now));
  }

  /** An owner marks a deposit due back as refunded; false when it was not due. */
  markRefunded(depositId: number, actorId: number): boolean {
    const now = this.clock.now();
    return writeTransaction(this.db, () => {
      const d = getDeposit(this.db, depositId);
      if (!d || d.status !== "refund_due") return false;
      setDepositStatus(this.db, d.id, "refunded", now, actorId);
      this.audit(d.id, actorId, "refunded", d.telegramChargeId);
      return true;
    });
  }

  /** Sets a service's deposit terms. */
  setTerms(serviceId: number, terms: DepositTerms, actorId: number): void {
    const now = this.clock.now();
    writeTransaction(this.db, () => {
      const before = getDepositTerms(this.db, serviceId);
      setDepositTerms(this.db, serviceId, terms, now);
      audit(this.db, {
        at: now,
        actorId,
        entity: "service",
        entityId: serviceId,
        action: "update",
        field: "deposit",
        oldValue: before,
        newValue: terms,
      });
    });
  }

  /** Sets who must pay deposits. */
  setPolicy(policy: DepositPolicy, actorId: number): void {
    const now = this.clock.now();
    writeTransaction(this.db, () => {
      const before = getDepositPolicy(this.db);
      setDepositPolicy(this.db, policy, now);
      audit(this.db, {
        at: now,
        actorId,
        entity: "settings",
        entityId: "deposit_policy",
        action: "update",
        field: "deposit_policy",
        oldValue: before,
        newValue: policy,
      });
    });
  }

  private audit(id: number, actorId: number, action: string, charge: string | null): void {
    audit(this.db, {
      at: this.clock.now(),
      actorId,
      entity: "deposit",
      entityId: id,
      action,
      newValue: charge,
    });
  }
}
