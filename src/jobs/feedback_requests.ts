/**
 * The thank-you with 1-5 star buttons, one hour after a completed visit ended; once per
 * booking (feedback_requested_at is the claim). After a long downtime a request is still sent
 * up to a day after the visit; older visits are left alone, as a late "how was it?" is noise.
 */
import { ratingButtons } from "../ui/keyboards.ts";
import { formatDate } from "../ui/format.ts";
import { feedbackRequestCandidates } from "../db/jobs_repo.ts";
import { claimAndSend, count } from "./claimed_send.ts";
import { emptyResult, type JobContext, type JobResult } from "./context.ts";

const HOUR_MS = 3_600_000;
/** How long after the end of a visit the request goes out. */
export const FEEDBACK_DELAY_MS = HOUR_MS;
/** How long after the end of a visit a request is still worth sending. */
export const FEEDBACK_WINDOW_MS = 24 * HOUR_MS;

/** Sends the due feedback requests. */
export async function runFeedbackRequests(ctx: JobContext): Promise<JobResult> {
  const { db, clock } = ctx.deps;
  const { timeZone } = ctx.config;
  const now = clock.now();
  const due = feedbackRequestCandidates(db, now - FEEDBACK_WINDOW_MS, now - FEEDBACK_DELAY_MS);
  const result = { ...emptyResult(), due: due.length };
  for (const b of due) {
    if (ctx.sender.signal.aborted) break;
    const outcome = await claimAndSend(
      ctx,
      b,
      "feedback",
      (t, lang) =>
        t("feedback.request", {
          service: b.serviceName,
          date: formatDate(b.start, lang, timeZone),
        }),
      () => ratingButtons(b.id),
    );
    count(result, outcome);
  }
  return result;
}
