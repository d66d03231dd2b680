/**
 * Claim, then send: the delivery rule of every per-booking message of the jobs.
 *
 * Guarantee: AT MOST ONCE per booking and kind. The claim (the booking's "sent at" column set
 * in a BEGIN IMMEDIATE transaction, only if still empty) is committed before the request goes
 * out, so no tick, restart or second process can send it again. A crash between the claim and
 * the request loses that one message; we prefer that to a duplicate reminder, because a lost
 * reminder is covered by the next one (day -> hour) and by the confirmation the client already
 * has, while duplicates look broken. The claim is given back only when Telegram surely did not
 * take the message (it answered 429/5xx until we gave up, or the sender stopped before asking),
 * so the next tick retries while it is still due. Network errors within one send are retried by
 * the sender (the spec's retry policy); if such a request did reach Telegram and only its answer
 * was lost, that retry is the one way a duplicate can appear, as with any Bot API client.
 */
import type { InlineKeyboardButton } from "grammy/types";
import type { Booking } from "../db/bookings_repo.ts";
import { type BookingSendKind, claimBookingSend, releaseBookingSend } from "../db/jobs_repo.ts";
import type { Lang, Translate } from "../ui/i18n.ts";
import {
  isBlocked,
  type JobContext,
  type JobResult,
  sendToUserThrottled,
  surelyUndelivered,
} from "./context.ts";

/** How one claimed send ended. */
export type SendOutcome = "sent" | "failed" | "skipped";

/** Claims the `kind` send of `booking`, then sends it; see the guarantee above. */
export async function claimAndSend(
  ctx: JobContext,
  booking: Booking,
  kind: BookingSendKind,
  render: (t: Translate, lang: Lang) => string,
  keyboard?: (t: Translate, lang: Lang) => InlineKeyboardButton[][],
): Promise<SendOutcome> {
  const { db, clock, logger } = ctx.deps;
  // A blocked user is skipped without a claim: if they come back, a still-due message goes out.
  if (isBlocked(ctx.deps, booking.userId)) return "skipped";
  const claimedAt = clock.now();
  if (!claimBookingSend(db, booking.id, kind, booking.start, claimedAt)) return "skipped";
  const delivery = await sendToUserThrottled(ctx, booking.userId, render, keyboard);
  if (delivery.status === "sent") return "sent";
  if (delivery.status === "blocked") return "skipped";
  if (surelyUndelivered(delivery)) releaseBookingSend(db, booking.id, kind, claimedAt);
  logger.warning("Could not send a scheduled message", {
    kind,
    bookingId: booking.id,
    userId: booking.userId,
    status: delivery.status,
    retried: surelyUndelivered(delivery),
    error: String(delivery.error),
  });
  return "failed";
}

/** Adds one outcome to a job result. */
export function count(result: JobResult, outcome: SendOutcome): void {
  if (outcome === "sent") result.done++;
  else if (outcome === "failed") result.failed++;
  else result.skipped++;
}
