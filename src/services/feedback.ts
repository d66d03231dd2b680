/**
 * Feedback after a visit: a 1-5 rating (once per booking, audited) and an optional comment.
 * Each write runs its rule and audit record in one BEGIN IMMEDIATE transaction.
 */
import type { Clock } from "../domain/clock.ts";
import { audit } from "../db/audit_repo.ts";
import { getBooking } from "../db/bookings_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import { insertFeedback, setFeedbackComment } from "../db/feedback_repo.ts";

/** How a rating ended. */
export type RateOutcome = "stored" | "already" | "not_found";

/** Ratings and comments of clients. */
export class FeedbackService {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** Stores `stars` for the user's own completed booking, once. */
  rate(bookingId: number, userId: number, stars: number): RateOutcome {
    const db = this.db;
    const booking = getBooking(db, bookingId);
    if (!booking || booking.userId !== userId || booking.status !== "completed") {
      return "not_found";
    }
    const now = this.clock.now();
    return writeTransaction(db, () => {
      const inserted = insertFeedback(db, {
        bookingId,
        userId,
        serviceId: booking.serviceId,
        rating: stars,
      }, now);
      if (!inserted) return "already";
      audit(db, {
        at: now,
        actorId: userId,
        entity: "booking",
        entityId: bookingId,
        action: "feedback",
        field: "rating",
        newValue: stars,
      });
      return "stored";
    });
  }

  /** Adds the comment of a rated booking (only once); control characters are dropped. */
  comment(bookingId: number, text: string): boolean {
    const comment = text.replace(/[^\P{Cc}\n]/gu, "").trim().slice(0, 1000);
    if (comment.length === 0) return false;
    setFeedbackComment(this.db, bookingId, comment, this.clock.now());
    return true;
  }
}
