/** Unpaid deposit holds whose time ran out free their slots. */
import { writeTransaction } from "../db/connection.ts";
import { expireHolds } from "../db/deposits_repo.ts";
import { emptyResult, type JobContext, type JobResult } from "./context.ts";

/** Expires every unpaid hold past its time. */
export function runDepositHolds(ctx: JobContext): Promise<JobResult> {
  const { db, clock } = ctx.deps;
  const n = writeTransaction(db, () => expireHolds(db, clock.now()));
  return Promise.resolve({ ...emptyResult(), due: n, done: n });
}
