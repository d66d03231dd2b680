/**
 * "My bookings": the client's list, one booking, cancel, move, contact edits, messages to the
 * admins, book again; and the answer to a dialog button pressed after its dialog ended.
 */
import { LeanComposer } from "../../composer.ts";
import { listUserBookings } from "../../../db/bookings_repo.ts";
import { cb } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { initialSession, isStaleDialogButton } from "../../session.ts";
import { ack } from "../../ui.ts";
import { repeatBooking } from "../booking/flow.ts";
import { showMainMenu } from "../../menu.ts";
import { bookingChanges, onOwnBooking } from "./changes.ts";
import { bookingMessages } from "./messages.ts";
import { showBooking, showMyBookings } from "./views.ts";

/** The client's own bookings. */
export const myBookingsFeature = new LeanComposer<BotContext>();

myBookingsFeature.command("my", (ctx) => showMyBookings(ctx, "up", 0));

myBookingsFeature.callbackQuery(cb.menu.filter, async (ctx, next) => {
  if (cb.menu.unpack(ctx.callbackQuery.data)?.item !== "my") return next();
  await ack(ctx);
  await showMyBookings(ctx, "up", 0);
});

myBookingsFeature.callbackQuery(cb.myList.filter, async (ctx) => {
  const data = cb.myList.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  ctx.session = initialSession();
  await showMyBookings(ctx, data.kind, data.page);
});

onOwnBooking(myBookingsFeature, cb.myBooking, (ctx, b) => showBooking(ctx, b));

myBookingsFeature.callbackQuery(cb.again.filter, async (ctx) => {
  const data = cb.again.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await repeatBooking(ctx, data.id);
});

myBookingsFeature.use(bookingChanges, bookingMessages);

/**
 * A button of a dialog that is over (an old ✖️ or ⬅️ after the booking was confirmed): say
 * so and show where things stand — the upcoming bookings, or the menu when there are none.
 */
myBookingsFeature.filter(isStaleDialogButton, async (ctx) => {
  await ack(ctx, ctx.t("common.dialog_over"));
  const notice = ctx.t("common.dialog_over");
  const upcoming = listUserBookings(
    ctx.deps.db,
    ctx.from!.id,
    "upcoming",
    ctx.deps.clock.now(),
    1,
    0,
  );
  if (upcoming.total > 0) return showMyBookings(ctx, "up", 0, notice);
  await showMainMenu(ctx, { notice });
});
