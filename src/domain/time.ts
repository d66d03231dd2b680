/** Wall-clock arithmetic in the business time zone, with Temporal. */

/** Minutes in a day; a closing time of 1440 means midnight at the end of the day. */
export const MINUTES_PER_DAY = 1440;

/** The local calendar date of `instant` in `timeZone`. */
export function localDate(instant: number, timeZone: string): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(timeZone)
    .toPlainDate();
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
  const day = minute >= MINUTES_PER_DAY ? date.add({ days: 1 }) : date;
  const m = minute % MINUTES_PER_DAY;
  const pdt = day.toPlainDateTime({ hour: Math.floor(m / 60), minute: m % 60 });
  const earlier = pdt.toZonedDateTime(timeZone, { disambiguation: "earlier" });
  if (!earlier.toPlainDateTime().equals(pdt)) return undefined;
  return earlier.epochMilliseconds;
}

// Day bounds are asked for many times per calendar; time-zone rules do not change at run time.
const boundsCache = new Map<string, [number, number]>();

/** The instants bounding local `date`: [start of day, start of next day). */
export function dayBounds(date: Temporal.PlainDate, timeZone: string): [number, number] {
  const key = `${date}|${timeZone}`;
  const hit = boundsCache.get(key);
  if (hit) return hit;
  const start = date.toZonedDateTime({ timeZone }).epochMilliseconds;
  const end = date.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
  if (boundsCache.size >= 4096) boundsCache.clear();
  const bounds: [number, number] = [start, end];
  boundsCache.set(key, bounds);
  return bounds;
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
