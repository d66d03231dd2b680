/** Wall-clock arithmetic in the business time zone, with Temporal. */

/** Minutes in a day; a closing time of 1440 means midnight at the end of the day. */
export const MINUTES_PER_DAY = 1440;

/**
 * What we know about one local day of a zone. `uniform`: the UTC offset does not change
 * strictly inside [start, end), so every instant there has this local date. `linear`: also
 * 24 hours long, so the day starts at 00:00 and wall-clock minute m is the instant
 * start + m minutes. Time-zone rules do not change at run time, so entries never go stale.
 */
interface LocalDay {
  date: Temporal.PlainDate;
  start: number;
  end: number;
  bounds: [number, number];
  uniform: boolean;
  linear: boolean;
}

/** Per zone: days by yyyymmdd, and the few uniform days asked for last (scanned by instant). */
interface ZoneDays {
  byKey: Map<number, LocalDay>;
  recent: LocalDay[];
}

const MAX_DAYS_PER_ZONE = 4096;
const MAX_RECENT = 8;
const zones = new Map<string, ZoneDays>();

function zoneDays(timeZone: string): ZoneDays {
  let z = zones.get(timeZone);
  if (!z) zones.set(timeZone, z = { byKey: new Map(), recent: [] });
  return z;
}

function localDay(date: Temporal.PlainDate, timeZone: string): LocalDay {
  const z = zoneDays(timeZone);
  const key = date.year * 10_000 + date.month * 100 + date.day;
  const hit = z.byKey.get(key);
  if (hit) return hit;
  const first = date.toZonedDateTime({ timeZone });
  const start = first.epochMilliseconds;
  const end = date.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
  const next = first.getTimeZoneTransition("next");
  const uniform = next === null || next.epochMilliseconds >= end;
  const day: LocalDay = {
    date,
    start,
    end,
    bounds: [start, end],
    uniform,
    linear: uniform && end - start === 86_400_000,
  };
  if (z.byKey.size >= MAX_DAYS_PER_ZONE) z.byKey.clear();
  z.byKey.set(key, day);
  return day;
}

/** The cached uniform day holding `instant`, if one was asked for lately. */
function recentDay(instant: number, timeZone: string): LocalDay | undefined {
  const recent = zones.get(timeZone)?.recent;
  if (!recent) return undefined;
  for (const day of recent) {
    if (instant >= day.start && instant < day.end) return day;
  }
  return undefined;
}

function remember(day: LocalDay, timeZone: string): void {
  if (!day.uniform) return;
  const recent = zoneDays(timeZone).recent;
  if (recent.length >= MAX_RECENT) recent.shift();
  recent.push(day);
}

/** The local calendar date of `instant` in `timeZone`. */
export function localDate(instant: number, timeZone: string): Temporal.PlainDate {
  const hit = recentDay(instant, timeZone);
  if (hit) return hit.date;
  const date = Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(timeZone)
    .toPlainDate();
  const day = localDay(date, timeZone);
  remember(day, timeZone);
  // On a day whose offset changes inside it, `date` is right for this instant only.
  return day.uniform ? day.date : date;
}

/** The local date-time of `instant` in `timeZone`. */
export function localDateTime(instant: number, timeZone: string): Temporal.PlainDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(timeZone)
    .toPlainDateTime();
}

/**
 * The instant of `minute` minutes after local midnight of `date` (1440 = next midnight).
 * A wall-clock time that does not exist (spring-forward gap) yields undefined; one that
 * occurs twice (fall-back) yields the earlier occurrence.
 */
export function wallClockInstant(
  date: Temporal.PlainDate,
  minute: number,
  timeZone: string,
): number | undefined {
  if (Number.isInteger(minute) && minute >= 0 && minute < MINUTES_PER_DAY) {
    const day = localDay(date, timeZone);
    if (day.linear) return day.start + minute * 60_000;
  }
  const day = minute >= MINUTES_PER_DAY ? date.add({ days: 1 }) : date;
  const m = minute % MINUTES_PER_DAY;
  const pdt = day.toPlainDateTime({ hour: Math.floor(m / 60), minute: m % 60 });
  const earlier = pdt.toZonedDateTime(timeZone, { disambiguation: "earlier" });
  if (!earlier.toPlainDateTime().equals(pdt)) return undefined;
  return earlier.epochMilliseconds;
}

/** The instants bounding local `date`: [start of day, start of next day). */
export function dayBounds(date: Temporal.PlainDate, timeZone: string): [number, number] {
  return localDay(date, timeZone).bounds;
}

/** Days from 1970-01-01 to an ISO date (days-from-civil), for comparing and adding days. */
export function epochDay(date: Temporal.PlainDate): number {
  const m = date.month;
  const y = date.year - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + date.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** "HH:MM" of a minute-of-day (1440 prints as 24:00). */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${
    String(minute % 60).padStart(2, "0")
  }`;
}

/** Parses "H:MM"/"HH:MM" (or "24:00") into minutes after midnight; undefined if invalid. */
export function parseMinute(text: string): number | undefined {
  const match = /^\s*(\d{1,2})[:.](\d{2})\s*$/.exec(text);
  if (!match) return undefined;
  const h = Number(match[1]);
  const m = Number(match[2]);
  if (h === 24 && m === 0) return MINUTES_PER_DAY;
  if (h > 23 || m > 59) return undefined;
  return h * 60 + m;
}

/** "HH:MM" of `instant` in `timeZone`. */
export function formatLocalTime(instant: number, timeZone: string): string {
  const t = localDateTime(instant, timeZone);
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}

/** Parses an ISO date "YYYY-MM-DD" strictly; undefined when invalid. */
export function parseIsoDate(text: string): Temporal.PlainDate | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  try {
    return Temporal.PlainDate.from(text, { overflow: "reject" });
  } catch {
    return undefined;
  }
}
