/**
 * The waitlist on the clock: ends the waits of past days and the offers whose hold ran out,
 * and offers freed times to the next waiting clients (the outbox job after it delivers them).
 * Changes made by the bot sweep at once; the tick catches the rest (a schedule that opens time).
 */
import { BookingService } from "../services/booking_service.ts";
import { WaitlistService } from "../services/waitlist.ts";
import { emptyResult, type JobContext, type JobResult } from "./context.ts";

/** The waitlist as the jobs see it (offers only: the engine here books nothing). */
export function waitlistOf(ctx: JobContext): WaitlistService {
  const { db, clock } = ctx.deps;
  const { timeZone, waitlistHoldMinutes } = ctx.config;
  const engine = new BookingService(db, clock, timeZone, { silent: true });
  return new WaitlistService(db, clock, engine, timeZone, waitlistHoldMinutes);
}

/** Sweeps the waitlist once. */
export function runWaitlist(ctx: JobContext): Promise<JobResult> {
  const offered = waitlistOf(ctx).sweep();
  return Promise.resolve({ ...emptyResult(), due: offered, done: offered });
}
