/** A client's own booking, loaded for a button press: someone else's is refused and logged. */
import type { Booking } from "../db/bookings_repo.ts";
import { BookingError } from "../services/booking_service.ts";
import type { BotContext } from "./context.ts";
import { ack } from "./ui.ts";

/** The sender as the booking service's actor (a client). */
export function clientActor(ctx: BotContext) {
  return { userId: ctx.from!.id, isAdmin: false };
}

/** Loads the client's own booking, answering the button when it is not theirs or gone. */
export async function loadOwn(ctx: BotContext, id: number): Promise<Booking | undefined> {
  try {
    return ctx.deps.bookings.bookingFor(id, clientActor(ctx));
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    if (error.code === "forbidden") {
      ctx.deps.logger.warning("Refused access to another user's booking", {
        userId: ctx.from!.id,
        bookingId: id,
      });
    }
    await ack(ctx, ctx.t("errors.not_found"), true);
    return undefined;
  }
}
