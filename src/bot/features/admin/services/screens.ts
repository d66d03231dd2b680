/** Loaders of the services screens: read what a view needs and show it. */
import { listServicesWithCounts, type ServiceWithCount } from "../../../../db/services_repo.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import { hasRole } from "../access_control.ts";
import type { Filter } from "./codecs.ts";
import { serviceCardView, serviceListView, type ViewEnv } from "./views.ts";

/** The translator, language and role of the admin looking. */
export function viewEnv(ctx: BotContext): ViewEnv {
  return { t: ctx.t, lang: ctx.lang, canEdit: hasRole(ctx, "admin") };
}

/** One service, deleted ones included. */
export function findService(ctx: BotContext, id: number): ServiceWithCount | undefined {
  return listServicesWithCounts(ctx.deps.db, { includeDeleted: true }).find((s) => s.id === id);
}

/** Shows one page of the service list. */
export async function showServiceList(ctx: BotContext, filter: Filter, page: number) {
  const services = listServicesWithCounts(ctx.deps.db, {
    includeDeleted: filter === "all",
    activeOnly: filter === "act",
  });
  const screen = serviceListView(services, filter, page, viewEnv(ctx));
  await show(ctx, screen.text, screen.buttons);
}

/** Shows the card of one service (a new message with `fresh`). */
export async function showServiceCard(
  ctx: BotContext,
  id: number,
  notice = "",
  fresh = false,
): Promise<void> {
  const screen = serviceCardView(findService(ctx, id), notice, viewEnv(ctx));
  await show(ctx, screen.text, screen.buttons, { fresh });
}
