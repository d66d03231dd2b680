/** The buttons of the masters ("am") and schedule ("ah") screens, and the rule codes. */
import { z } from "zod";
import type { BookingRules } from "../../../../domain/slots.ts";
import { codec } from "../../../../ui/callback_data.ts";
import type { RuleCode } from "../input.ts";

const id = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const flag = z.coerce.number().int().min(0).max(1);
const weekday = z.coerce.number().int().min(1).max(7);

/** Rule codes as they appear in callback data. */
export const RULE_CODES = [
  "step",
  "max",
  "notice",
  "horizon",
  "cutoff",
] as const satisfies RuleCode[];

export type { RuleCode };

/** The booking rule of each code. */
export const RULE_OF: Record<RuleCode, keyof BookingRules> = {
  step: "slotStepMinutes",
  max: "maxBookingsPerDay",
  notice: "minNoticeMinutes",
  horizon: "horizonDays",
  cutoff: "cancellationCutoffHours",
};

/** Buttons of the masters screens. */
export const staffCb = {
  /** The list of masters. */
  list: codec("aml", {}),
  /** One master's card. */
  view: codec("amv", { id }),
  /** Add a master (asks for the name). */
  add: codec("amn", {}),
  /** Rename a master (asks for the name). */
  rename: codec("amr", { id }),
  /** Activate (on 1) or deactivate (on 0): ok 0 = ask, 1 = do. */
  active: codec("ama", { id, on: flag, ok: flag }),
  /** The services a master does (toggles). */
  services: codec("ams", { id }),
  /** A one-time link inviting master `id` to the bot (owners). */
  invite: codec("ami", { id }),
  /** Unlink master `id` from their Telegram account (owners). */
  unlink: codec("amu", { id }),
  /** Master `id` does (on 1) or no longer does (on 0) service `svc`. */
  service: codec("amt", { id, svc: id, on: flag }),
} as const;

/** Buttons of the schedule screens; `s` is a master's id. */
export const scheduleCb = {
  /** The week of master `s` (0 = the default master). */
  week: codec("ahm", { s: id }),
  /** Choose whose schedule to edit. */
  pick: codec("ahp", {}),
  /** One weekday of master `s`. */
  day: codec("ahd", { s: id, wd: weekday }),
  /** Set the hours of a weekday (asks for HH:MM-HH:MM). */
  hours: codec("ahh", { s: id, wd: weekday }),
  /** Make a weekday a non-working day. */
  close: codec("ahx", { s: id, wd: weekday }),
  /** Add a break on a weekday (asks for HH:MM-HH:MM). */
  addBreak: codec("ahb", { s: id, wd: weekday }),
  /** Remove break `id` of master `s`. */
  removeBreak: codec("ahk", { s: id, id }),
  /** Days off as seen by master `s`. */
  daysOff: codec("aho", { s: id }),
  /** Add a day off: m 0 = whole business, 1 = master `s` only (asks for the date). */
  addDayOff: codec("aha", { s: id, m: flag }),
  /** A day off picked on the calendar: date `d` (m as in addDayOff). */
  pickDayOff: codec("ahq", { s: id, m: flag, d: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  /** The day-off calendar shown for month `ym`. */
  dayOffMonth: codec("ahy", { s: id, m: flag, ym: z.string().regex(/^\d{4}-\d{2}$/) }),
  /** Remove day off `id`. */
  removeDayOff: codec("ahr", { s: id, id }),
  /** The booking rules. */
  rules: codec("ahs", {}),
  /** Change one rule (asks for the number). */
  rule: codec("ahe", { r: z.enum(RULE_CODES) }),
} as const;
