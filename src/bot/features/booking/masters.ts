/** Which masters a client may pick for a service (owners map masters to services). */
import { listActiveStaff, staffVisibleToClients } from "../../../db/staff_repo.ts";
import type { BotContext } from "../../context.ts";

/** The active masters who do a service, in display order (the client's choice). */
export function mastersOfService(ctx: BotContext, serviceId: number) {
  const ids = new Set(ctx.deps.bookings.mastersFor(serviceId));
  return listActiveStaff(ctx.deps.db).filter((s) => ids.has(s.id));
}

/** The master to keep for a service (moving, repeating), or 0 (any) if they no longer do it. */
export function keptMaster(ctx: BotContext, serviceId: number, staffId: number): number {
  return staffVisibleToClients(ctx.deps.db) &&
      ctx.deps.bookings.mastersFor(serviceId).includes(staffId)
    ? staffId
    : 0;
}
