/**
 * Admin section "staff" (masters): list, add (with a copy of the default master's week),
 * rename, deactivate (after a confirmation naming their future bookings, which stay) and
 * activate. Clients see masters only when more than one is active.
 */
import { Composer } from "grammy";
import { getStaff, listAllStaff } from "../../../db/staff_repo.ts";
import {
  addStaffMember,
  futureBookingsOfStaff,
  renameStaffMember,
  ScheduleError,
  setStaffMemberActive,
} from "../../../services/schedule_admin.ts";
import { cb } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { ack, button, type Buttons, show } from "../../ui.ts";
import { hasRole, requireRole } from "./access_control.ts";
import {
  backToAdminRow,
  conflictsFor,
  resetInput,
  scheduleCb,
  st,
  staffCb,
} from "./schedule_common.ts";

/** The composer of the masters section. */
export const adminStaff = new Composer<BotContext>();

function act(ctx: BotContext) {
  return { actorId: ctx.from!.id, now: ctx.deps.clock.now() };
}

/** Shows the list of masters. */
export async function showStaffList(ctx: BotContext, notice = ""): Promise<void> {
  const now = ctx.deps.clock.now();
  const staff = listAllStaff(ctx.deps.db);
  const lines = [notice ? `${notice}\n` : "", st(ctx, "staff_title", { count: staff.length })];
  if (staff.filter((s) => s.isActive).length <= 1) lines.push(st(ctx, "staff_single_hint"));
  lines.push("");
  for (const [i, s] of staff.entries()) {
    lines.push(st(ctx, "staff_line", {
      n: i + 1,
      name: s.name,
      status: st(ctx, s.isActive ? "staff_active" : "staff_inactive"),
      future: futureBookingsOfStaff(ctx.deps.db, s.id, now).length,
    }));
  }
  const rows: Buttons = staff.map((s) => [
    button(`${s.isActive ? "🟢" : "⏸"} ${s.name}`, staffCb.view.pack({ id: s.id })),
  ]);
  if (hasRole(ctx, "admin")) rows.push([button(st(ctx, "staff_add"), staffCb.add.pack({}))]);
  rows.push(backToAdminRow(ctx));
  await show(ctx, lines.filter((l, i) => i > 0 || l !== "").join("\n"), rows, {
    fresh: !ctx.callbackQuery,
  });
}

/** Shows one master's card. */
export async function showStaffCard(ctx: BotContext, staffId: number, notice = ""): Promise<void> {
  const s = getStaff(ctx.deps.db, staffId);
  if (!s) return showStaffList(ctx, st(ctx, "err_staff_not_found"));
  const future = futureBookingsOfStaff(ctx.deps.db, s.id, ctx.deps.clock.now()).length;
  const text = [
    notice ? `${notice}\n` : "",
    st(ctx, "staff_card", {
      name: s.name,
      status: st(ctx, s.isActive ? "staff_active" : "staff_inactive"),
      future,
    }),
  ].filter((l) => l !== "").join("\n");
  const rows: Buttons = [];
  if (hasRole(ctx, "admin")) {
    rows.push([
      button(st(ctx, "staff_rename"), staffCb.rename.pack({ id: s.id })),
      s.isActive
        ? button(st(ctx, "staff_deactivate"), staffCb.active.pack({ id: s.id, on: 0, ok: 0 }))
        : button(st(ctx, "staff_activate"), staffCb.active.pack({ id: s.id, on: 1, ok: 1 })),
    ]);
  }
  rows.push([button(st(ctx, "staff_schedule"), scheduleCb.week.pack({ s: s.id }))]);
  rows.push([button(st(ctx, "staff_back"), staffCb.list.pack({}))]);
  await show(ctx, text, rows, { fresh: !ctx.callbackQuery });
}

function askName(ctx: BotContext, kind: "am_new" | "am_rename", staffId: number, problem = "") {
  ctx.session.step = "admin_input";
  ctx.session.admin = { kind, id: staffId };
  const text = (problem ? `${problem}\n\n` : "") +
    st(ctx, kind === "am_new" ? "staff_ask_name" : "staff_ask_rename");
  return show(ctx, text, [[
    button(
      ctx.t("common.back_button"),
      kind === "am_new" ? staffCb.list.pack({}) : staffCb.view.pack({ id: staffId }),
    ),
    button(ctx.t("common.cancel_button"), cb.cancelDialog.pack({})),
  ]], { fresh: !ctx.callbackQuery });
}

adminStaff.callbackQuery(cb.adminSection.filter, async (ctx, next) => {
  if (cb.adminSection.unpack(ctx.callbackQuery.data)?.section !== "staff") return next();
  if (!(await requireRole(ctx, "viewer"))) return;
  await ack(ctx);
  resetInput(ctx);
  await showStaffList(ctx);
});

adminStaff.callbackQuery(staffCb.list.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  await ack(ctx);
  resetInput(ctx);
  await showStaffList(ctx);
});

adminStaff.callbackQuery(staffCb.view.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  const data = staffCb.view.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  resetInput(ctx);
  await showStaffCard(ctx, data.id);
});

adminStaff.callbackQuery(staffCb.add.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  await ack(ctx);
  await askName(ctx, "am_new", 0);
});

adminStaff.callbackQuery(staffCb.rename.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = staffCb.rename.unpack(ctx.callbackQuery.data);
  if (!data || !getStaff(ctx.deps.db, data.id)) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  await askName(ctx, "am_rename", data.id);
});

adminStaff.callbackQuery(staffCb.active.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = staffCb.active.unpack(ctx.callbackQuery.data);
  const staff = data && getStaff(ctx.deps.db, data.id);
  if (!data || !staff) return ack(ctx, ctx.t("common.button_outdated"));
  resetInput(ctx);
  const future = futureBookingsOfStaff(ctx.deps.db, staff.id, ctx.deps.clock.now()).length;
  if (data.on === 0 && data.ok === 0 && future > 0 && staff.isActive) {
    await ack(ctx);
    await show(ctx, st(ctx, "staff_deactivate_confirm", { name: staff.name, count: future }), [
      [button(
        st(ctx, "staff_deactivate_yes"),
        staffCb.active.pack({ id: staff.id, on: 0, ok: 1 }),
      )],
      [button(ctx.t("common.back_button"), staffCb.view.pack({ id: staff.id }))],
    ]);
    return;
  }
  try {
    const after = setStaffMemberActive(ctx.deps.db, staff.id, data.on === 1, act(ctx));
    await ack(ctx);
    if (after.isActive !== staff.isActive) {
      ctx.deps.logger.info("Master activity changed", {
        staffId: staff.id,
        active: after.isActive,
        by: ctx.from.id,
      });
    }
    const notice = st(ctx, after.isActive ? "staff_activated" : "staff_deactivated", {
      name: after.name,
    });
    const report = after.isActive ? "" : conflictsFor(ctx, staff.id);
    await showStaffCard(ctx, staff.id, report ? `${notice}\n\n${report}` : notice);
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    await ack(ctx, st(ctx, `err_${error.code}`), true);
  }
});

adminStaff.on("message:text", async (ctx, next) => {
  const a = ctx.session.admin;
  const kind = a?.kind;
  if (ctx.session.step !== "admin_input" || typeof kind !== "string" || !kind.startsWith("am_")) {
    return next();
  }
  if (ctx.message.text.startsWith("/")) return next();
  if (!(await requireRole(ctx, "admin"))) {
    resetInput(ctx);
    return;
  }
  try {
    if (kind === "am_new") {
      const staff = addStaffMember(ctx.deps.db, ctx.message.text, act(ctx));
      resetInput(ctx);
      ctx.deps.logger.info("Master added", { staffId: staff.id, by: ctx.from.id });
      return showStaffCard(ctx, staff.id, st(ctx, "staff_added", { name: staff.name }));
    }
    const staffId = Number(a?.id);
    const staff = renameStaffMember(ctx.deps.db, staffId, ctx.message.text, act(ctx));
    resetInput(ctx);
    return showStaffCard(ctx, staff.id, st(ctx, "staff_renamed"));
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    if (error.code === "staff_name") {
      return askName(
        ctx,
        kind === "am_new" ? "am_new" : "am_rename",
        Number(a?.id ?? 0),
        st(ctx, "err_staff_name"),
      );
    }
    resetInput(ctx);
    await ctx.reply(st(ctx, `err_${error.code}`));
  }
});
