/**
 * The thank-you with 1-5 star buttons, one hour after a completed visit ended; once per
 * booking (feedback_requested_at marks it enqueued). After a long downtime a request is still sent
 * up to a day after the visit; older visits are left alone, as a late "how was it?" is noise.
 */
import { enqueueBookingSends, feedbackRequestCandidates } from "../db/jobs_repo.ts";
import { emptyResult, isBlocked, type JobContext, type JobResult } from "./context.ts";

const HOUR_MS = 3_600_000;
/** How long after the end of a visit the request goes out. */
export const FEEDBACK_DELAY_MS = HOUR_MS;
/** How long after the end of a visit a request is still worth sending. */
export const FEEDBACK_WINDOW_MS = 24 * HOUR_MS;

/** Puts the due feedback requests into the outbox (the outbox job sends them). */
export function runFeedbackRequests(ctx: JobContext): Promise<JobResult> {
  const { db, clock } = ctx.deps;
  const now = clock.now();
  const due = feedbackRequestCandidates(db, now - FEEDBACK_WINDOW_MS, now - FEEDBACK_DELAY_MS);
  const sends = due.filter((b) => !isBlocked(ctx.deps, b.userId)).map((booking) => ({
    booking,
    kind: "feedback" as const,
    expiresAt: booking.end + FEEDBACK_WINDOW_MS,
  }));
  const done = enqueueBookingSends(db, sends, now);
  return Promise.resolve({ ...emptyResult(), due: due.length, done, skipped: due.length - done });
}
