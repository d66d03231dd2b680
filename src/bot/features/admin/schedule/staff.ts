/**
 * Admin section "staff" (masters): list, add (with a copy of the default master's week),
 * rename, deactivate (after a question naming their future bookings, which stay) and
 * activate. Clients see masters only when more than one is active.
 */
import { LeanComposer } from "../../../composer.ts";
import { getStaff, listAllStaff, type Staff } from "../../../../db/staff_repo.ts";
import { ScheduleError } from "../../../../services/schedule_admin.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import { hasRole } from "../access_control.ts";
import type { StaffInput } from "../input.ts";
import {
  type AdminSection,
  awaitInput,
  endInput,
  type InputRoutes,
  onButton,
  onScreen,
  outdated,
  type Refusal,
  today,
} from "../kit.ts";
import { staffCb } from "./codecs.ts";
import { masterCb } from "../../../../ui/master_callbacks.ts";
import { formatDate } from "../../../../ui/format.ts";
import { sendToUser } from "../../../notify.ts";
import { staffServices } from "./staff_services.ts";
import { errorText, ts, withConflicts } from "./report.ts";
import {
  askNameView,
  deactivateConfirmView,
  type MasterRow,
  staffCardView,
  type StaffEnv,
  staffListView,
} from "./staff_views.ts";

/** The composer of the masters section. */
export const adminStaff = new LeanComposer<BotContext>();

function staffEnv(ctx: BotContext): StaffEnv {
  return {
    t: ctx.t,
    canEdit: hasRole(ctx, "admin"),
    canInvite: hasRole(ctx, "owner"),
    ownDaysOff: ctx.deps.services.masters.ownDaysOff(),
  };
}

function masterRow(ctx: BotContext, staff: Staff): MasterRow {
  return {
    staff,
    future: ctx.deps.services.catalog.futureBookingsOfMaster(staff.id).length,
    account: ctx.deps.services.masters.accountOf(staff.id),
  };
}

/** Shows the list of masters. */
async function showStaffList(ctx: BotContext, notice = ""): Promise<void> {
  const rows = listAllStaff(ctx.deps.db).map((s) => masterRow(ctx, s));
  const screen = staffListView(rows, notice, staffEnv(ctx));
  await show(ctx, screen.text, screen.buttons, { fresh: !ctx.callbackQuery });
}

/** Shows one master's card (the list when they are gone). */
async function showStaffCard(ctx: BotContext, id: number, notice = ""): Promise<void> {
  const staff = getStaff(ctx.deps.db, id);
  if (!staff) return showStaffList(ctx, ts(ctx.t)("err_staff_not_found"));
  const screen = staffCardView(masterRow(ctx, staff), notice, staffEnv(ctx));
  await show(ctx, screen.text, screen.buttons, { fresh: !ctx.callbackQuery });
}

/** Asks for a new master's name, or a new name of master `id`. */
async function askName(ctx: BotContext, input: StaffInput, problem = ""): Promise<void> {
  awaitInput(ctx, input);
  const screen = askNameView(input.kind === "am_rename" ? input.id : undefined, problem, ctx.t);
  await show(ctx, screen.text, screen.buttons, { fresh: !ctx.callbackQuery });
}

/** The masters section of the admin menu: everyone with a role sees the list. */
export const staffSection: AdminSection = {
  id: "staff",
  need: "viewer",
  open: (ctx) => showStaffList(ctx),
};

/** Adds or renames a master from the typed name; a refused name is asked again. */
async function answerName(ctx: BotContext, input: StaffInput, text: string): Promise<void> {
  const catalog = ctx.deps.services.catalog;
  try {
    if (input.kind === "am_new") {
      const staff = catalog.addMaster(text, ctx.from!.id);
      endInput(ctx);
      ctx.deps.logger.info("Master added", { staffId: staff.id, by: ctx.from!.id });
      return showStaffCard(ctx, staff.id, ts(ctx.t)("staff_added", { name: staff.name }));
    }
    const staff = catalog.renameMaster(input.id, text, ctx.from!.id);
    endInput(ctx);
    await showStaffCard(ctx, staff.id, ts(ctx.t)("staff_renamed"));
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    if (error.code === "staff_name") return askName(ctx, input, errorText(ctx.t, error));
    endInput(ctx);
    await ctx.reply(errorText(ctx.t, error));
  }
}

/** The masters section's text dialogs: a new master's name and a new name. */
export const staffInputs: InputRoutes<StaffInput["kind"]> = {
  am_new: { need: "admin", handle: answerName },
  am_rename: { need: "admin", handle: answerName },
};

onScreen(adminStaff, staffCb.list, "viewer", (ctx) => showStaffList(ctx));
onScreen(adminStaff, staffCb.view, "viewer", (ctx, { id }) => showStaffCard(ctx, id));

onButton(adminStaff, staffCb.add, "admin", (ctx) => askName(ctx, { kind: "am_new" }));

onButton(
  adminStaff,
  staffCb.rename,
  "admin",
  (ctx, { id }) => askName(ctx, { kind: "am_rename", id }),
  (ctx, { id }) => getStaff(ctx.deps.db, id) ? undefined : outdated(ctx),
);

/** Refuses a master who is gone, or deactivating the last active one. */
function refuseActivity(
  ctx: BotContext,
  { id, on }: { id: number; on: number },
): Refusal | undefined {
  const staff = getStaff(ctx.deps.db, id);
  if (!staff) return outdated(ctx);
  const last = on === 0 && staff.isActive && !ctx.deps.services.catalog.severalMasters("active");
  return last ? { text: ts(ctx.t)("err_last_active_staff"), alert: true } : undefined;
}

onButton(adminStaff, staffCb.active, "admin", async (ctx, { id, on, ok }) => {
  endInput(ctx);
  const row = masterRow(ctx, getStaff(ctx.deps.db, id)!);
  if (on === 0 && ok === 0 && row.future > 0 && row.staff.isActive) {
    const screen = deactivateConfirmView(row, staffEnv(ctx));
    return show(ctx, screen.text, screen.buttons);
  }
  try {
    const after = ctx.deps.services.catalog.setMasterActive(id, on === 1, ctx.from!.id);
    if (after.isActive !== row.staff.isActive) {
      ctx.deps.logger.info("Master activity changed", {
        staffId: id,
        active: after.isActive,
        by: ctx.from!.id,
      });
    }
    const t = ts(ctx.t);
    const notice = t(after.isActive ? "staff_activated" : "staff_deactivated", {
      name: after.name,
    });
    await showStaffCard(ctx, id, after.isActive ? notice : withConflicts(ctx, notice, id));
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    await showStaffCard(ctx, id, errorText(ctx.t, error));
  }
}, refuseActivity);

const staffExists = (ctx: BotContext, { id }: { id: number }) =>
  getStaff(ctx.deps.db, id) ? undefined : outdated(ctx);
const staffExistsS = (ctx: BotContext, { s }: { s: number }) => staffExists(ctx, { id: s });

// A new one-time link for the master; the owner forwards it (older links still work once).
onButton(adminStaff, staffCb.invite, "owner", async (ctx, { id }) => {
  const token = ctx.deps.services.masters.invite(id, ctx.from!.id);
  const link = `https://t.me/${ctx.me.username}?start=staff_${token}`;
  ctx.deps.logger.info("Master invited", { staffId: id, by: ctx.from!.id });
  const name = getStaff(ctx.deps.db, id)!.name;
  await ctx.reply(ctx.t("master.invite_text", { name, link }), {
    link_preview_options: { is_disabled: true },
  });
}, staffExists);

onButton(adminStaff, staffCb.unlink, "owner", async (ctx, { id }) => {
  const changed = ctx.deps.services.masters.unlink(id, ctx.from!.id);
  if (changed) ctx.deps.logger.info("Master unlinked", { staffId: id, by: ctx.from!.id });
  await showStaffCard(ctx, id, changed ? ctx.t("master.unlinked") : "");
}, staffExists);

// Owners choose whether masters set their own days off or ask for them.
onButton(adminStaff, masterCb.policy, "owner", async (ctx, { on }) => {
  ctx.deps.services.masters.setOwnDaysOff(on === 1, ctx.from!.id);
  await showStaffList(ctx, ctx.t("master.policy_changed"));
});

// A master's day-off request, approved with one press (the master is told).
onButton(adminStaff, masterCb.approveDayOff, "owner", async (ctx, { s, d }) => {
  const staff = getStaff(ctx.deps.db, s);
  if (!staff) return;
  const day = Temporal.PlainDate.from(d);
  try {
    ctx.deps.services.masters.addDayOff(s, day, ctx.from!.id, today(ctx));
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    return void await ctx.reply(errorText(ctx.t, error));
  }
  const tz = ctx.config.timeZone;
  const date = formatDate(day, ctx.lang, tz);
  await show(ctx, ctx.t("master.day_off_approved", { name: staff.name, date }));
  const master = ctx.deps.services.masters.accountOf(s);
  if (master === undefined) return;
  await sendToUser(
    ctx.api,
    ctx.deps,
    master,
    (t, lang) => t("master.day_off_approved_to_master", { date: formatDate(day, lang, tz) }),
  );
}, staffExistsS);

adminStaff.use(staffServices);
