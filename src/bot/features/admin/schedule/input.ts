/**
 * The schedule's text dialogs: a weekday's hours, a break, a day off and a booking rule. Each
 * asks with Back and Cancel, re-asks with the reason when the answer is refused, and shows
 * what changed with the bookings the change left outside the schedule.
 */
import { LeanComposer } from "../../../composer.ts";
import { getRules } from "../../../../db/schedule_repo.ts";
import { getStaff } from "../../../../db/staff_repo.ts";
import {
  isSkipWord,
  parseTimeRange,
  parseWholeNumber,
  splitDayAndReason,
} from "../../../../domain/admin_input.ts";
import { parseDay } from "../../../../domain/date_input.ts";
import { parseIsoDate } from "../../../../domain/time.ts";
import type { MinuteSpan } from "../../../../domain/slots.ts";
import {
  DAY_OFF_REASON_MAX,
  RULE_LIMITS,
  ScheduleError,
} from "../../../../services/schedule_admin.ts";
import { button, type Buttons } from "../../../../ui/buttons.ts";
import { cb } from "../../../../ui/callback_data.ts";
import { formatDate } from "../../../../ui/format.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import type { InputOf, ScheduleInput } from "../input.ts";
import {
  awaitInput,
  endInput,
  inputProblemText,
  type InputRoutes,
  onButton,
  outdated,
  today,
  withNotice,
} from "../kit.ts";
import { RULE_OF, type RuleCode, scheduleCb } from "./codecs.ts";
import {
  conflictRows,
  conflictsReport,
  errorText,
  ruleValue,
  scheduleEnv,
  ts,
  weekdayName,
  withConflicts,
} from "./report.ts";
import { dayOffCalendar } from "./day_off_picker.ts";
import { resolveStaff, showDay, showDaysOff, showRules } from "./screens.ts";

/** The composer of the schedule's questions. */
export const scheduleQuestions = new LeanComposer<BotContext>();

/** Waits for `input` after asking `question` (above `extra` rows); Back leads to `back`. */
async function ask(
  ctx: BotContext,
  input: ScheduleInput,
  question: string,
  back: string,
  problem: string,
  extra: Buttons = [],
) {
  awaitInput(ctx, input);
  await show(ctx, withNotice(problem, question), [...extra, [
    button(ctx.t("common.back_button"), back),
    button(ctx.t("common.cancel_button"), cb.cancelDialog.pack({})),
  ]]);
}

function askHours(ctx: BotContext, s: number, wd: number, problem = "") {
  const question = ts(ctx.t)("ask_hours", { day: weekdayName(ctx.t, wd) });
  return ask(ctx, { kind: "ah_hours", s, wd }, question, scheduleCb.day.pack({ s, wd }), problem);
}

function askBreak(ctx: BotContext, s: number, wd: number, problem = "") {
  const question = ts(ctx.t)("ask_break", { day: weekdayName(ctx.t, wd) });
  return ask(ctx, { kind: "ah_break", s, wd }, question, scheduleCb.day.pack({ s, wd }), problem);
}

/** A month from a button ("2027-01"), or undefined when it is not one. */
function pickedMonth(ym: string | undefined): Temporal.PlainYearMonth | undefined {
  try {
    return ym ? Temporal.PlainYearMonth.from(ym, { overflow: "reject" }) : undefined;
  } catch {
    return undefined;
  }
}

function askDayOff(ctx: BotContext, s: number, m: number, problem = "", month?: string) {
  const staff = resolveStaff(ctx, s);
  const question = m === 1 && staff
    ? ts(ctx.t)("ask_day_off_staff", { name: staff.name, max: DAY_OFF_REASON_MAX })
    : ts(ctx.t)("ask_day_off", { max: DAY_OFF_REASON_MAX });
  const shown = pickedMonth(month) ?? today(ctx).toPlainYearMonth();
  const calendar = dayOffCalendar({ s, m }, shown, today(ctx), ctx.lang);
  const back = scheduleCb.daysOff.pack({ s });
  return ask(ctx, { kind: "ah_dayoff", s, m }, question, back, problem, calendar);
}

function askRule(ctx: BotContext, code: RuleCode, problem = "") {
  const limits = RULE_LIMITS[RULE_OF[code]];
  const question = ts(ctx.t)(`ask_rule_${code}`, {
    min: limits.min,
    max: limits.max,
    currentHtml: ruleValue(ctx.t, code, getRules(ctx.deps.db)),
  });
  return ask(ctx, { kind: "ah_rule", r: code }, question, scheduleCb.rules.pack({}), problem);
}

/** Runs a change; a refused one asks again (`retry`) with the reason. */
async function attempt(
  ctx: BotContext,
  retry: (problem: string) => Promise<void>,
  change: () => Promise<void>,
): Promise<void> {
  try {
    await change();
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    await retry(errorText(ctx.t, error));
  }
}

function isClosedWord(text: string): boolean {
  return isSkipWord(text) ||
    /^(off|day off|closed|выходной|закрыто|вихідний|зачинено)$/i.test(text.trim());
}

async function answerHours(ctx: BotContext, { s, wd }: InputOf<"ah_hours">, text: string) {
  let span: MinuteSpan | undefined;
  if (!isClosedWord(text)) {
    const parsed = parseTimeRange(text);
    if (!parsed.ok) return askHours(ctx, s, wd, inputProblemText(ctx, parsed.problem));
    span = parsed.value;
  }
  await attempt(ctx, (p) => askHours(ctx, s, wd, p), async () => {
    const { changed } = ctx.deps.services.schedule.setHours(s, wd, span, ctx.from!.id);
    endInput(ctx);
    const t = ts(ctx.t);
    await showDay(ctx, s, wd, changed ? withConflicts(ctx, t("saved"), s) : t("unchanged"));
  });
}

async function answerBreak(ctx: BotContext, { s, wd }: InputOf<"ah_break">, text: string) {
  const parsed = parseTimeRange(text);
  if (!parsed.ok) return askBreak(ctx, s, wd, inputProblemText(ctx, parsed.problem));
  await attempt(ctx, (p) => askBreak(ctx, s, wd, p), async () => {
    ctx.deps.services.schedule.addBreak(s, wd, parsed.value, ctx.from!.id);
    endInput(ctx);
    await showDay(ctx, s, wd, withConflicts(ctx, ts(ctx.t)("saved"), s));
  });
}

async function answerDayOff(ctx: BotContext, { s, m }: InputOf<"ah_dayoff">, text: string) {
  const { day, reason } = splitDayAndReason(text);
  const parsed = parseDay(day, today(ctx));
  if (!parsed.ok) return askDayOff(ctx, s, m, inputProblemText(ctx, parsed.problem));
  await addDayOff(ctx, s, m, parsed.value, reason);
}

/** Adds a day off (typed or picked) and shows the days off with the bookings left on it. */
async function addDayOff(
  ctx: BotContext,
  s: number,
  m: number,
  day: Temporal.PlainDate,
  reason: string,
) {
  const staffId = m === 1 ? s : null;
  await attempt(ctx, (p) => askDayOff(ctx, s, m, p), async () => {
    ctx.deps.services.schedule.addDayOff({ day, staffId, reason }, ctx.from!.id);
    endInput(ctx);
    const date = formatDate(day, ctx.lang, ctx.config.timeZone);
    const notice = ts(ctx.t)("day_off_added", { date });
    // The bookings now on a day off, each with a button to open it.
    const conflicts = ctx.deps.services.schedule.conflicts(staffId ?? undefined);
    const report = conflictsReport(conflicts, scheduleEnv(ctx));
    const text = report ? `${notice}\n\n${report}` : notice;
    await showDaysOff(ctx, s, text, conflictRows(conflicts, scheduleEnv(ctx)));
  });
}

async function answerRule(ctx: BotContext, { r }: InputOf<"ah_rule">, text: string) {
  const rule = RULE_OF[r];
  const limits = RULE_LIMITS[rule];
  const parsed = parseWholeNumber(text, limits.min, limits.max);
  if (!parsed.ok) return askRule(ctx, r, inputProblemText(ctx, parsed.problem, limits));
  await attempt(ctx, (p) => askRule(ctx, r, p), async () => {
    const { changed } = ctx.deps.services.schedule.setRule(rule, parsed.value, ctx.from!.id);
    endInput(ctx);
    if (changed) ctx.deps.logger.info("Booking rule changed", { rule, by: ctx.from!.id });
    await showRules(ctx, ts(ctx.t)(changed ? "saved" : "unchanged"));
  });
}

/** The schedule's text dialogs. */
export const scheduleInputs: InputRoutes<ScheduleInput["kind"]> = {
  ah_hours: { need: "admin", handle: answerHours },
  ah_break: { need: "admin", handle: answerBreak },
  ah_dayoff: { need: "admin", handle: answerDayOff },
  ah_rule: { need: "admin", handle: answerRule },
};

/** Refuses a question about a master who is gone. */
function staffGone(ctx: BotContext, { s }: { s: number }) {
  return getStaff(ctx.deps.db, s) ? undefined : outdated(ctx);
}

onButton(
  scheduleQuestions,
  scheduleCb.hours,
  "admin",
  (ctx, d) => askHours(ctx, d.s, d.wd),
  staffGone,
);
onButton(
  scheduleQuestions,
  scheduleCb.addBreak,
  "admin",
  (ctx, d) => askBreak(ctx, d.s, d.wd),
  staffGone,
);
onButton(
  scheduleQuestions,
  scheduleCb.addDayOff,
  "admin",
  (ctx, d) => askDayOff(ctx, d.s, d.m),
  staffGone,
);
onButton(
  scheduleQuestions,
  scheduleCb.dayOffMonth,
  "admin",
  (ctx, d) => askDayOff(ctx, d.s, d.m, "", d.ym),
  staffGone,
);
onButton(scheduleQuestions, scheduleCb.pickDayOff, "admin", (ctx, d) => {
  const day = parseIsoDate(d.d);
  return day ? addDayOff(ctx, d.s, d.m, day, "") : askDayOff(ctx, d.s, d.m);
}, staffGone);
onButton(scheduleQuestions, scheduleCb.rule, "admin", (ctx, d) => askRule(ctx, d.r));
