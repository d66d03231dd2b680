/** The services a master does, from the master's side: a toggle per service ("☑️ Haircut"). */
import { LeanComposer } from "../../../composer.ts";
import { linksOfMaster } from "../../../../db/master_services_repo.ts";
import { listServicesWithCounts, type Service } from "../../../../db/services_repo.ts";
import { getStaff, type Staff } from "../../../../db/staff_repo.ts";
import { CatalogError } from "../../../../services/catalog.ts";
import { button, type Buttons, type Screen } from "../../../../ui/buttons.ts";
import type { Translate } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import { hasRole } from "../access_control.ts";
import { onButton, withNotice } from "../kit.ts";
import { staffCb } from "./codecs.ts";
import { ts } from "./report.ts";

/** The composer of the master's services screen. */
export const staffServices = new LeanComposer<BotContext>();

/** The screen: every service with a toggle (admins) or a mark (viewers). */
export function staffServicesView(
  staff: Staff,
  services: { service: Service; does: boolean }[],
  notice: string,
  env: { t: Translate; canEdit: boolean },
): Screen {
  const t = ts(env.t);
  const mark = (does: boolean, name: string) =>
    env.t(does ? "admin_services.master_on" : "admin_services.master_off", { name });
  const lines = [t("staff_services_title", { name: staff.name }), ""];
  if (!env.canEdit) lines.push(...services.map((s) => mark(s.does, s.service.name)));
  const buttons: Buttons = env.canEdit
    ? services.map(({ service, does }) => [button(
      mark(does, service.name),
      staffCb.service.pack({ id: staff.id, svc: service.id, on: does ? 0 : 1 }),
    )])
    : [];
  buttons.push([button(env.t("common.back_button"), staffCb.view.pack({ id: staff.id }))]);
  return { text: withNotice(notice, lines.join("\n")), buttons };
}

/** Shows which services master `id` does. */
async function showStaffServices(ctx: BotContext, id: number, notice = "") {
  const staff = getStaff(ctx.deps.db, id);
  if (!staff) return show(ctx, ts(ctx.t)("err_staff_not_found"), []);
  const does = new Set(linksOfMaster(ctx.deps.db, id).map((l) => l.serviceId));
  const services = listServicesWithCounts(ctx.deps.db, { includeDeleted: false })
    .map((service) => ({ service, does: does.has(service.id) }));
  const env = { t: ctx.t, canEdit: hasRole(ctx, "admin") };
  const screen = staffServicesView(staff, services, notice, env);
  await show(ctx, screen.text, screen.buttons);
}

onButton(staffServices, staffCb.services, "viewer", (ctx, { id }) => showStaffServices(ctx, id));

onButton(staffServices, staffCb.service, "admin", async (ctx, { id, svc, on }) => {
  let notice: string;
  try {
    const changed = ctx.deps.services.catalog.setMasterOfService(svc, id, on === 1, ctx.from!.id);
    notice = ctx.t(`admin_services.${changed ? "master_saved" : "unchanged"}`);
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    notice = ctx.t(`admin_services.err_${error.code}`);
  }
  await showStaffServices(ctx, id, notice);
});
