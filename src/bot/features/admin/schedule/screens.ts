/** Loaders of the schedule screens: read what a view needs and show it. */
import { getRules, listBreaks, listWorkingHours } from "../../../../db/schedule_repo.ts";
import { getStaff, listAllStaff, type Staff } from "../../../../db/staff_repo.ts";
import { defaultStaff } from "../../../../services/schedule_admin.ts";
import type { Buttons, Screen } from "../../../../ui/buttons.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import { scheduleEnv, ts } from "./report.ts";
import { adminMenuRow, daysOffView, dayView, pickerView, rulesView, weekView } from "./views.ts";

/** The master a screen is about: the given one, or the default with 0. */
export function resolveStaff(ctx: BotContext, staffId: number): Staff | undefined {
  return staffId === 0 ? defaultStaff(ctx.deps.db) : getStaff(ctx.deps.db, staffId);
}

function showScreen(ctx: BotContext, screen: Screen): Promise<void> {
  return show(ctx, screen.text, screen.buttons);
}

/** Shows the week of a master (0 = the default one). */
export async function showWeek(ctx: BotContext, staffId: number, notice = ""): Promise<void> {
  const env = scheduleEnv(ctx);
  const staff = resolveStaff(ctx, staffId);
  if (!staff) return show(ctx, ts(ctx.t)("err_staff_not_found"), [adminMenuRow(env)]);
  const db = ctx.deps.db;
  await showScreen(
    ctx,
    weekView(
      {
        staff,
        hours: listWorkingHours(db, staff.id),
        breaks: listBreaks(db, staff.id),
        daysOff: ctx.deps.services.schedule.upcomingDaysOff(staff.id).length,
        rules: getRules(db),
      },
      notice,
      env,
    ),
  );
}

/** Shows one weekday of a master. */
export async function showDay(ctx: BotContext, staffId: number, wd: number, notice = "") {
  const staff = resolveStaff(ctx, staffId);
  if (!staff) return showWeek(ctx, 0, ts(ctx.t)("err_staff_not_found"));
  const db = ctx.deps.db;
  await showScreen(
    ctx,
    dayView(
      {
        staff,
        weekday: wd,
        hours: listWorkingHours(db, staff.id).find((h) => h.weekday === wd),
        breaks: listBreaks(db, staff.id).filter((b) => b.weekday === wd),
      },
      notice,
      scheduleEnv(ctx),
    ),
  );
}

/** Shows the upcoming days off that concern a master. */
export async function showDaysOff(
  ctx: BotContext,
  staffId: number,
  notice = "",
  extraRows: Buttons = [],
) {
  const staff = resolveStaff(ctx, staffId);
  if (!staff) return showWeek(ctx, 0, ts(ctx.t)("err_staff_not_found"));
  const off = ctx.deps.services.schedule.upcomingDaysOff(staff.id);
  const screen = daysOffView(staff, off, notice, scheduleEnv(ctx));
  await showScreen(ctx, { ...screen, buttons: [...extraRows, ...screen.buttons] });
}

/** Shows the booking rules. */
export async function showRules(ctx: BotContext, notice = ""): Promise<void> {
  await showScreen(ctx, rulesView(getRules(ctx.deps.db), notice, scheduleEnv(ctx)));
}

/** Shows the masters to choose whose schedule to edit. */
export async function showStaffPicker(ctx: BotContext): Promise<void> {
  await showScreen(ctx, pickerView(listAllStaff(ctx.deps.db), scheduleEnv(ctx)));
}
