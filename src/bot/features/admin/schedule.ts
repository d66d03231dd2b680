/**
 * Admin section "schedule": weekly hours and breaks per master, days off and holidays (for
 * the business or one master), and the booking rules. Slots are computed from the database
 * on every request, so a saved change applies to the next slot list at once; bookings that
 * a change leaves outside the schedule are listed for the admin, never cancelled silently.
 * The masters section (staff.ts) is mounted here too.
 */
import { Composer } from "grammy";
import { getStaff, listAllStaff, type Staff } from "../../../db/staff_repo.ts";
import { getRules, listBreaks, listWorkingHours } from "../../../db/schedule_repo.ts";
import {
  formatSpan,
  isSkipWord,
  parseTimeRange,
  parseWholeNumber,
  splitDayAndReason,
} from "../../../domain/admin_input.ts";
import type { BookingRules } from "../../../domain/slots.ts";
import {
  addDayOffEntry,
  addWeekdayBreak,
  DAY_OFF_REASON_MAX,
  defaultStaff,
  removeDayOffEntry,
  removeWeekdayBreak,
  RULE_LIMITS,
  ScheduleError,
  setBookingRule,
  setWeekdayHours,
  upcomingDaysOff,
} from "../../../services/schedule_admin.ts";
import { cb } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { today } from "./kit.ts";
import { parseDay } from "../../../domain/date_input.ts";
import { formatDate } from "../../../ui/format.ts";
import { ack, button, type Buttons, show } from "../../ui.ts";
import { hasRole, requireRole } from "./access_control.ts";
import { inputProblemText } from "./kit.ts";
import {
  backToAdminRow,
  conflictsFor,
  resetInput,
  RULE_CODES,
  scheduleCb,
  severalStaff,
  st,
  weekdayName,
} from "./schedule_common.ts";
import { adminStaff } from "./staff.ts";

/** The composer of the schedule section (and, mounted inside, the masters section). */
export const adminSchedule = new Composer<BotContext>();

type RuleCode = typeof RULE_CODES[number];

const RULE_OF: Record<RuleCode, keyof BookingRules> = {
  step: "slotStepMinutes",
  max: "maxBookingsPerDay",
  notice: "minNoticeMinutes",
  horizon: "horizonDays",
  cutoff: "cancellationCutoffHours",
};

/** How many days off get their own remove button. */
const DAYS_OFF_SHOWN = 20;

function act(ctx: BotContext) {
  return { actorId: ctx.from!.id, now: ctx.deps.clock.now() };
}

/** The master a screen is about: the given one, or the default with 0. */
function resolveStaff(ctx: BotContext, staffId: number): Staff | undefined {
  return staffId === 0 ? defaultStaff(ctx.deps.db) : getStaff(ctx.deps.db, staffId);
}

function staffSuffix(ctx: BotContext, staff: Staff): string {
  return severalStaff(ctx) ? st(ctx, "for_staff", { name: staff.name }) : "";
}

function withNotice(notice: string, text: string): string {
  return notice ? `${notice}\n\n${text}` : text;
}

function ruleValue(ctx: BotContext, code: RuleCode, rules: BookingRules): string {
  const value = rules[RULE_OF[code]];
  if (code === "max" && value === 0) return st(ctx, "rule_unlimited");
  return st(ctx, `rule_value_${code}`, { value });
}

/** Shows the week of a master with their days off and the booking rules in short. */
export async function showWeek(ctx: BotContext, staffId: number, notice = ""): Promise<void> {
  const staff = resolveStaff(ctx, staffId);
  if (!staff) {
    await show(ctx, st(ctx, "err_staff_not_found"), [backToAdminRow(ctx)]);
    return;
  }
  const db = ctx.deps.db;
  const hours = listWorkingHours(db, staff.id);
  const breaks = listBreaks(db, staff.id);
  const lines = [st(ctx, "week_title", { suffixHtml: staffSuffix(ctx, staff) })];
  if (!staff.isActive) lines.push(st(ctx, "staff_is_inactive"));
  lines.push("");
  for (let wd = 1; wd <= 7; wd++) {
    const h = hours.find((x) => x.weekday === wd);
    const dayBreaks = breaks.filter((b) => b.weekday === wd).map(formatSpan);
    lines.push(
      st(ctx, h ? (dayBreaks.length ? "week_line_breaks" : "week_line") : "week_line_off", {
        day: weekdayName(ctx, wd),
        hours: h ? formatSpan(h) : "",
        breaks: dayBreaks.join(", "),
      }),
    );
  }
  const off = upcomingDaysOff(db, today(ctx), staff.id);
  lines.push("", st(ctx, "week_days_off", { count: off.length }));
  const rules = getRules(db);
  lines.push(
    "",
    st(ctx, "rules_short", {
      stepHtml: ruleValue(ctx, "step", rules),
      maxHtml: ruleValue(ctx, "max", rules),
      noticeHtml: ruleValue(ctx, "notice", rules),
      horizonHtml: ruleValue(ctx, "horizon", rules),
      cutoffHtml: ruleValue(ctx, "cutoff", rules),
    }),
  );
  const dayButtons = Array.from(
    { length: 7 },
    (_, i) =>
      button(weekdayName(ctx, i + 1, true), scheduleCb.day.pack({ s: staff.id, wd: i + 1 })),
  );
  const rows: Buttons = [dayButtons.slice(0, 4), dayButtons.slice(4)];
  rows.push([button(st(ctx, "days_off_button"), scheduleCb.daysOff.pack({ s: staff.id }))]);
  rows.push([button(st(ctx, "rules_button"), scheduleCb.rules.pack({}))]);
  if (severalStaff(ctx)) rows.push([button(st(ctx, "pick_staff"), scheduleCb.pick.pack({}))]);
  rows.push(backToAdminRow(ctx));
  await show(ctx, withNotice(notice, lines.join("\n")), rows);
}

/** Shows one weekday of a master with the buttons to change hours and breaks. */
async function showDay(ctx: BotContext, staffId: number, wd: number, notice = ""): Promise<void> {
  const staff = resolveStaff(ctx, staffId);
  if (!staff) return showWeek(ctx, 0, st(ctx, "err_staff_not_found"));
  const db = ctx.deps.db;
  const h = listWorkingHours(db, staff.id).find((x) => x.weekday === wd);
  const breaks = listBreaks(db, staff.id).filter((b) => b.weekday === wd);
  const lines = [
    st(ctx, "day_title", { day: weekdayName(ctx, wd), suffixHtml: staffSuffix(ctx, staff) }),
    h ? st(ctx, "day_hours", { hours: formatSpan(h) }) : st(ctx, "day_closed"),
    breaks.length
      ? st(ctx, "day_breaks", { breaks: breaks.map(formatSpan).join(", ") })
      : st(ctx, "day_no_breaks"),
  ];
  const rows: Buttons = [];
  if (hasRole(ctx, "admin")) {
    rows.push([button(st(ctx, "set_hours"), scheduleCb.hours.pack({ s: staff.id, wd }))]);
    if (h) {
      rows.push([button(st(ctx, "make_day_off"), scheduleCb.close.pack({ s: staff.id, wd }))]);
      rows.push([button(st(ctx, "add_break"), scheduleCb.addBreak.pack({ s: staff.id, wd }))]);
    }
    for (const b of breaks) {
      rows.push([button(
        st(ctx, "remove_break", { span: formatSpan(b) }),
        scheduleCb.removeBreak.pack({ s: staff.id, id: b.id }),
      )]);
    }
  }
  rows.push([button(st(ctx, "back_to_week"), scheduleCb.week.pack({ s: staff.id }))]);
  await show(ctx, withNotice(notice, lines.join("\n")), rows);
}

/** Shows the upcoming days off that concern a master (business-wide ones included). */
async function showDaysOff(ctx: BotContext, staffId: number, notice = ""): Promise<void> {
  const staff = resolveStaff(ctx, staffId);
  if (!staff) return showWeek(ctx, 0, st(ctx, "err_staff_not_found"));
  const several = severalStaff(ctx);
  const off = upcomingDaysOff(ctx.deps.db, today(ctx), staff.id);
  const lines = [st(ctx, "days_off_title", { suffixHtml: staffSuffix(ctx, staff) }), ""];
  if (off.length === 0) lines.push(st(ctx, "days_off_empty"));
  for (const d of off) {
    const date = formatDate(Temporal.PlainDate.from(d.day), ctx.lang, ctx.config.timeZone);
    const scope = d.staffId === null
      ? (several ? st(ctx, "scope_business") : "")
      : st(ctx, "scope_staff", { name: staff.name });
    lines.push(st(ctx, "day_off_line", {
      date,
      scopeHtml: scope ? ` · ${scope}` : "",
      reason: d.reason ? ` — ${d.reason}` : "",
    }));
  }
  lines.push("", st(ctx, "days_off_hint"));
  const rows: Buttons = [];
  if (hasRole(ctx, "admin")) {
    rows.push([button(
      st(ctx, several ? "add_day_off_business" : "add_day_off"),
      scheduleCb.addDayOff.pack({ s: staff.id, m: 0 }),
    )]);
    if (several) {
      rows.push([button(
        // Button labels are plain text: the name goes in unescaped.
        st(ctx, "add_day_off_staff", { nameHtml: staff.name }),
        scheduleCb.addDayOff.pack({ s: staff.id, m: 1 }),
      )]);
    }
    for (const d of off.slice(0, DAYS_OFF_SHOWN)) {
      rows.push([button(
        st(ctx, "remove_day_off", { day: d.day }),
        scheduleCb.removeDayOff.pack({ s: staff.id, id: d.id }),
      )]);
    }
  }
  rows.push([button(st(ctx, "back_to_week"), scheduleCb.week.pack({ s: staff.id }))]);
  await show(ctx, withNotice(notice, lines.join("\n")), rows);
}

/** Shows the booking rules with a button for each. */
async function showRules(ctx: BotContext, notice = ""): Promise<void> {
  const rules = getRules(ctx.deps.db);
  const lines = [st(ctx, "rules_title"), ""];
  for (const code of RULE_CODES) {
    lines.push(st(ctx, `rule_line_${code}`, { valueHtml: ruleValue(ctx, code, rules) }));
  }
  const rows: Buttons = [];
  if (hasRole(ctx, "admin")) {
    for (const code of RULE_CODES) {
      rows.push([button(st(ctx, `rule_button_${code}`), scheduleCb.rule.pack({ r: code }))]);
    }
  }
  rows.push([button(st(ctx, "back_to_week"), scheduleCb.week.pack({ s: 0 }))]);
  await show(ctx, withNotice(notice, lines.join("\n")), rows);
}

async function showStaffPicker(ctx: BotContext): Promise<void> {
  const rows: Buttons = listAllStaff(ctx.deps.db).map((s) => [
    button(`${s.isActive ? "🟢" : "⏸"} ${s.name}`, scheduleCb.week.pack({ s: s.id })),
  ]);
  rows.push(backToAdminRow(ctx));
  await show(ctx, st(ctx, "pick_staff_title"), rows);
}

/** Asks for a value; `kind` and `ids` say what the next text message sets. */
async function ask(
  ctx: BotContext,
  kind: string,
  ids: Record<string, number | string>,
  question: string,
  back: string,
  problem = "",
): Promise<void> {
  ctx.session.step = "admin_input";
  ctx.session.admin = { kind, ...ids };
  await show(ctx, withNotice(problem, question), [[
    button(ctx.t("common.back_button"), back),
    button(ctx.t("common.cancel_button"), cb.cancelDialog.pack({})),
  ]]);
}

function askHours(ctx: BotContext, s: number, wd: number, problem = "") {
  return ask(
    ctx,
    "ah_hours",
    { s, wd },
    st(ctx, "ask_hours", { day: weekdayName(ctx, wd) }),
    scheduleCb.day.pack({ s, wd }),
    problem,
  );
}

function askBreak(ctx: BotContext, s: number, wd: number, problem = "") {
  return ask(
    ctx,
    "ah_break",
    { s, wd },
    st(ctx, "ask_break", { day: weekdayName(ctx, wd) }),
    scheduleCb.day.pack({ s, wd }),
    problem,
  );
}

function askDayOff(ctx: BotContext, s: number, m: number, problem = "") {
  const staff = resolveStaff(ctx, s);
  const question = m === 1 && staff
    ? st(ctx, "ask_day_off_staff", { name: staff.name, max: DAY_OFF_REASON_MAX })
    : st(ctx, "ask_day_off", { max: DAY_OFF_REASON_MAX });
  return ask(ctx, "ah_dayoff", { s, m }, question, scheduleCb.daysOff.pack({ s }), problem);
}

function askRule(ctx: BotContext, code: RuleCode, problem = "") {
  const limits = RULE_LIMITS[RULE_OF[code]];
  const current = ruleValue(ctx, code, getRules(ctx.deps.db));
  return ask(
    ctx,
    "ah_rule",
    { r: code },
    st(ctx, `ask_rule_${code}`, { min: limits.min, max: limits.max, currentHtml: current }),
    scheduleCb.rules.pack({}),
    problem,
  );
}

function errorText(ctx: BotContext, error: ScheduleError): string {
  return st(ctx, `err_${error.code}`, { detail: error.detail });
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

adminSchedule.use(adminStaff);

adminSchedule.callbackQuery(cb.adminSection.filter, async (ctx, next) => {
  if (cb.adminSection.unpack(ctx.callbackQuery.data)?.section !== "schedule") return next();
  if (!(await requireRole(ctx, "viewer"))) return;
  await ack(ctx);
  resetInput(ctx);
  await showWeek(ctx, 0);
});

adminSchedule.callbackQuery(scheduleCb.week.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  const data = scheduleCb.week.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  resetInput(ctx);
  await showWeek(ctx, data.s);
});

adminSchedule.callbackQuery(scheduleCb.pick.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  await ack(ctx);
  resetInput(ctx);
  await showStaffPicker(ctx);
});

adminSchedule.callbackQuery(scheduleCb.day.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  const data = scheduleCb.day.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  resetInput(ctx);
  await showDay(ctx, data.s, data.wd);
});

adminSchedule.callbackQuery(scheduleCb.daysOff.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  const data = scheduleCb.daysOff.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  resetInput(ctx);
  await showDaysOff(ctx, data.s);
});

adminSchedule.callbackQuery(scheduleCb.rules.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  await ack(ctx);
  resetInput(ctx);
  await showRules(ctx);
});

adminSchedule.callbackQuery(scheduleCb.hours.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = scheduleCb.hours.unpack(ctx.callbackQuery.data);
  if (!data || !getStaff(ctx.deps.db, data.s)) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  await askHours(ctx, data.s, data.wd);
});

adminSchedule.callbackQuery(scheduleCb.addBreak.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = scheduleCb.addBreak.unpack(ctx.callbackQuery.data);
  if (!data || !getStaff(ctx.deps.db, data.s)) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  await askBreak(ctx, data.s, data.wd);
});

adminSchedule.callbackQuery(scheduleCb.addDayOff.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = scheduleCb.addDayOff.unpack(ctx.callbackQuery.data);
  if (!data || !getStaff(ctx.deps.db, data.s)) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  await askDayOff(ctx, data.s, data.m);
});

adminSchedule.callbackQuery(scheduleCb.rule.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = scheduleCb.rule.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  await askRule(ctx, data.r);
});

adminSchedule.callbackQuery(scheduleCb.close.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = scheduleCb.close.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  resetInput(ctx);
  try {
    const { changed } = setWeekdayHours(ctx.deps.db, data.s, data.wd, undefined, act(ctx));
    await ack(ctx);
    const notice = changed ? savedNotice(ctx, data.s) : st(ctx, "unchanged");
    await showDay(ctx, data.s, data.wd, notice);
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    await ack(ctx, errorText(ctx, error), true);
  }
});

adminSchedule.callbackQuery(scheduleCb.removeBreak.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = scheduleCb.removeBreak.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  resetInput(ctx);
  const found = listBreaks(ctx.deps.db, data.s).find((b) => b.id === data.id);
  try {
    removeWeekdayBreak(ctx.deps.db, data.s, data.id, act(ctx));
    await ack(ctx);
    await showDay(ctx, data.s, found!.weekday, st(ctx, "break_removed"));
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    await ack(ctx, errorText(ctx, error), true);
  }
});

adminSchedule.callbackQuery(scheduleCb.removeDayOff.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = scheduleCb.removeDayOff.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  resetInput(ctx);
  try {
    const removed = removeDayOffEntry(ctx.deps.db, data.id, data.s, today(ctx), act(ctx));
    await ack(ctx);
    await showDaysOff(ctx, data.s, st(ctx, "day_off_removed", { day: removed.day }));
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    await ack(ctx, errorText(ctx, error), true);
  }
});

/** "Saved" plus the bookings the master's schedule no longer covers. */
function savedNotice(ctx: BotContext, staffId?: number): string {
  const report = conflictsFor(ctx, staffId);
  return report ? `${st(ctx, "saved")}\n\n${report}` : st(ctx, "saved");
}

function isClosedWord(text: string): boolean {
  return isSkipWord(text) ||
    /^(off|day off|closed|выходной|закрыто|вихідний|зачинено)$/i.test(text.trim());
}

adminSchedule.on("message:text", async (ctx, next) => {
  const a = ctx.session.admin ?? {};
  const kind = a.kind;
  if (ctx.session.step !== "admin_input" || typeof kind !== "string" || !kind.startsWith("ah_")) {
    return next();
  }
  if (ctx.message.text.startsWith("/")) return next();
  if (!(await requireRole(ctx, "admin"))) {
    resetInput(ctx);
    return;
  }
  const text = ctx.message.text;
  const s = Number(a.s ?? 0);
  const wd = Number(a.wd ?? 1);
  try {
    switch (kind) {
      case "ah_hours": {
        let span;
        if (!isClosedWord(text)) {
          const parsed = parseTimeRange(text);
          if (!parsed.ok) return askHours(ctx, s, wd, inputProblemText(ctx, parsed.problem));
          span = parsed.value;
        }
        const { changed } = setWeekdayHours(ctx.deps.db, s, wd, span, act(ctx));
        resetInput(ctx);
        return showDay(ctx, s, wd, changed ? savedNotice(ctx, s) : st(ctx, "unchanged"));
      }
      case "ah_break": {
        const parsed = parseTimeRange(text);
        if (!parsed.ok) return askBreak(ctx, s, wd, inputProblemText(ctx, parsed.problem));
        addWeekdayBreak(ctx.deps.db, s, wd, parsed.value, act(ctx));
        resetInput(ctx);
        return showDay(ctx, s, wd, savedNotice(ctx, s));
      }
      case "ah_dayoff": {
        const m = Number(a.m ?? 0);
        const { day, reason } = splitDayAndReason(text);
        const parsed = parseDay(day, today(ctx));
        if (!parsed.ok) return askDayOff(ctx, s, m, inputProblemText(ctx, parsed.problem));
        const staffId = m === 1 ? s : null;
        addDayOffEntry(ctx.deps.db, { day: parsed.value, staffId, reason }, today(ctx), act(ctx));
        resetInput(ctx);
        const notice = st(ctx, "day_off_added", {
          date: formatDate(parsed.value, ctx.lang, ctx.config.timeZone),
        });
        const report = conflictsFor(ctx, staffId ?? undefined);
        return showDaysOff(ctx, s, report ? `${notice}\n\n${report}` : notice);
      }
      case "ah_rule": {
        const code = String(a.r) as RuleCode;
        const rule = RULE_OF[code];
        if (!rule) {
          resetInput(ctx);
          return showRules(ctx);
        }
        const limits = RULE_LIMITS[rule];
        const parsed = parseWholeNumber(text, limits.min, limits.max);
        if (!parsed.ok) return askRule(ctx, code, inputProblemText(ctx, parsed.problem, limits));
        const { changed } = setBookingRule(ctx.deps.db, rule, parsed.value, act(ctx));
        resetInput(ctx);
        if (changed) ctx.deps.logger.info("Booking rule changed", { rule, by: ctx.from.id });
        return showRules(ctx, st(ctx, changed ? "saved" : "unchanged"));
      }
      default:
        resetInput(ctx);
        return next();
    }
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    const problem = errorText(ctx, error);
    if (kind === "ah_hours") return askHours(ctx, s, wd, problem);
    if (kind === "ah_break") return askBreak(ctx, s, wd, problem);
    if (kind === "ah_dayoff") return askDayOff(ctx, s, Number(a.m ?? 0), problem);
    resetInput(ctx);
    await ctx.reply(problem);
  }
});
