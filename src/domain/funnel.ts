/**
 * The booking funnel: the steps a client's booking journey passes, and the conversion and
 * drop-off between them. Pure arithmetic over counts; the counts come from funnel_daily.
 */
import { percentOf } from "./stats.ts";

/** The steps of a booking journey, in order. */
export const FUNNEL_STEPS = ["started", "service", "slot", "contact", "confirmed"] as const;
/** One step of the funnel. */
export type FunnelStep = typeof FUNNEL_STEPS[number];

/** How many journeys reached each step. */
export type FunnelCounts = Record<FunnelStep, number>;

/** One step as the statistics show it. */
export interface FunnelRow {
  step: FunnelStep;
  count: number;
  /** Share of the started journeys that reached this step (undefined: none started). */
  ofStarted?: number;
  /** Share of the previous step's journeys lost before this one (undefined for the first). */
  dropOff?: number;
}

/** Zero for every step. */
export function emptyFunnel(): FunnelCounts {
  return { started: 0, service: 0, slot: 0, contact: 0, confirmed: 0 };
}

/** The rows of the funnel: count, share of the started and drop-off from the step before. */
export function funnelRows(counts: FunnelCounts): FunnelRow[] {
  return FUNNEL_STEPS.map((step, i) => {
    const count = counts[step];
    const row: FunnelRow = { step, count, ofStarted: percentOf(count, counts.started) };
    if (i > 0) {
      const before = counts[FUNNEL_STEPS[i - 1]];
      row.dropOff = percentOf(Math.max(0, before - count), before);
    }
    return row;
  });
}
