/**
 * The statistics of a period: counts by status, the change against the previous period,
 * per-service popularity, revenue and load, and the bars of the chart. SQL does the
 * counting (src/db/stats_repo.ts); this module adds the schedule-based capacity and the
 * calendar arithmetic of src/domain/stats.ts.
 */
import { type Db, readTransaction } from "../db/connection.ts";
import { listBreaks, listDaysOff, listWorkingHours } from "../db/schedule_repo.ts";
import { listActiveStaff } from "../db/staff_repo.ts";
import {
  bookingStartSpan,
  countByStatus,
  countCancelledInRanges,
  countDeleted,
  countInRanges,
  countStarting,
  keptByQuarterHour,
  type ServiceFigures,
  serviceFigures,
  type StatusCounts,
} from "../db/stats_repo.ts";
import {
  availableMinutes,
  type Change,
  changeVersus,
  chartBuckets,
  type ChartUnit,
  chartUnit,
  loadPercent,
  percentOf,
  type Period,
  periodDates,
  periodInstants,
  rangePeriod,
  shiftPeriod,
  visibleRange,
  weekHourGrid,
} from "../domain/stats.ts";
import { localDate, localDateTime } from "../domain/time.ts";

/** Everything the statistics screen shows about one period. */
export interface PeriodStats {
  period: Period;
  /** Bookings starting in the period, by status, and their sum. */
  counts: StatusCounts;
  total: number;
  /** Soft-deleted bookings of the period (not in any other figure). */
  deleted: number;
  cancelledPercent?: number;
  completedPercent?: number;
  /** No-shows among the visits that were due (completed and no-show). */
  noShowPercent?: number;
  /** Total bookings of the previous period of the same kind, and the change to this one. */
  previousTotal: number;
  /** Whether there is a previous period to compare with (not for all time). */
  compared: boolean;
  change: Change;
  /** Per service, most booked first. */
  services: ServiceFigures[];
  /** Revenue of active and completed bookings of priced services; null when none is priced. */
  revenueMinor: number | null;
  /** Minutes of kept bookings (not cancelled) against the working minutes of active staff. */
  bookedMinutes: number;
  availableMinutes: number;
  loadPercent?: number;
  chart: PeriodChart;
}

/** The bars of the statistics chart. */
export interface PeriodChart {
  /** Bookings per bar (per day, per hour for a day, per month for a long period). */
  values: number[];
  /** The cancelled part of each bar. */
  cancelled: number[];
  /** The bar labels: hour, day of month or month number. */
  labels: string[];
  unit: ChartUnit;
}

/** Working minutes of all active staff in the period: weekly hours minus breaks and days off. */
export function capacityMinutes(db: Db, period: Period): number {
  const dates = periodDates(period);
  const last = dates[dates.length - 1].toString();
  let total = 0;
  for (const staff of listActiveStaff(db)) {
    const hours = listWorkingHours(db, staff.id);
    const breaks = listBreaks(db, staff.id);
    const off = new Set(
      listDaysOff(db, period.start.toString(), staff.id).filter((d) => d.day <= last)
        .map((d) => d.day),
    );
    for (const date of dates) {
      const weekday = date.dayOfWeek;
      const day = hours.find((h) => h.weekday === weekday);
      total += availableMinutes({
        hours: day ? { start: day.start, end: day.end } : undefined,
        breaks: breaks.filter((b) => b.weekday === weekday),
        dayOff: off.has(date.toString()),
      });
    }
  }
  return total;
}

/** The hours the active staff work on a date ([first hour, hour after the last]), if any. */
function workingHourRange(db: Db, date: Temporal.PlainDate): [number, number] | undefined {
  let from = 24;
  let to = 0;
  for (const staff of listActiveStaff(db)) {
    const day = listWorkingHours(db, staff.id).find((h) => h.weekday === date.dayOfWeek);
    if (!day) continue;
    from = Math.min(from, Math.floor(day.start / 60));
    to = Math.max(to, Math.ceil(day.end / 60));
  }
  return from < to ? [from, to] : undefined;
}

/** The bars of the chart; a day shows its working hours, widened to any booking outside. */
function periodChart(db: Db, timeZone: string, period: Period): PeriodChart {
  const unit = chartUnit(period);
  const buckets = chartBuckets(period, timeZone);
  let values = countInRanges(db, buckets);
  let cancelled = countCancelledInRanges(db, buckets);
  let labels = buckets.map(([start]) => {
    const local = localDateTime(start, timeZone);
    return String(unit === "hour" ? local.hour : unit === "day" ? local.day : local.month);
  });
  if (unit === "hour") {
    const [fromHour, toHour] = workingHourRange(db, period.start) ?? [9, 18];
    const hours = labels.map(Number);
    const first = hours.findIndex((h) => h >= fromHour);
    const after = hours.findIndex((h) => h >= toHour);
    const [a, b] = visibleRange(values, first < 0 ? 0 : first, after < 0 ? hours.length : after);
    values = values.slice(a, b);
    cancelled = cancelled.slice(a, b);
    labels = labels.slice(a, b);
  }
  return { values, cancelled, labels, unit };
}

/** The statistics of `period` in `timeZone`, read from one snapshot of the database. */
export function periodStats(db: Db, timeZone: string, period: Period): PeriodStats {
  return readTransaction(db, () => {
    const [from, to] = periodInstants(period, timeZone);
    const counts = countByStatus(db, from, to);
    const total = counts.active + counts.cancelled + counts.completed + counts.no_show;
    const compared = period.kind !== "all";
    const [prevFrom, prevTo] = periodInstants(shiftPeriod(period, -1), timeZone);
    const previousTotal = compared ? countStarting(db, prevFrom, prevTo) : 0;
    const services = serviceFigures(db, from, to);
    const priced = services.filter((s) => s.revenueMinor !== null);
    const revenueMinor = priced.length
      ? priced.reduce((sum, s) => sum + (s.revenueMinor ?? 0), 0)
      : null;
    const bookedMinutes = services.reduce((sum, s) => sum + s.bookedMinutes, 0);
    const available = capacityMinutes(db, period);
    return {
      period,
      counts,
      total,
      deleted: countDeleted(db, from, to),
      cancelledPercent: percentOf(counts.cancelled, total),
      completedPercent: percentOf(counts.completed, total),
      noShowPercent: percentOf(counts.no_show, counts.completed + counts.no_show),
      previousTotal,
      compared,
      change: changeVersus(total, previousTotal),
      services,
      revenueMinor,
      bookedMinutes,
      availableMinutes: available,
      loadPercent: loadPercent(bookedMinutes, available),
      chart: periodChart(db, timeZone, period),
    };
  });
}

/** All time: from the first booking's date to the last one's, or at least to `today`. */
export function allTimePeriod(db: Db, timeZone: string, today: Temporal.PlainDate): Period {
  const span = bookingStartSpan(db);
  if (!span) return rangePeriod(today, today, "all");
  const first = localDate(span.first, timeZone);
  const last = localDate(span.last, timeZone);
  const end = Temporal.PlainDate.compare(last, today) > 0 ? last : today;
  return rangePeriod(Temporal.PlainDate.compare(first, end) < 0 ? first : end, end, "all");
}

/** The heat map of a period: kept bookings per weekday (0 = Monday) and local hour. */
export function peakHours(db: Db, timeZone: string, period: Period): number[][] {
  const [from, to] = periodInstants(period, timeZone);
  return weekHourGrid(keptByQuarterHour(db, from, to), timeZone);
}
