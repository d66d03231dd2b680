/**
 * Counting the booking funnel: the client flow reports each step a journey reaches, and the
 * statistics read the totals of a period. Counts only, per local day: no user, no text.
 */
import { type Db, relaxedWrite } from "../db/connection.ts";
import { funnelTotals, incrementFunnelStep } from "../db/funnel_repo.ts";
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
   * Counts one journey reaching `step` today. A lost count after a power cut is harmless, so
   * it is written without an fsync (relaxedWrite) and never slows a client's tap.
   */
  record(step: FunnelStep): void {
    const day = localDate(this.clock.now(), this.timeZone).toString();
    relaxedWrite(this.db, () => incrementFunnelStep(this.db, day, step));
  }
}

/** The journeys per step over the local dates `from` to `to`, both included. */
export function funnelOf(db: Db, from: Temporal.PlainDate, to: Temporal.PlainDate): FunnelCounts {
  const sums = funnelTotals(db, from.toString(), to.toString());
  const counts = emptyFunnel();
  for (const step of FUNNEL_STEPS) counts[step] = sums.get(step) ?? 0;
  return counts;
}
