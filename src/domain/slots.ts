/** Free slots of a day: hours minus breaks, days off, bookings, notice, horizon and limits. */
import { dayBounds, epochDay, formatMinute, localDate, wallClockInstant } from "./time.ts";

/** A span of wall-clock minutes after local midnight, end exclusive (1440 = midnight). */
export interface MinuteSpan {
  start: number;
  end: number;
}

/** A span of instants (epoch ms), end exclusive. */
export interface InstantSpan {
  start: number;
  end: number;
}

/** What the schedule says about one staff member on one local date. */
export interface DaySchedule {
  /** Working hours, or undefined when the weekday is not a working day. */
  hours?: MinuteSpan;
  breaks: MinuteSpan[];
  /** A day off or holiday of the business or of this staff member. */
  dayOff: boolean;
}

/** The business's booking rules (settings). */
export interface BookingRules {
  slotStepMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  /** Maximum active bookings per staff member and day; 0 means no limit. */
  maxBookingsPerDay: number;
  cancellationCutoffHours: number;
}

/** Defaults written by the first start and used when a setting is missing. */
export const DEFAULT_RULES: BookingRules = {
  slotStepMinutes: 30,
  minNoticeMinutes: 60,
  horizonDays: 60,
  maxBookingsPerDay: 0,
  cancellationCutoffHours: 24,
};

/** Everything needed to list the free slots of a day. */
export interface SlotQuery {
  date: Temporal.PlainDate;
  timeZone: string;
  durationMinutes: number;
  schedule: DaySchedule;
  /** Active bookings of this staff member that may overlap the day. */
  busy: InstantSpan[];
  /** Active bookings of this staff member starting on this local date. */
  bookingsThatDay: number;
  rules: BookingRules;
  now: number;
}

/** A bookable start time. */
export interface Slot {
  start: number;
  end: number;
  /** Wall-clock minute of the start, for labels and callback data. */
  minute: number;
  label: string;
}

/** Why a day offers nothing (or "open" when it may have slots). */
export type DayState = "past" | "beyond_horizon" | "day_off" | "closed" | "full" | "open";

/** Classifies a day before looking at individual slots. */
export function dayState(q: SlotQuery): DayState {
  // Whole days since 1970 compare and add exactly like ISO PlainDates, without allocating.
  const today = epochDay(localDate(q.now, q.timeZone));
  const day = epochDay(q.date);
  if (day < today) return "past";
  if (day > today + q.rules.horizonDays) return "beyond_horizon";
  if (q.schedule.dayOff) return "day_off";
  if (!q.schedule.hours) return "closed";
  if (q.rules.maxBookingsPerDay > 0 && q.bookingsThatDay >= q.rules.maxBookingsPerDay) {
    return "full";
  }
  return "open";
}

function overlaps(a: InstantSpan, b: InstantSpan): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * The free slots of the day, in time order. Slots sit on a wall-clock grid from opening
 * time in steps of slotStepMinutes; each is converted to an instant on its own, so a DST
 * change day has no missing, doubled or shifted slot (a wall-clock time inside a
 * spring-forward gap does not exist and is skipped; a repeated one is offered once).
 * `limit` stops at that many (the first ones): a month calendar only asks whether there is one.
 */
export function freeSlots(q: SlotQuery, limit = Infinity): Slot[] {
  if (dayState(q) !== "open") return [];
  const hours = q.schedule.hours!;
  const close = wallClockInstant(q.date, hours.end, q.timeZone) ??
    q.date.toPlainDateTime({ hour: 0 }).add({ minutes: hours.end })
      .toZonedDateTime(q.timeZone, { disambiguation: "later" }).epochMilliseconds;
  // Fast path: on a day without an offset change, wall-clock minutes map linearly to
  // instants; only DST change days pay for a time-zone conversion per slot.
  const [dayStart, dayEnd] = dayBounds(q.date, q.timeZone);
  const breaks: InstantSpan[] = [];
  for (const b of q.schedule.breaks) {
    const start = wallClockInstant(q.date, b.start, q.timeZone) ?? dayStart;
    const end = wallClockInstant(q.date, b.end, q.timeZone) ?? start;
    if (end > start) breaks.push({ start, end });
  }
  const earliest = q.now + q.rules.minNoticeMinutes * 60_000;
  const duration = q.durationMinutes * 60_000;
  const step = Math.max(5, q.rules.slotStepMinutes);
  const slots: Slot[] = [];
  const linear = dayEnd - dayStart === 86_400_000;
  for (let minute = hours.start; minute < hours.end; minute += step) {
    const start = linear
      ? dayStart + minute * 60_000
      : wallClockInstant(q.date, minute, q.timeZone);
    if (start === undefined) continue;
    const end = start + duration;
    if (end > close) break;
    if (start < earliest) continue;
    if (anyOverlap(breaks, start, end) || anyOverlap(q.busy, start, end)) continue;
    slots.push({ start, end, minute, label: minuteLabel(minute) });
    if (slots.length >= limit) break;
  }
  return slots;
}

/** Whether any span overlaps [start, end); a plain loop, as it runs for every slot. */
function anyOverlap(spans: InstantSpan[], start: number, end: number): boolean {
  for (const b of spans) {
    if (b.start < end && start < b.end) return true;
  }
  return false;
}

// "HH:MM" labels of the grid, made once each: every calendar asks for the same few.
const labels: string[] = [];
function minuteLabel(minute: number): string {
  return labels[minute] ??= formatMinute(minute);
}

/** Why a requested start cannot be booked; undefined when it can. */
export type SlotProblem =
  | "in_past"
  | "too_soon"
  | "beyond_horizon"
  | "day_off"
  | "closed"
  | "day_full"
  | "slot_taken";

/** Checks that `start` is one of the free slots of the query's day and says why not. */
export function slotProblem(q: SlotQuery, start: number): SlotProblem | undefined {
  if (start <= q.now) return "in_past";
  switch (dayState(q)) {
    case "past":
      return "in_past";
    case "beyond_horizon":
      return "beyond_horizon";
    case "day_off":
      return "day_off";
    case "closed":
      return "closed";
    case "full":
      return "day_full";
  }
  if (start < q.now + q.rules.minNoticeMinutes * 60_000) return "too_soon";
  if (freeSlots(q).some((s) => s.start === start)) return undefined;
  const span = { start, end: start + q.durationMinutes * 60_000 };
  if (q.busy.some((b) => overlaps(b, span))) return "slot_taken";
  return "closed";
}
