/** Parsing what admins type: service fields, time ranges, dates and whole numbers. */
import type { MinuteSpan } from "./slots.ts";
import { formatMinute, parseMinute } from "./time.ts";

/** Why an admin's input was refused (each maps to a locale key of the admin sections). */
export type AdminInputProblem =
  | "text_empty"
  | "text_long"
  | "number_format"
  | "number_range"
  | "price_format"
  | "range_format"
  | "range_order"
  | "date_format"
  | "period_long";

/** A parsed value or the reason it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: AdminInputProblem };

/** Words that mean "leave this empty" in the step-by-step dialogs. */
const SKIP_WORDS = new Set([
  "skip",
  "-",
  "—",
  "нет",
  "пропустить",
  "ні",
  "пропустити",
  "none",
  "no",
]);

/** True when the admin typed a word meaning "skip this field". */
export function isSkipWord(text: string): boolean {
  return SKIP_WORDS.has(text.trim().toLowerCase());
}

/** Free text of `min`..`max` characters, trimmed and with spaces folded (names, reasons). */
export function parseLine(text: string, min: number, max: number): Parsed<string> {
  // Control characters (NUL included: SQLite would cut the text there) are never meant.
  const value = text.normalize("NFC").replace(/\p{Cc}/gu, " ").trim().replace(/\s+/g, " ");
  const length = [...value].length;
  if (length < Math.max(1, min)) return { ok: false, problem: "text_empty" };
  if (length > max) return { ok: false, problem: "text_long" };
  return { ok: true, value };
}

/** Multi-line free text up to `max` characters (descriptions), trimmed. */
export function parseText(text: string, max: number): Parsed<string> {
  const value = text.normalize("NFC").replace(/[^\P{Cc}\n\t]/gu, "").trim();
  if (value.length === 0) return { ok: false, problem: "text_empty" };
  if ([...value].length > max) return { ok: false, problem: "text_long" };
  return { ok: true, value };
}

/** A whole number in [min, max]. */
export function parseWholeNumber(text: string, min: number, max: number): Parsed<number> {
  const compact = text.trim().replace(/\s+/g, "");
  if (!/^-?\d{1,9}$/.test(compact)) return { ok: false, problem: "number_format" };
  const value = Number(compact);
  if (value < min || value > max) return { ok: false, problem: "number_range" };
  return { ok: true, value };
}

/** The largest price accepted, in major units. */
export const MAX_PRICE_MAJOR = 10_000_000;

/**
 * A price in minor units: "1500", "1500.50", "1 500,5" -> 150050; a skip word -> null
 * (no price shown). At most two decimals.
 */
export function parsePriceMinor(text: string): Parsed<number | null> {
  if (isSkipWord(text)) return { ok: true, value: null };
  const compact = text.trim().replace(/[\s\u00a0]/g, "").replace(/(₽|руб\.?|р\.?|rub)$/i, "");
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return { ok: false, problem: "price_format" };
  const major = Number(match[1]);
  if (major > MAX_PRICE_MAJOR) return { ok: false, problem: "number_range" };
  const minor = match[2] ? Number(match[2].padEnd(2, "0")) : 0;
  return { ok: true, value: major * 100 + minor };
}

/** "1500.50" of a price in minor units (the form the admin types). */
export function formatPriceInput(priceMinor: number): string {
  const major = Math.floor(priceMinor / 100);
  const minor = priceMinor % 100;
  return minor === 0 ? String(major) : `${major}.${String(minor).padStart(2, "0")}`;
}

/** "09:00-18:00" (also "9:00 – 18:00", "09.00-18.00"; "24:00" is midnight) as minutes. */
export function parseTimeRange(text: string): Parsed<MinuteSpan> {
  const parts = text.trim().split(/\s*[-–—]\s*/);
  if (parts.length !== 2) return { ok: false, problem: "range_format" };
  const start = parseMinute(parts[0]);
  const end = parseMinute(parts[1]);
  if (start === undefined || end === undefined || start >= 1440) {
    return { ok: false, problem: "range_format" };
  }
  if (end <= start) return { ok: false, problem: "range_order" };
  return { ok: true, value: { start, end } };
}

/** "09:00–18:00" of a span of minutes. */
export function formatSpan(span: MinuteSpan): string {
  return `${formatMinute(span.start)}–${formatMinute(span.end)}`;
}

/** Splits "2026-12-31 New Year" into the date part and the optional rest. */
export function splitDayAndReason(text: string): { day: string; reason: string } {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  if (space < 0) return { day: trimmed, reason: "" };
  return { day: trimmed.slice(0, space), reason: trimmed.slice(space + 1).trim() };
}
