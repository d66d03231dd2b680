/**
 * Retention over a period: how many clients came, how many of them came back, visits and spend
 * per client, and the clients who have not come back for a number of weeks.
 */
import { type Db, readTransaction } from "../db/connection.ts";
import { type LapsedClient, lapsedClients, visitFigures } from "../db/retention_repo.ts";
import { percentOf, type Period, periodInstants } from "../domain/stats.ts";

/** The choices of "not come back for N weeks". */
export const LAPSED_WEEKS = [4, 8, 12] as const;
/** A choice of weeks. */
export type LapsedWeeks = typeof LAPSED_WEEKS[number];

/** Everything the retention screen shows. */
export interface RetentionStats {
  period: Period;
  /** Clients with a completed visit in the period. */
  clients: number;
  /** Of them, those who had come before or came more than once. */
  returning: number;
  returningPercent?: number;
  visits: number;
  /** Visits per client in the period (0 when nobody came). */
  visitsPerClient: number;
  /** Spend per client in the period, at prices as booked, in minor units (rounded). */
  spendPerClientMinor: number;
  weeks: LapsedWeeks;
  lapsedTotal: number;
  /** The longest gone first. */
  lapsed: LapsedClient[];
}

/** The retention figures of `period`, and who has not come back for `weeks` by `now`. */
export function retentionStats(
  db: Db,
  timeZone: string,
  period: Period,
  now: number,
  weeks: LapsedWeeks,
  listed = 10,
): RetentionStats {
  return readTransaction(db, () => {
    const [from, to] = periodInstants(period, timeZone);
    const f = visitFigures(db, from, to);
    const gone = lapsedClients(db, now - weeks * 7 * 86_400_000, now, listed);
    return {
      period,
      clients: f.clients,
      returning: f.returning,
      returningPercent: percentOf(f.returning, f.clients),
      visits: f.visits,
      visitsPerClient: f.clients ? f.visits / f.clients : 0,
      spendPerClientMinor: f.clients ? Math.round(f.spentMinor / f.clients) : 0,
      weeks,
      lapsedTotal: gone.total,
      lapsed: gone.rows,
    };
  });
}
