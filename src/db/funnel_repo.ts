/** The funnel counts per local day (table funnel_daily, migration 0003). */
import type { Db } from "./connection.ts";
import { stmt } from "./statements.ts";

/** Adds one journey to `step` on the local date `day` (YYYY-MM-DD). */
export function incrementFunnelStep(db: Db, day: string, step: string): void {
  stmt(
    db,
    `INSERT INTO funnel_daily (day, step, count) VALUES (?, ?, 1)
     ON CONFLICT (day, step) DO UPDATE SET count = count + 1`,
  ).run(day, step);
}

/** The sum per step over the local dates from `fromDay` to `toDay`, both included. */
export function funnelTotals(db: Db, fromDay: string, toDay: string): Map<string, number> {
  const rows = stmt(
    db,
    `SELECT step, sum(count) AS n FROM funnel_daily WHERE day >= ? AND day <= ? GROUP BY step`,
  ).all(fromDay, toDay);
  return new Map(rows.map((r) => [String(r.step), Number(r.n)]));
}
