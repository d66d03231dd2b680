/** After the visit: active bookings become "completed" when they end (a system action, audited). */
import { completeEndedBookings } from "../db/jobs_repo.ts";
import { emptyResult, type JobContext, type JobResult } from "./context.ts";

/** Marks every active booking that has ended as completed. */
export function runCompletion(ctx: JobContext): Promise<JobResult> {
  const ids = completeEndedBookings(ctx.deps.db, ctx.deps.clock.now());
  return Promise.resolve({ ...emptyResult(), due: ids.length, done: ids.length });
}
