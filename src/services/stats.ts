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
  countByStatus,
  countInRanges,
  countStarting,
  type ServiceFigures,
  serviceFigures,
  type StatusCounts,
} from "../db/stats_repo.ts";
import {
  availableMinutes,
  type Change,
  changeVersus,
  chartBuckets,
  loadPercent,
  percentOf,
  type Period,
  periodDates,
  periodInstants,
  shiftPeriod,
  visibleRange,
} from "../domain/stats.ts";
import { localDateTime } from "../domain/time.ts";

/** Everything the statistics screen shows about one period. */
export interface PeriodStats {
  period: Period;
  /** Bookings starting in the period, by status, and their sum. */
  counts: StatusCounts;
  total: number;
  cancelledPercent?: number;
  completedPercent?: number;
  /** Total bookings of the previous period of the same kind, and the change to this one. */
  previousTotal: number;
  change: Change;
  /** Per service, most booked first. */
  services: ServiceFigures[];
  /** Revenue of active and completed bookings of priced services; null when none is priced. */
  revenueMinor: number | null;
  /** Minutes of kept bookings (not cancelled) against the working minutes of active staff. */
  bookedMinutes: number;
  availableMinutes: number;
  loadPercent?: number;
  /** Bookings per bar (per day, or per hour for a day) and the bar labels. */
  chart: { values: number[]; labels: string[] };
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

/** The statistics of `period` in `timeZone`, read from one snapshot of the database. */
export function periodStats(db: Db, timeZone: string, period: Period): PeriodStats {
  return readTransaction(db, () => {
    const [from, to] = periodInstants(period, timeZone);
    const counts = countByStatus(db, from, to);
    const total = counts.active + counts.cancelled + counts.completed + counts.no_show;
    const [prevFrom, prevTo] = periodInstants(shiftPeriod(period, -1), timeZone);
    const previousTotal = countStarting(db, prevFrom, prevTo);
    const services = serviceFigures(db, from, to);
    const priced = services.filter((s) => s.revenueMinor !== null);
    const revenueMinor = priced.length
      ? priced.reduce((sum, s) => sum + (s.revenueMinor ?? 0), 0)
      : null;
    const bookedMinutes = services.reduce((sum, s) => sum + s.bookedMinutes, 0);
    const available = capacityMinutes(db, period);

    const buckets = chartBuckets(period, timeZone);
    let values = countInRanges(db, buckets);
    let labels = buckets.map(([start]) => {
      const local = localDateTime(start, timeZone);
      return String(period.kind === "day" ? local.hour : local.day);
    });
    if (period.kind === "day") {
      // Hour bars: the working hours of the day, widened to any booking outside them.
      const [fromHour, toHour] = workingHourRange(db, period.start) ?? [9, 18];
      const hours = labels.map(Number);
      const first = hours.findIndex((h) => h >= fromHour);
      const after = hours.findIndex((h) => h >= toHour);
      const [a, b] = visibleRange(
        values,
        first < 0 ? 0 : first,
        after < 0 ? hours.length : after,
      );
      values = values.slice(a, b);
      labels = labels.slice(a, b);
    }

    return {
      period,
      counts,
      total,
      cancelledPercent: percentOf(counts.cancelled, total),
      completedPercent: percentOf(counts.completed, total),
      previousTotal,
      change: changeVersus(total, previousTotal),
      services,
      revenueMinor,
      bookedMinutes,
      availableMinutes: available,
      loadPercent: loadPercent(bookedMinutes, available),
      chart: { values, labels },
    };
  });
}
