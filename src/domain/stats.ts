/**
 * Statistics arithmetic without I/O: calendar periods (day, ISO week, month) in local
 * dates, percentages, the change against the previous period, and capacity from a schedule.
 */
import type { DaySchedule, MinuteSpan } from "./slots.ts";
import { dayBounds, localDateTime } from "./time.ts";

/** The lengths of period the statistics are shown for. */
export const PERIOD_KINDS = ["day", "week", "month"] as const;
/** One of the period lengths. */
export type PeriodKind = typeof PERIOD_KINDS[number];

/** The kinds of period statistics show: a calendar period, a typed range, or all time. */
export type StatsKind = PeriodKind | "range" | "all";

/** A local period: the dates from `start` up to, not including, `end`. */
export interface Period {
  kind: StatsKind;
  start: Temporal.PlainDate;
  /** The first date after the period. */
  end: Temporal.PlainDate;
}

/** The day, the ISO week (Monday to Sunday) or the month that contains `date`. */
export function periodContaining(kind: PeriodKind, date: Temporal.PlainDate): Period {
  if (kind === "day") return { kind, start: date, end: date.add({ days: 1 }) };
  if (kind === "week") {
    const start = date.subtract({ days: date.dayOfWeek - 1 });
    return { kind, start, end: start.add({ days: 7 }) };
  }
  const start = date.with({ day: 1 });
  return { kind, start, end: start.add({ months: 1 }) };
}

/** The period of the dates `from` to `to`, both included. */
export function rangePeriod(
  from: Temporal.PlainDate,
  to: Temporal.PlainDate,
  kind: "range" | "all" = "range",
): Period {
  return { kind, start: from, end: to.add({ days: 1 }) };
}

/** How many days the period has. */
export function periodDays(period: Period): number {
  return period.start.until(period.end).days;
}

/**
 * The period `steps` periods later (negative: earlier): of the same kind for a calendar
 * period, of the same length for a typed range or all time.
 */
export function shiftPeriod(period: Period, steps: number): Period {
  if (period.kind === "range" || period.kind === "all") {
    const days = periodDays(period) * steps;
    return rangePeriod(period.start.add({ days }), period.end.add({ days: days - 1 }));
  }
  const unit = period.kind === "day" ? "days" : period.kind === "week" ? "weeks" : "months";
  return periodContaining(period.kind, period.start.add({ [unit]: steps }));
}

/** Every local date of the period, in order. */
export function periodDates(period: Period): Temporal.PlainDate[] {
  const dates: Temporal.PlainDate[] = [];
  for (
    let d = period.start;
    Temporal.PlainDate.compare(d, period.end) < 0;
    d = d.add({ days: 1 })
  ) {
    dates.push(d);
  }
  return dates;
}

/** The instants bounding the period in `timeZone`: [first midnight, midnight after the end). */
export function periodInstants(period: Period, timeZone: string): [number, number] {
  return [dayBounds(period.start, timeZone)[0], dayBounds(period.end, timeZone)[0]];
}

/** What one bar of the chart stands for. */
export type ChartUnit = "hour" | "day" | "month";

/** Periods longer than this many days get a bar per month instead of per day. */
export const MAX_DAY_BARS = 62;

/** The bar unit of a period's chart: hours for a day, days, or months for long periods. */
export function chartUnit(period: Period): ChartUnit {
  if (period.kind === "day") return "hour";
  return periodDays(period) > MAX_DAY_BARS ? "month" : "day";
}

/** The instant bounds of each month (cut to the period) the period touches. */
function monthBuckets(period: Period, timeZone: string): [number, number][] {
  const buckets: [number, number][] = [];
  for (let start = period.start; Temporal.PlainDate.compare(start, period.end) < 0;) {
    const next = start.with({ day: 1 }).add({ months: 1 });
    const end = Temporal.PlainDate.compare(next, period.end) < 0 ? next : period.end;
    buckets.push([dayBounds(start, timeZone)[0], dayBounds(end, timeZone)[0]]);
    start = end;
  }
  return buckets;
}

/**
 * The instant bounds of the chart's bars: one per local date (per month for a long period),
 * or for a single day one per local hour. Built with Temporal, so a day with a DST change
 * has 23 or 25 hour bars of real hours, and every booking falls into exactly one bar.
 */
export function chartBuckets(period: Period, timeZone: string): [number, number][] {
  const unit = chartUnit(period);
  if (unit === "month") return monthBuckets(period, timeZone);
  if (unit === "day") return periodDates(period).map((d) => dayBounds(d, timeZone));
  const [from, to] = dayBounds(period.start, timeZone);
  const buckets: [number, number][] = [];
  for (let t = from; t < to; t += 3_600_000) buckets.push([t, Math.min(t + 3_600_000, to)]);
  return buckets;
}

/** `part` as a whole percentage of `whole`; undefined when there is nothing to divide by. */
export function percentOf(part: number, whole: number): number | undefined {
  if (whole <= 0) return undefined;
  return Math.round((part / whole) * 100);
}

/** How a number moved against the previous period. */
export type Change =
  | { kind: "same" }
  | { kind: "up" | "down"; percent: number }
  /** The previous period had zero, so no percentage exists. */
  | { kind: "from_zero" };

/** The change from `previous` to `current`, as a rounded percentage of `previous`. */
export function changeVersus(current: number, previous: number): Change {
  if (current === previous) return { kind: "same" };
  if (previous === 0) return { kind: "from_zero" };
  const percent = Math.round((Math.abs(current - previous) / previous) * 100);
  return { kind: current > previous ? "up" : "down", percent };
}

/** The share of available time that was booked, in whole percent (undefined: nothing available). */
export function loadPercent(bookedMinutes: number, availableMinutes: number): number | undefined {
  return percentOf(bookedMinutes, availableMinutes);
}

/** Sorts spans and merges overlapping or touching ones. */
function mergeSpans(spans: MinuteSpan[]): MinuteSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: MinuteSpan[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ start: s.start, end: s.end });
  }
  return merged;
}

/**
 * Working minutes of one staff member on one day: the hours minus the breaks that fall
 * inside them (overlapping breaks counted once); zero on a day off or a weekday off.
 */
export function availableMinutes(schedule: DaySchedule): number {
  const hours = schedule.hours;
  if (schedule.dayOff || !hours) return 0;
  const inside = schedule.breaks
    .map((b) => ({ start: Math.max(b.start, hours.start), end: Math.min(b.end, hours.end) }))
    .filter((b) => b.end > b.start);
  const breakMinutes = mergeSpans(inside).reduce((sum, b) => sum + b.end - b.start, 0);
  return hours.end - hours.start - breakMinutes;
}

/** The positions of the non-zero values, widened to at least [minFrom, minTo) (for hour bars). */
export function visibleRange(
  values: number[],
  minFrom: number,
  minTo: number,
): [number, number] {
  let from = Math.min(minFrom, values.length);
  let to = Math.min(Math.max(minTo, from), values.length);
  values.forEach((v, i) => {
    if (v <= 0) return;
    from = Math.min(from, i);
    to = Math.max(to, i + 1);
  });
  return [from, to];
}

/** Bookings starting in one quarter hour since the epoch (start_at / 900,000). */
export interface QuarterCount {
  quarter: number;
  count: number;
}

/**
 * The weekday × hour grid of the heat map: grid[0] is Monday, grid[d][h] the bookings that
 * start at local hour h. Quarter hours are fine enough for every real time zone offset.
 */
export function weekHourGrid(quarters: QuarterCount[], timeZone: string): number[][] {
  const grid = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const { quarter, count } of quarters) {
    const local = localDateTime(quarter * 900_000, timeZone);
    grid[local.dayOfWeek - 1][local.hour] += count;
  }
  return grid;
}
