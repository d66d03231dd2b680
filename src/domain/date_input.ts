/**
 * The one reader of dates and periods that admins type, used by every screen: ISO
 * (2026-12-31), dotted (31.12.2026, 1.2.2027), slashed (31/12/2026), and, when `today` is
 * given, a day without a year (31.12 = the next 31 December from today on).
 */
import type { Parsed } from "./admin_input.ts";

/** A period of whole days, both ends included. */
export interface DatePeriod {
  from: Temporal.PlainDate;
  to: Temporal.PlainDate;
}

/** The longest period an admin may type (about ten years). */
export const MAX_PERIOD_DAYS = 3700;

/** One date token inside a longer text. */
const DATE_TOKEN = /\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}(?:[./]\d{4})?/g;
/** What may stand between two dates of a period ("с … по …", "from … to …", dashes). */
const CONNECTORS = /from|to|с|по|до|[\s\-–—.,]/giu;

function plainDate(year: number, month: number, day: number): Temporal.PlainDate | undefined {
  try {
    return Temporal.PlainDate.from({ year, month, day }, { overflow: "reject" });
  } catch {
    return undefined;
  }
}

/** A date the admin typed; a day without a year needs `today` and means its next occurrence. */
export function parseDay(text: string, today?: Temporal.PlainDate): Parsed<Temporal.PlainDate> {
  const t = text.trim();
  let value: Temporal.PlainDate | undefined;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) value = plainDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if (!value && (m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(t))) {
    value = plainDate(Number(m[3]), Number(m[2]), Number(m[1]));
  }
  if (!value && today && (m = /^(\d{1,2})[./](\d{1,2})\.?$/.exec(t))) {
    const thisYear = plainDate(today.year, Number(m[2]), Number(m[1]));
    const nextYear = plainDate(today.year + 1, Number(m[2]), Number(m[1]));
    value = thisYear && Temporal.PlainDate.compare(thisYear, today) >= 0 ? thisYear : nextYear;
  }
  return value ? { ok: true, value } : { ok: false, problem: "date_format" };
}

/**
 * A period the admin typed: two dates in any order with a dash, "с … по …" or spaces
 * between; with `single`, one date is a one-day period. Longer than `maxDays` is refused.
 */
export function parsePeriod(
  text: string,
  options: { single?: boolean; maxDays?: number; today?: Temporal.PlainDate } = {},
): Parsed<DatePeriod> {
  const tokens = text.match(DATE_TOKEN) ?? [];
  const rest = text.replace(DATE_TOKEN, "").replace(CONNECTORS, "");
  const count = tokens.length;
  if (rest !== "" || count > 2 || count === 0 || (count === 1 && !options.single)) {
    return { ok: false, problem: "date_format" };
  }
  const days = tokens.map((token) => parseDay(token, options.today));
  const [a, b = a] = days;
  if (!a.ok || !b.ok) return { ok: false, problem: "date_format" };
  const [from, to] = Temporal.PlainDate.compare(a.value, b.value) <= 0
    ? [a.value, b.value]
    : [b.value, a.value];
  if (from.until(to).days > (options.maxDays ?? MAX_PERIOD_DAYS)) {
    return { ok: false, problem: "period_long" };
  }
  return { ok: true, value: { from, to } };
}
