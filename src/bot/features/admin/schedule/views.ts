/**
 * The schedule screens as pure functions of what they show: a master's week, one weekday,
 * the days off, the booking rules and the master picker.
 */
import type { DayOff, WeekdayBreak, WeekdayHours } from "../../../../db/schedule_repo.ts";
import type { Staff } from "../../../../db/staff_repo.ts";
import { formatSpan } from "../../../../domain/admin_input.ts";
import type { BookingRules } from "../../../../domain/slots.ts";
import { button, type Buttons, type Screen } from "../../../../ui/buttons.ts";
import { cb } from "../../../../ui/callback_data.ts";
import { formatDate, formatShortDate } from "../../../../ui/format.ts";
import type { Translate } from "../../../../ui/i18n.ts";
import { withNotice } from "../kit.ts";
import { RULE_CODES, scheduleCb } from "./codecs.ts";
import { ruleValue, type ScheduleEnv, ts, weekdayName } from "./report.ts";

/** How many days off get their own remove button. */
const DAYS_OFF_SHOWN = 20;

/** What a master's week shows. */
export interface WeekModel {
  staff: Staff;
  hours: readonly WeekdayHours[];
  breaks: readonly WeekdayBreak[];
  /** How many days off are ahead. */
  daysOff: number;
  rules: BookingRules;
}

function suffix(staff: Staff, env: ScheduleEnv): string {
  return env.several ? ts(env.t)("for_staff", { name: staff.name }) : "";
}

/** The row leading back to the admin menu. */
export function adminMenuRow(env: { t: Translate }) {
  return [button(env.t("admin.back_to_admin"), cb.adminSection.pack({ section: "menu" }))];
}

function backToWeekRow(staffId: number, env: ScheduleEnv) {
  return [button(ts(env.t)("back_to_week"), scheduleCb.week.pack({ s: staffId }))];
}

function weekLines(m: WeekModel, env: ScheduleEnv): string[] {
  const t = ts(env.t);
  const lines = [t("week_title", { suffixHtml: suffix(m.staff, env) })];
  if (!m.staff.isActive) lines.push(t("staff_is_inactive"));
  lines.push("");
  for (let wd = 1; wd <= 7; wd++) {
    const h = m.hours.find((x) => x.weekday === wd);
    const breaks = m.breaks.filter((b) => b.weekday === wd).map(formatSpan);
    const key = h ? (breaks.length ? "week_line_breaks" : "week_line") : "week_line_off";
    lines.push(t(key, {
      day: weekdayName(env.t, wd),
      hours: h ? formatSpan(h) : "",
      breaks: breaks.join(", "),
    }));
  }
  const rule = (code: typeof RULE_CODES[number]) => ruleValue(env.t, code, m.rules);
  lines.push(
    "",
    t("week_days_off", { count: m.daysOff }),
    "",
    t("rules_short", {
      stepHtml: rule("step"),
      maxHtml: rule("max"),
      noticeHtml: rule("notice"),
      horizonHtml: rule("horizon"),
      cutoffHtml: rule("cutoff"),
    }),
  );
  return lines;
}

/** A master's week with their days off and the booking rules in short. */
export function weekView(m: WeekModel, notice: string, env: ScheduleEnv): Screen {
  const t = ts(env.t);
  const s = m.staff.id;
  const days = Array.from(
    { length: 7 },
    (_, i) => button(weekdayName(env.t, i + 1, true), scheduleCb.day.pack({ s, wd: i + 1 })),
  );
  const buttons: Buttons = [
    days.slice(0, 4),
    days.slice(4),
    [button(t("days_off_button"), scheduleCb.daysOff.pack({ s }))],
    [button(t("rules_button"), scheduleCb.rules.pack({}))],
  ];
  if (env.several) buttons.push([button(t("pick_staff"), scheduleCb.pick.pack({}))]);
  buttons.push(adminMenuRow(env));
  return { text: withNotice(notice, weekLines(m, env).join("\n")), buttons };
}

/** What one weekday of a master shows. */
export interface DayModel {
  staff: Staff;
  weekday: number;
  hours: WeekdayHours | undefined;
  breaks: readonly WeekdayBreak[];
}

/** One weekday with the buttons to change its hours and breaks (for admins). */
export function dayView(m: DayModel, notice: string, env: ScheduleEnv): Screen {
  const t = ts(env.t);
  const [s, wd] = [m.staff.id, m.weekday];
  const text = [
    t("day_title", { day: weekdayName(env.t, wd), suffixHtml: suffix(m.staff, env) }),
    m.hours ? t("day_hours", { hours: formatSpan(m.hours) }) : t("day_closed"),
    m.breaks.length
      ? t("day_breaks", { breaks: m.breaks.map(formatSpan).join(", ") })
      : t("day_no_breaks"),
  ].join("\n");
  const buttons: Buttons = [];
  if (env.canEdit) {
    buttons.push([button(t("set_hours"), scheduleCb.hours.pack({ s, wd }))]);
    if (m.hours) {
      buttons.push([button(t("make_day_off"), scheduleCb.close.pack({ s, wd }))]);
      buttons.push([button(t("add_break"), scheduleCb.addBreak.pack({ s, wd }))]);
    }
    for (const b of m.breaks) {
      buttons.push([button(
        t("remove_break", { span: formatSpan(b) }),
        scheduleCb.removeBreak.pack({ s, id: b.id }),
      )]);
    }
  }
  buttons.push(backToWeekRow(s, env));
  return { text: withNotice(notice, text), buttons };
}

function dayOffLine(d: DayOff, staff: Staff, env: ScheduleEnv): string {
  const t = ts(env.t);
  const date = formatDate(Temporal.PlainDate.from(d.day), env.lang, env.timeZone);
  const scope = d.staffId === null
    ? (env.several ? t("scope_business") : "")
    : t("scope_staff", { name: staff.name });
  return t("day_off_line", {
    date,
    scopeHtml: scope ? ` · ${scope}` : "",
    reason: d.reason ? ` — ${d.reason}` : "",
  });
}

function daysOffButtons(staff: Staff, off: readonly DayOff[], env: ScheduleEnv): Buttons {
  const t = ts(env.t);
  const s = staff.id;
  const buttons: Buttons = [[button(
    t(env.several ? "add_day_off_business" : "add_day_off"),
    scheduleCb.addDayOff.pack({ s, m: 0 }),
  )]];
  if (env.several) {
    // Button labels are plain text: the name goes in unescaped.
    buttons.push([button(
      t("add_day_off_staff", { nameHtml: staff.name }),
      scheduleCb.addDayOff.pack({ s, m: 1 }),
    )]);
  }
  for (const d of off.slice(0, DAYS_OFF_SHOWN)) {
    buttons.push([button(
      t("remove_day_off", { day: formatShortDate(Temporal.PlainDate.from(d.day), env.lang) }),
      scheduleCb.removeDayOff.pack({ s, id: d.id }),
    )]);
  }
  return buttons;
}

/** The upcoming days off that concern a master (business-wide ones included). */
export function daysOffView(
  staff: Staff,
  off: readonly DayOff[],
  notice: string,
  env: ScheduleEnv,
): Screen {
  const t = ts(env.t);
  const lines = [t("days_off_title", { suffixHtml: suffix(staff, env) }), ""];
  if (off.length === 0) lines.push(t("days_off_empty"));
  lines.push(...off.map((d) => dayOffLine(d, staff, env)), "", t("days_off_hint"));
  const buttons = env.canEdit ? daysOffButtons(staff, off, env) : [];
  buttons.push(backToWeekRow(staff.id, env));
  return { text: withNotice(notice, lines.join("\n")), buttons };
}

/** The booking rules with a button for each (for admins). */
export function rulesView(rules: BookingRules, notice: string, env: ScheduleEnv): Screen {
  const t = ts(env.t);
  const lines = [t("rules_title"), ""];
  for (const code of RULE_CODES) {
    lines.push(t(`rule_line_${code}`, { valueHtml: ruleValue(env.t, code, rules) }));
  }
  const buttons: Buttons = env.canEdit
    ? RULE_CODES.map((r) => [button(t(`rule_button_${r}`), scheduleCb.rule.pack({ r }))])
    : [];
  buttons.push(backToWeekRow(0, env));
  return { text: withNotice(notice, lines.join("\n")), buttons };
}

/** The masters to choose whose schedule to edit. */
export function pickerView(staff: Staff[], env: ScheduleEnv): Screen {
  const buttons: Buttons = staff.map((s) => [
    button(`${s.isActive ? "🟢" : "⏸"} ${s.name}`, scheduleCb.week.pack({ s: s.id })),
  ]);
  buttons.push(adminMenuRow(env));
  return { text: ts(env.t)("pick_staff_title"), buttons };
}
