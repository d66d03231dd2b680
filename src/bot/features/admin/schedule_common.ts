/** What the masters and schedule screens share: their buttons and the conflicts report. */
import { z } from "zod";
import type { Booking } from "../../../db/bookings_repo.ts";
import { listAllStaff } from "../../../db/staff_repo.ts";
import type { Conflict } from "../../../domain/schedule_conflicts.ts";
import { conflictingBookings } from "../../../services/schedule_admin.ts";
import { cb, codec } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { type Params, scoped } from "../../../ui/i18n.ts";
import type { Namespaces } from "../../../ui/locale_keys.ts";
import { formatDate, formatTime } from "../../../ui/format.ts";
import { button } from "../../ui.ts";

const id = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const flag = z.coerce.number().int().min(0).max(1);
const weekday = z.coerce.number().int().min(1).max(7);

/** Rule codes as they appear in callback data. */
export const RULE_CODES = ["step", "max", "notice", "horizon", "cutoff"] as const;

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
  /** Activate (on 1) or deactivate (on 0); ok 1 = confirmed. */
  active: codec("ama", { id, on: flag, ok: flag }),
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
  /** Remove day off `id`. */
  removeDayOff: codec("ahr", { s: id, id }),
  /** The booking rules. */
  rules: codec("ahs", {}),
  /** Change one rule (asks for the number). */
  rule: codec("ahe", { r: z.enum(RULE_CODES) }),
} as const;

/** How many conflicting bookings are listed one by one. */
const CONFLICTS_SHOWN = 15;

/** Locale text of a schedule key. */
export function st(ctx: BotContext, key: Namespaces["admin_schedule"], params?: Params) {
  return scoped(ctx.t, "admin_schedule")(key, params);
}

/** The name of weekday `wd` (1 = Monday), full or short. */
export function weekdayName(ctx: BotContext, wd: number, short = false): string {
  const day = wd as 1 | 2 | 3 | 4 | 5 | 6 | 7;
  return st(ctx, short ? `wd_short_${day}` : `wd_${day}`);
}

/** True when there is more than one master (active or not) to tell apart. */
export function severalStaff(ctx: BotContext): boolean {
  return listAllStaff(ctx.deps.db).length > 1;
}

/** The row leading back to the admin menu. */
export function backToAdminRow(ctx: BotContext) {
  return [button(ctx.t("admin.back_to_admin"), cb.adminSection.pack({ section: "menu" }))];
}

/**
 * The report of active future bookings the schedule no longer covers ("" when none), with
 * date, time, client, service (and master when there are several) and the reason.
 */
export function conflictsReport(ctx: BotContext, conflicts: Conflict<Booking>[]): string {
  if (conflicts.length === 0) return "";
  const tz = ctx.config.timeZone;
  const withStaff = severalStaff(ctx);
  const lines = [st(ctx, "conflicts_title", { count: conflicts.length })];
  for (const { booking: b, reason } of conflicts.slice(0, CONFLICTS_SHOWN)) {
    lines.push(st(ctx, withStaff ? "conflict_line_staff" : "conflict_line", {
      id: b.id,
      date: formatDate(b.start, ctx.lang, tz),
      start: formatTime(b.start, tz),
      end: formatTime(b.end, tz),
      client: b.clientName,
      phone: b.phone,
      service: b.serviceName,
      staff: b.staffName,
      reasonHtml: st(ctx, `conflict_${reason}`),
    }));
  }
  if (conflicts.length > CONFLICTS_SHOWN) {
    lines.push(st(ctx, "conflicts_more", { count: conflicts.length - CONFLICTS_SHOWN }));
  }
  lines.push(st(ctx, "conflicts_hint"));
  return lines.join("\n");
}

/** The conflicts report for one master (or all with undefined), computed now. */
export function conflictsFor(ctx: BotContext, staffId?: number): string {
  return conflictsReport(
    ctx,
    conflictingBookings(ctx.deps.db, ctx.config.timeZone, ctx.deps.clock.now(), staffId),
  );
}

/** Resets the admin's pending text input. */
export function resetInput(ctx: BotContext): void {
  ctx.session.step = "idle";
  ctx.session.admin = undefined;
}
