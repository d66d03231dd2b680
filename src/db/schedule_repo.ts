/** Weekly hours, breaks, days off and the booking rules (settings). */
import { type BookingRules, DEFAULT_RULES, type MinuteSpan } from "../domain/slots.ts";
import type { Db } from "./connection.ts";
import { cached } from "./config_cache.ts";
import { stmt } from "./statements.ts";
import { businessProfile } from "./profile_repo.ts";

/** Weekly hours of one weekday (1 = Monday .. 7 = Sunday). */
export interface WeekdayHours extends MinuteSpan {
  weekday: number;
}

/** A break on a weekday. */
export interface WeekdayBreak extends MinuteSpan {
  id: number;
  weekday: number;
}

/** A day off or holiday; staffId null closes the whole business. */
export interface DayOff {
  id: number;
  staffId: number | null;
  day: string;
  reason: string | null;
}

/** Working hours of a staff member for every working weekday. */
export function listWorkingHours(db: Db, staffId: number): readonly Readonly<WeekdayHours>[] {
  return cached(db, `hours:${staffId}`, () =>
    stmt(
      db,
      `SELECT weekday, start_minute AS start, end_minute AS end FROM working_hours
       WHERE staff_id = ? ORDER BY weekday`,
    ).all(staffId) as unknown as WeekdayHours[]);
}

/** Sets (or, with undefined, clears) the hours of one weekday. */
export function setWorkingHours(
  db: Db,
  staffId: number,
  weekday: number,
  span: MinuteSpan | undefined,
): void {
  if (!span) {
    stmt(db, "DELETE FROM working_hours WHERE staff_id = ? AND weekday = ?").run(staffId, weekday);
    return;
  }
  stmt(
    db,
    `INSERT INTO working_hours (staff_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)
     ON CONFLICT (staff_id, weekday) DO UPDATE SET start_minute = excluded.start_minute,
       end_minute = excluded.end_minute`,
  ).run(staffId, weekday, span.start, span.end);
}

/** Breaks of a staff member, all weekdays. */
export function listBreaks(db: Db, staffId: number): readonly Readonly<WeekdayBreak>[] {
  return cached(db, `breaks:${staffId}`, () =>
    stmt(
      db,
      `SELECT id, weekday, start_minute AS start, end_minute AS end FROM breaks
       WHERE staff_id = ? ORDER BY weekday, start_minute`,
    ).all(staffId) as unknown as WeekdayBreak[]);
}

/** Adds a break and returns its id. */
export function addBreak(db: Db, staffId: number, weekday: number, span: MinuteSpan): number {
  return Number(
    stmt(
      db,
      "INSERT INTO breaks (staff_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)",
    ).run(staffId, weekday, span.start, span.end).lastInsertRowid,
  );
}

/** Removes a break. */
export function removeBreak(db: Db, id: number): void {
  stmt(db, "DELETE FROM breaks WHERE id = ?").run(id);
}

/** Days off from `fromDay` on (ISO dates), business-wide and of the staff member. */
export function listDaysOff(
  db: Db,
  fromDay: string,
  staffId?: number,
): readonly Readonly<DayOff>[] {
  return cached(db, `days_off:${fromDay}:${staffId ?? ""}`, () =>
    stmt(
      db,
      `SELECT id, staff_id AS staffId, day, reason FROM days_off
       WHERE day >= ? AND (staff_id IS NULL OR staff_id = ?) ORDER BY day`,
    ).all(fromDay, staffId ?? -1) as unknown as DayOff[]);
}

/** True when `day` is off for the business or the staff member. */
export function isDayOff(db: Db, day: string, staffId: number): boolean {
  return stmt(
    db,
    "SELECT 1 FROM days_off WHERE day = ? AND (staff_id IS NULL OR staff_id = ?)",
  ).get(day, staffId) !== undefined;
}

/** Adds a day off; returns false when it already existed. */
export function addDayOff(
  db: Db,
  day: string,
  staffId: number | null,
  reason: string | null,
): boolean {
  const result = stmt(
    db,
    "INSERT OR IGNORE INTO days_off (staff_id, day, reason) VALUES (?, ?, ?)",
  ).run(staffId, day, reason);
  return Number(result.changes) > 0;
}

/** Removes a day off by id. */
export function removeDayOff(db: Db, id: number): void {
  stmt(db, "DELETE FROM days_off WHERE id = ?").run(id);
}

const RULE_KEYS: Record<keyof BookingRules, string> = {
  slotStepMinutes: "slot_step_minutes",
  minNoticeMinutes: "min_notice_minutes",
  horizonDays: "horizon_days",
  maxBookingsPerDay: "max_bookings_per_day",
  cancellationCutoffHours: "cancellation_cutoff_hours",
};

/** The booking rules, defaults filled in for missing settings. */
export function getRules(db: Db): Readonly<BookingRules> {
  return cached(db, "rules", () => readRules(db));
}

function readRules(db: Db): BookingRules {
  const rows = stmt(db, "SELECT key, value FROM settings").all();
  const byKey = new Map(rows.map((r) => [String(r.key), Number(r.value)]));
  const rules = { ...DEFAULT_RULES };
  for (const [field, key] of Object.entries(RULE_KEYS) as [keyof BookingRules, string][]) {
    const value = byKey.get(key);
    if (value !== undefined && Number.isFinite(value)) rules[field] = value;
  }
  return rules;
}

/** Stores one booking rule. */
export function setRule(db: Db, field: keyof BookingRules, value: number, now: number): void {
  stmt(
    db,
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(RULE_KEYS[field], String(value), now);
}

/** The business's contacts as owners stored them in settings (absent ones undefined). */
export function getBusinessContact(db: Db): { address?: string; phone?: string } {
  const { address, phone } = businessProfile(db);
  return { address: address.trim() || undefined, phone: phone.trim() || undefined };
}
