/**
 * Counting the booking funnel: the client flow reports each step a journey reaches, and the
 * statistics read the totals of a period. Counts only, per local day: no user, no text.
 */
import type { Db } from "../db/connection.ts";
import { countFunnelStep } from "../db/bookkeeping.ts";
import { funnelTotals } from "../db/funnel_repo.ts";
import type { Clock } from "../domain/clock.ts";
import { emptyFunnel, FUNNEL_STEPS, type FunnelCounts, type FunnelStep } from "../domain/funnel.ts";
import { localDate } from "../domain/time.ts";

/** Records and reads the funnel, bound to a database, a clock and the business time zone. */
export class FunnelService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /**
   * Counts one journey reaching `step` today. A lost count is harmless, so it is queued with
   * the connection's bookkeeping (db/bookkeeping.ts: written within ~100 ms in one batch, or
   * with the next transaction) and never slows a client's tap.
   */
  record(step: FunnelStep): void {
    const day = localDate(this.clock.now(), this.timeZone).toString();
    countFunnelStep(this.db, day, step);
  }
}

/** The journeys per step over the local dates `from` to `to`, both included (queued ones too). */
export function funnelOf(db: Db, from: Temporal.PlainDate, to: Temporal.PlainDate): FunnelCounts {
  const sums = funnelTotals(db, from.toString(), to.toString());
  const counts = emptyFunnel();
  for (const step of FUNNEL_STEPS) counts[step] = sums.get(step) ?? 0;
  return counts;
}
