/** What every screen of the bookings section shares: the zone, the actor, the way back. */
import type { Booking } from "../../../../db/bookings_repo.ts";
import { staffVisibleToClients } from "../../../../db/staff_repo.ts";
import { type Actor, BookingError } from "../../../../services/booking_service.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import { backToSectionRow } from "../kit.ts";
import type { ListStyle } from "./views.ts";

/** The business time zone. */
export function tz(ctx: BotContext): string {
  return ctx.config.timeZone;
}

/** The admin pressing, as the booking engine's actor. */
export function actor(ctx: BotContext): Actor {
  return { userId: ctx.from!.id, isAdmin: true };
}

/** How lists show bookings now (with dates or not). */
export function listStyle(ctx: BotContext, withDate: boolean): ListStyle {
  return { timeZone: tz(ctx), withDate, withStaff: staffVisibleToClients(ctx.deps.db) };
}

/** The row leading back to the bookings menu. */
export function backToBookingsRow(ctx: BotContext) {
  return backToSectionRow(ctx, "bookings", "admin_bookings.btn_back_menu");
}

/** Loads a booking for the card; shows "not found" when it is gone. */
export async function loadBooking(ctx: BotContext, id: number): Promise<Booking | undefined> {
  try {
    return ctx.deps.bookings.bookingFor(id, actor(ctx));
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    await show(ctx, ctx.t(`errors.${error.code}`), [backToBookingsRow(ctx)]);
    return undefined;
  }
}
