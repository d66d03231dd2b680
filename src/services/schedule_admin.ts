/**
 * Admin changes to masters, weekly hours, breaks, days off and booking rules. Each change
 * is validated and written with its audit record in one BEGIN IMMEDIATE transaction.
 * Nothing here touches bookings: `conflictingBookings` (schedule_coverage.ts) lists those a
 * change left outside the schedule, so the admin can move or cancel them.
 */
import { formatSpan, parseLine } from "../domain/admin_input.ts";
import type { BookingRules, MinuteSpan } from "../domain/slots.ts";
import { audit } from "../db/audit_repo.ts";
import { type Booking, listBookingsBetween } from "../db/bookings_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import {
  addBreak,
  addDayOff,
  type DayOff,
  getRules,
  listBreaks,
  listDaysOff,
  listWorkingHours,
  removeBreak,
  removeDayOff,
  setRule,
  setWorkingHours,
} from "../db/schedule_repo.ts";
import {
  getStaff,
  insertStaff,
  listActiveStaff,
  listAllStaff,
  renameStaff,
  setStaffActive,
  type Staff,
} from "../db/staff_repo.ts";

/** Why a schedule change was refused; each code is a locale key admin_schedule.err_<code>. */
export type ScheduleErrorCode =
  | "staff_not_found"
  | "staff_name"
  | "last_active_staff"
  | "break_outside_hours"
  | "hours_exclude_break"
  | "break_overlap"
  | "break_not_found"
  | "no_hours"
  | "day_past"
  | "day_far"
  | "day_off_exists"
  | "day_off_not_found"
  | "reason_long"
  | "rule_range";

/** A refusal the admin caused; `detail` is shown with the message (e.g. the break at fault). */
export class ScheduleError extends Error {
  constructor(readonly code: ScheduleErrorCode, readonly detail: string = "") {
    super(code);
    this.name = "ScheduleError";
  }
}

/** The allowed range of each booking rule. */
export const RULE_LIMITS: Record<keyof BookingRules, { min: number; max: number }> = {
  slotStepMinutes: { min: 5, max: 240 },
  maxBookingsPerDay: { min: 0, max: 1000 },
  minNoticeMinutes: { min: 0, max: 10_080 },
  horizonDays: { min: 1, max: 365 },
  cancellationCutoffHours: { min: 0, max: 168 },
};

/** The audit/settings name of each rule. */
const RULE_NAMES: Record<keyof BookingRules, string> = {
  slotStepMinutes: "slot_step_minutes",
  minNoticeMinutes: "min_notice_minutes",
  horizonDays: "horizon_days",
  maxBookingsPerDay: "max_bookings_per_day",
  cancellationCutoffHours: "cancellation_cutoff_hours",
};

/** How far ahead a day off may be entered. */
export const DAY_OFF_MAX_DAYS_AHEAD = 3 * 365;

/** Longest reason of a day off. */
export const DAY_OFF_REASON_MAX = 100;

/** Who changes what, when. */
export interface AdminAct {
  actorId: number;
  now: number;
}

function requireStaff(db: Db, staffId: number): Staff {
  const staff = getStaff(db, staffId);
  if (!staff) throw new ScheduleError("staff_not_found");
  return staff;
}

function hoursText(span: MinuteSpan | undefined): string {
  return span ? formatSpan(span) : "off";
}

// ---------------------------------------------------------------------------
// Masters
// ---------------------------------------------------------------------------

/** The master whose week a new master starts from: the first active one. */
export function defaultStaff(db: Db): Staff | undefined {
  return listActiveStaff(db)[0] ?? listAllStaff(db)[0];
}

/** Adds a master with a copy of the default master's weekly hours and breaks. */
export function addStaffMember(db: Db, name: string, act: AdminAct): Staff {
  const parsed = parseLine(name, 1, 100);
  if (!parsed.ok) throw new ScheduleError("staff_name");
  return writeTransaction(db, () => {
    const template = defaultStaff(db);
    const id = insertStaff(db, parsed.value, act.now);
    if (template) {
      for (const h of listWorkingHours(db, template.id)) {
        setWorkingHours(db, id, h.weekday, { start: h.start, end: h.end });
      }
      for (const b of listBreaks(db, template.id)) {
        addBreak(db, id, b.weekday, { start: b.start, end: b.end });
      }
    }
    audit(db, {
      at: act.now,
      actorId: act.actorId,
      entity: "staff",
      entityId: id,
      action: "create",
      newValue: { name: parsed.value, hoursCopiedFrom: template?.id ?? null },
    });
    return getStaff(db, id)!;
  });
}

/** Renames a master. */
export function renameStaffMember(db: Db, staffId: number, name: string, act: AdminAct): Staff {
  const parsed = parseLine(name, 1, 100);
  if (!parsed.ok) throw new ScheduleError("staff_name");
  return writeTransaction(db, () => {
    const before = requireStaff(db, staffId);
    if (before.name === parsed.value) return before;
    renameStaff(db, staffId, parsed.value, act.now);
    audit(db, {
      at: act.now,
      actorId: act.actorId,
      entity: "staff",
      entityId: staffId,
      action: "update",
      field: "name",
      oldValue: before.name,
      newValue: parsed.value,
    });
    return getStaff(db, staffId)!;
  });
}

/** Active bookings of a master that start at `now` or later, soonest first. */
export function futureBookingsOfStaff(db: Db, staffId: number, now: number): Booking[] {
  return listBookingsBetween(db, {
    from: now,
    to: Number.MAX_SAFE_INTEGER,
    status: "active",
    staffId,
  });
}

/** Activates or deactivates a master; the last active master cannot be deactivated. */
export function setStaffMemberActive(
  db: Db,
  staffId: number,
  active: boolean,
  act: AdminAct,
): Staff {
  return writeTransaction(db, () => {
    const before = requireStaff(db, staffId);
    if (before.isActive === active) return before;
    if (!active && listActiveStaff(db).length <= 1) {
      throw new ScheduleError("last_active_staff");
    }
    setStaffActive(db, staffId, active, act.now);
    audit(db, {
      at: act.now,
      actorId: act.actorId,
      entity: "staff",
      entityId: staffId,
      action: active ? "activate" : "deactivate",
      field: "is_active",
      oldValue: before.isActive,
      newValue: active,
    });
    return getStaff(db, staffId)!;
  });
}

// ---------------------------------------------------------------------------
// Weekly hours and breaks
// ---------------------------------------------------------------------------

/** Sets the hours of one weekday of a master (undefined = not a working day). */
export function setWeekdayHours(
  db: Db,
  staffId: number,
  weekday: number,
  span: MinuteSpan | undefined,
  act: AdminAct,
): { changed: boolean } {
  return writeTransaction(db, () => {
    requireStaff(db, staffId);
    const old = listWorkingHours(db, staffId).find((h) => h.weekday === weekday);
    const oldSpan = old ? { start: old.start, end: old.end } : undefined;
    if (hoursText(oldSpan) === hoursText(span)) return { changed: false };
    if (span) {
      const outside = listBreaks(db, staffId)
        .find((b) => b.weekday === weekday && (b.start < span.start || b.end > span.end));
      if (outside) throw new ScheduleError("hours_exclude_break", formatSpan(outside));
    }
    setWorkingHours(db, staffId, weekday, span);
    audit(db, {
      at: act.now,
      actorId: act.actorId,
      entity: "schedule",
      entityId: staffId,
      action: "update",
      field: `hours_${weekday}`,
      oldValue: hoursText(oldSpan),
      newValue: hoursText(span),
    });
    return { changed: true };
  });
}

/** Adds a break inside the hours of a weekday, not overlapping another break. */
export function addWeekdayBreak(
  db: Db,
  staffId: number,
  weekday: number,
  span: MinuteSpan,
  act: AdminAct,
): number {
  return writeTransaction(db, () => {
    requireStaff(db, staffId);
    const hours = listWorkingHours(db, staffId).find((h) => h.weekday === weekday);
    if (!hours) throw new ScheduleError("no_hours");
    if (span.start < hours.start || span.end > hours.end) {
      throw new ScheduleError("break_outside_hours", formatSpan(hours));
    }
    const clash = listBreaks(db, staffId)
      .find((b) => b.weekday === weekday && b.start < span.end && span.start < b.end);
    if (clash) throw new ScheduleError("break_overlap", formatSpan(clash));
    const id = addBreak(db, staffId, weekday, span);
    audit(db, {
      at: act.now,
      actorId: act.actorId,
      entity: "schedule",
      entityId: staffId,
      action: "create",
      field: `break_${weekday}`,
      newValue: formatSpan(span),
    });
    return id;
  });
}

/** Removes one break of a master. */
export function removeWeekdayBreak(db: Db, staffId: number, breakId: number, act: AdminAct) {
  writeTransaction(db, () => {
    const found = listBreaks(db, staffId).find((b) => b.id === breakId);
    if (!found) throw new ScheduleError("break_not_found");
    removeBreak(db, breakId);
    audit(db, {
      at: act.now,
      actorId: act.actorId,
      entity: "schedule",
      entityId: staffId,
      action: "delete",
      field: `break_${found.weekday}`,
      oldValue: formatSpan(found),
    });
  });
}

// ---------------------------------------------------------------------------
// Days off
// ---------------------------------------------------------------------------

/** Adds a day off for the whole business (staffId null) or one master. */
export function addDayOffEntry(
  db: Db,
  entry: { day: Temporal.PlainDate; staffId: number | null; reason: string },
  today: Temporal.PlainDate,
  act: AdminAct,
): void {
  if (Temporal.PlainDate.compare(entry.day, today) < 0) throw new ScheduleError("day_past");
  if (Temporal.PlainDate.compare(entry.day, today.add({ days: DAY_OFF_MAX_DAYS_AHEAD })) > 0) {
    throw new ScheduleError("day_far");
  }
  const reason = entry.reason.trim().replace(/\s+/g, " ");
  if ([...reason].length > DAY_OFF_REASON_MAX) throw new ScheduleError("reason_long");
  writeTransaction(db, () => {
    if (entry.staffId !== null) requireStaff(db, entry.staffId);
    const day = entry.day.toString();
    const exists = listDaysOff(db, day, entry.staffId ?? undefined)
      .some((d) => d.day === day && (d.staffId === null || d.staffId === entry.staffId));
    if (exists || !addDayOff(db, day, entry.staffId, reason || null)) {
      throw new ScheduleError("day_off_exists");
    }
    audit(db, {
      at: act.now,
      actorId: act.actorId,
      entity: "schedule",
      entityId: entry.staffId ?? "all",
      action: "create",
      field: "day_off",
      newValue: reason ? `${day} ${reason}` : day,
    });
  });
}

/** Days off from today on that concern a master (business-wide ones included). */
export function upcomingDaysOff(
  db: Db,
  today: Temporal.PlainDate,
  staffId?: number,
): readonly DayOff[] {
  return listDaysOff(db, today.toString(), staffId);
}

/** Removes a day off (one of `upcomingDaysOff(today, staffId)`). */
export function removeDayOffEntry(
  db: Db,
  id: number,
  staffId: number | undefined,
  today: Temporal.PlainDate,
  act: AdminAct,
): DayOff {
  return writeTransaction(db, () => {
    const found = listDaysOff(db, today.toString(), staffId).find((d) => d.id === id);
    if (!found) throw new ScheduleError("day_off_not_found");
    removeDayOff(db, id);
    audit(db, {
      at: act.now,
      actorId: act.actorId,
      entity: "schedule",
      entityId: found.staffId ?? "all",
      action: "delete",
      field: "day_off",
      oldValue: found.reason ? `${found.day} ${found.reason}` : found.day,
    });
    return found;
  });
}

// ---------------------------------------------------------------------------
// Booking rules
// ---------------------------------------------------------------------------

/** Sets one booking rule within its limits; returns whether it changed. */
export function setBookingRule(
  db: Db,
  rule: keyof BookingRules,
  value: number,
  act: AdminAct,
): { changed: boolean } {
  const limits = RULE_LIMITS[rule];
  if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
    throw new ScheduleError("rule_range");
  }
  return writeTransaction(db, () => {
    const old = getRules(db)[rule];
    if (old === value) return { changed: false };
    setRule(db, rule, value, act.now);
    audit(db, {
      at: act.now,
      actorId: act.actorId,
      entity: "settings",
      entityId: RULE_NAMES[rule],
      action: "update",
      field: RULE_NAMES[rule],
      oldValue: old,
      newValue: value,
    });
    return { changed: true };
  });
}
