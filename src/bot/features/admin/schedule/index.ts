/**
 * Admin section "schedule": weekly hours and breaks per master, days off and holidays (for
 * the business or one master), and the booking rules. Slots are computed from the database
 * on every request, so a saved change applies to the next slot list at once; bookings that
 * a change leaves outside the schedule are listed for the admin, never cancelled silently.
 * The masters section (staff.ts) lives here too.
 */
import { LeanComposer } from "../../../composer.ts";
import { listBreaks } from "../../../../db/schedule_repo.ts";
import { ScheduleError } from "../../../../services/schedule_admin.ts";
import { formatDate } from "../../../../ui/format.ts";
import type { BotContext } from "../../../context.ts";
import { type AdminSection, endInput, onButton, onScreen } from "../kit.ts";
import { scheduleCb } from "./codecs.ts";
import { scheduleInputs, scheduleQuestions } from "./input.ts";
import { errorText, ts, withConflicts } from "./report.ts";
import { showDay, showDaysOff, showRules, showStaffPicker, showWeek } from "./screens.ts";
import { adminStaff } from "./staff.ts";

/** The composer of the schedule section (and, mounted inside, the masters section). */
export const adminSchedule = new LeanComposer<BotContext>();

/** The schedule section of the admin menu: the default master's week. */
export const scheduleSection: AdminSection = {
  id: "schedule",
  need: "viewer",
  open: (ctx) => showWeek(ctx, 0),
};

/** The schedule's text dialogs. */
export { scheduleInputs };

onScreen(adminSchedule, scheduleCb.week, "viewer", (ctx, { s }) => showWeek(ctx, s));
onScreen(adminSchedule, scheduleCb.pick, "viewer", (ctx) => showStaffPicker(ctx));
onScreen(adminSchedule, scheduleCb.day, "viewer", (ctx, { s, wd }) => showDay(ctx, s, wd));
onScreen(adminSchedule, scheduleCb.daysOff, "viewer", (ctx, { s }) => showDaysOff(ctx, s));
onScreen(adminSchedule, scheduleCb.rules, "viewer", (ctx) => showRules(ctx));

/** Runs a change made by a button; a refused one is explained on `screen`. */
async function change(
  ctx: BotContext,
  screen: (notice: string) => Promise<void>,
  act: () => string,
): Promise<void> {
  endInput(ctx);
  let notice;
  try {
    notice = act();
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    notice = errorText(ctx.t, error);
  }
  await screen(notice);
}

onButton(
  adminSchedule,
  scheduleCb.close,
  "admin",
  (ctx, { s, wd }) =>
    change(ctx, (notice) => showDay(ctx, s, wd, notice), () => {
      const { changed } = ctx.deps.services.schedule.setHours(s, wd, undefined, ctx.from!.id);
      return changed ? withConflicts(ctx, ts(ctx.t)("saved"), s) : ts(ctx.t)("unchanged");
    }),
);

onButton(adminSchedule, scheduleCb.removeBreak, "admin", (ctx, { s, id }) => {
  const found = listBreaks(ctx.deps.db, s).find((b) => b.id === id);
  const screen = (notice: string) =>
    found ? showDay(ctx, s, found.weekday, notice) : showWeek(ctx, s, notice);
  return change(ctx, screen, () => {
    ctx.deps.services.schedule.removeBreak(s, id, ctx.from!.id);
    return ts(ctx.t)("break_removed");
  });
});

onButton(
  adminSchedule,
  scheduleCb.removeDayOff,
  "admin",
  (ctx, { s, id }) =>
    change(ctx, (notice) => showDaysOff(ctx, s, notice), () => {
      const removed = ctx.deps.services.schedule.removeDayOff(id, s, ctx.from!.id);
      const day = formatDate(Temporal.PlainDate.from(removed.day), ctx.lang, ctx.config.timeZone);
      return ts(ctx.t)("day_off_removed", { day });
    }),
);

adminSchedule.use(adminStaff, scheduleQuestions);
