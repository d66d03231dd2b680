/**
 * What the masters and schedule screens share: how they are told apart, weekday names, rule
 * values and the report of bookings a change left outside the schedule.
 */
import type { Booking } from "../../../../db/bookings_repo.ts";
import type { Conflict } from "../../../../domain/schedule_conflicts.ts";
import type { BookingRules } from "../../../../domain/slots.ts";
import { localDate } from "../../../../domain/time.ts";
import { button, type Buttons } from "../../../../ui/buttons.ts";
import { cb } from "../../../../ui/callback_data.ts";
import { formatDate, formatShortDate, formatTime } from "../../../../ui/format.ts";
import { type Lang, scoped, type Translate } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import type { ScheduleError } from "../../../../services/schedule_admin.ts";
import { hasRole } from "../access_control.ts";
import { RULE_OF, type RuleCode } from "./codecs.ts";

/** How many conflicting bookings are listed one by one. */
const CONFLICTS_SHOWN = 15;

/** What every schedule screen needs besides its data. */
export interface ScheduleEnv {
  t: Translate;
  lang: Lang;
  timeZone: string;
  /** Admins change the schedule; viewers only look. */
  canEdit: boolean;
  /** More than one master exists, so screens name the master. */
  several: boolean;
}

/** The environment of the admin looking. */
export function scheduleEnv(ctx: BotContext): ScheduleEnv {
  return {
    t: ctx.t,
    lang: ctx.lang,
    timeZone: ctx.config.timeZone,
    canEdit: hasRole(ctx, "admin"),
    several: ctx.deps.services.catalog.severalMasters("all"),
  };
}

/** The schedule namespace's translator. */
export function ts(t: Translate) {
  return scoped(t, "admin_schedule");
}

/** The name of weekday `wd` (1 = Monday), full or short. */
export function weekdayName(t: Translate, wd: number, short = false): string {
  const day = wd as 1 | 2 | 3 | 4 | 5 | 6 | 7;
  return ts(t)(short ? `wd_short_${day}` : `wd_${day}`);
}

/** A rule's value as text ("no limit" for a zero daily maximum). */
export function ruleValue(t: Translate, code: RuleCode, rules: BookingRules): string {
  const value = rules[RULE_OF[code]];
  if (code === "max" && value === 0) return ts(t)("rule_unlimited");
  return ts(t)(`rule_value_${code}`, { value });
}

/**
 * The report of active future bookings the schedule no longer covers ("" when none), with
 * date, time, client, service (and master when there are several) and the reason.
 */
export function conflictsReport(conflicts: Conflict<Booking>[], env: ScheduleEnv): string {
  if (conflicts.length === 0) return "";
  const t = ts(env.t);
  const tz = env.timeZone;
  const lines = [t("conflicts_title", { count: conflicts.length })];
  for (const { booking: b, reason } of conflicts.slice(0, CONFLICTS_SHOWN)) {
    lines.push(t(env.several ? "conflict_line_staff" : "conflict_line", {
      id: b.id,
      date: formatDate(b.start, env.lang, tz),
      start: formatTime(b.start, tz),
      end: formatTime(b.end, tz),
      client: b.clientName,
      phone: b.phone,
      service: b.serviceName,
      staff: b.staffName,
      reasonHtml: t(`conflict_${reason}`),
    }));
  }
  if (conflicts.length > CONFLICTS_SHOWN) {
    lines.push(t("conflicts_more", { count: conflicts.length - CONFLICTS_SHOWN }));
  }
  lines.push(t("conflicts_hint"));
  return lines.join("\n");
}

/** A button per listed conflicting booking, opening its card in the bookings section. */
export function conflictRows(conflicts: Conflict<Booking>[], env: ScheduleEnv): Buttons {
  return conflicts.slice(0, CONFLICTS_SHOWN).map(({ booking: b }) => [button(
    ts(env.t)("conflict_open", {
      id: b.id,
      date: formatShortDate(localDate(b.start, env.timeZone), env.lang),
      start: formatTime(b.start, env.timeZone),
    }),
    cb.adminBooking.pack({ id: b.id }),
  )]);
}

/** `notice` followed by the conflicts of one master (or of all, with undefined), found now. */
export function withConflicts(ctx: BotContext, notice: string, staffId?: number): string {
  const report = conflictsReport(
    ctx.deps.services.schedule.conflicts(staffId),
    scheduleEnv(ctx),
  );
  return report ? `${notice}\n\n${report}` : notice;
}

/** The explanation of a refused schedule change. */
export function errorText(t: Translate, error: ScheduleError): string {
  return ts(t)(`err_${error.code}`, { detail: error.detail });
}
