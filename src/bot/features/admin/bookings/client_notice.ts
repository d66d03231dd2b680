/**
 * Telling the client what an admin did to their booking. The booking engine writes the notice
 * to the outbox in the same transaction as the change (rendered by src/ui/notices.ts when it is
 * sent); the screens here deliver it at once and say whether the client was told.
 */
import type { Booking } from "../../../../db/bookings_repo.ts";
import { getUser } from "../../../../db/users_repo.ts";
import type { BotContext } from "../../../context.ts";

export { describeChanges } from "../../../../ui/notices.ts";

/** Whether the client can still be told (not marked as having blocked the bot). */
function reachable(ctx: BotContext, userId: number): boolean {
  return !getUser(ctx.deps.db, userId)?.blockedAt;
}

/** Delivers what the change owes the client; returns whether they were told. */
export async function tellClientChanged(ctx: BotContext, _before: Booking, after: Booking) {
  await ctx.deps.outbox?.deliver();
  return reachable(ctx, after.userId);
}

/** Delivers the cancellation notice the engine wrote; returns whether the client was told. */
export async function tellClientCancelled(ctx: BotContext, b: Booking): Promise<boolean> {
  await ctx.deps.outbox?.deliver();
  return reachable(ctx, b.userId);
}

/** Delivers the notices of a group cancel (throttled by the outbox sender); returns how many. */
export async function tellClientsCancelled(ctx: BotContext, cancelled: readonly Booking[]) {
  await ctx.deps.outbox?.deliver();
  return cancelled.filter((b) => reachable(ctx, b.userId)).length;
}
