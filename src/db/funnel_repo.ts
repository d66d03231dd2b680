/** The funnel counts per local day (table funnel_daily, migration 0003). */
import { type Db, flushWriteBehind } from "./connection.ts";
import { stmt } from "./statements.ts";

/** Adds `n` journeys (1 unless merged by the bookkeeping batch) to `step` on the date `day`. */
export function incrementFunnelStep(db: Db, day: string, step: string, n = 1): void {
  stmt(
    db,
    `INSERT INTO funnel_daily (day, step, count) VALUES (?, ?, ?)
     ON CONFLICT (day, step) DO UPDATE SET count = count + excluded.count`,
  ).run(day, step, n);
}

/**
 * The sum per step over the local dates from `fromDay` to `toDay`, both included, counting
 * the journeys still held back by this connection's bookkeeping batch (written first).
 */
export function funnelTotals(db: Db, fromDay: string, toDay: string): Map<string, number> {
  flushWriteBehind(db);
  const rows = stmt(
    db,
    `SELECT step, sum(count) AS n FROM funnel_daily WHERE day >= ? AND day <= ? GROUP BY step`,
  ).all(fromDay, toDay);
  return new Map(rows.map((r) => [String(r.step), Number(r.n)]));
}
