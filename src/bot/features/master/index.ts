/**
 * A master's own side of the bot ("🗓 My day"): today and the next days of their own bookings,
 * a booking's card with done / didn't come / move / cancel with a reason, and days off. Every
 * press reads who the sender is from the database and checks the booking is theirs (a forged
 * button changes nothing); the changes go through the booking engine, which tells the client
 * as for admins.
 */
import { LeanComposer } from "../../composer.ts";
import type { Booking } from "../../../db/bookings_repo.ts";
import { listClientNotes } from "../../../db/clients_repo.ts";
import { dayBounds, localDate } from "../../../domain/time.ts";
import { BookingError, type BookingErrorCode } from "../../../services/booking_service.ts";
import { InviteError, type MasterIdentity } from "../../../services/masters.ts";
import type { BotContext } from "../../context.ts";
import { showMainMenu } from "../../menu.ts";
import { initialSession } from "../../session.ts";
import { ack, button, show } from "../../ui.ts";
import { cb } from "../../../ui/callback_data.ts";
import { DAYS_AHEAD, masterCb } from "../../../ui/master_callbacks.ts";
import { bookingView, dayView, moveView } from "./views.ts";
import { currentMaster, env, onMasterButton } from "./common.ts";
import { masterDaysOff } from "./days_off.ts";

/** The composer of the masters' own screens. */
export const masterFeature = new LeanComposer<BotContext>();
const onMaster = onMasterButton(masterFeature);

/** Shows the master's bookings `offset` days from today. */
export async function showMyDay(
  ctx: BotContext,
  me: MasterIdentity,
  offset = 0,
  notice = "",
): Promise<void> {
  const date = ctx.deps.bookings.today().add({ days: offset });
  const [from, to] = dayBounds(date, ctx.config.timeZone);
  const bookings = ctx.deps.services.masters.agenda(ctx.from!.id, from, to);
  const screen = dayView(me, { date, offset, bookings }, notice, env(ctx));
  await show(ctx, screen.text, screen.buttons, { fresh: !ctx.callbackQuery });
}

/** The day of a booking as an offset from today, within what the day screen shows. */
function offsetOf(ctx: BotContext, start: number): number {
  const days = ctx.deps.bookings.today()
    .until(localDate(start, ctx.config.timeZone), { largestUnit: "days" }).days;
  return Math.min(Math.max(days, 0), DAYS_AHEAD);
}

/** One of the master's bookings, with the admins' private notes about its client. */
async function showBooking(
  ctx: BotContext,
  booking: Booking,
  notice: string,
  options: { fresh?: boolean } = {},
): Promise<void> {
  const notes = listClientNotes(ctx.deps.db, booking.userId);
  const screen = bookingView(booking, offsetOf(ctx, booking.start), notice, env(ctx), notes);
  await show(ctx, screen.text, screen.buttons, options);
}

/** Refusals of a move whose time is no longer free (or never was). */
const SLOT_GONE = new Set<BookingErrorCode>([
  "in_past",
  "too_soon",
  "beyond_horizon",
  "day_off",
  "closed",
  "day_full",
  "slot_taken",
  "staff_unavailable",
]);

/**
 * Runs `act` on the sender's own booking; a booking of someone else (or gone) is refused with
 * an alert and changes nothing, one already closed likewise.
 */
async function onOwnBooking(
  ctx: BotContext,
  act: () => Promise<void>,
): Promise<void> {
  try {
    await act();
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    if (error.code === "forbidden" || error.code === "not_found") {
      ctx.deps.logger.warning("Refused master action on another booking", {
        userId: ctx.from?.id,
        data: ctx.callbackQuery?.data,
      });
      return ack(ctx, ctx.t("master.not_yours"), true);
    }
    if (error.code === "not_active") return ack(ctx, ctx.t("master.not_active"), true);
    if (SLOT_GONE.has(error.code)) return ack(ctx, ctx.t("master.slot_taken"), true);
    throw error;
  }
}

onMaster(masterCb.day, async (ctx, me, { d }) => {
  await ack(ctx);
  await showMyDay(ctx, me, d);
});

onMaster(masterCb.booking, (ctx, _me, { id }) =>
  onOwnBooking(ctx, async () => {
    const booking = ctx.deps.services.masters.ownBooking(ctx.from!.id, id);
    await ack(ctx);
    await showBooking(ctx, booking, "");
  }));

onMaster(masterCb.mark, (ctx, _me, { id, s }) =>
  onOwnBooking(ctx, async () => {
    const status = s === "done" ? "completed" : "no_show";
    const booking = ctx.deps.services.masters.mark(ctx.from!.id, id, status);
    ctx.deps.outbox?.kick();
    await ack(ctx);
    const notice = ctx.t(s === "done" ? "master.marked_done" : "master.marked_no_show");
    await showBooking(ctx, booking, notice);
  }));

onMaster(masterCb.moveDay, (ctx, _me, { id, d }) =>
  onOwnBooking(ctx, async () => {
    const masters = ctx.deps.services.masters;
    const booking = masters.ownBooking(ctx.from!.id, id);
    if (booking.status !== "active") throw new BookingError("not_active");
    const date = ctx.deps.bookings.today().add({ days: d });
    const starts = masters.freeStarts(ctx.from!.id, id, date);
    await ack(ctx);
    const screen = moveView(booking, { date, offset: d, starts }, env(ctx));
    await show(ctx, screen.text, screen.buttons);
  }));

onMaster(masterCb.moveTo, (ctx, _me, { id, start }) =>
  onOwnBooking(ctx, async () => {
    const booking = ctx.deps.services.masters.move(ctx.from!.id, id, start);
    ctx.deps.outbox?.kick();
    await ack(ctx);
    const notice = ctx.t("master.moved");
    await showBooking(ctx, booking, notice);
  }));

onMaster(masterCb.cancel, (ctx, _me, { id }) =>
  onOwnBooking(ctx, async () => {
    const booking = ctx.deps.services.masters.ownBooking(ctx.from!.id, id);
    if (booking.status !== "active") throw new BookingError("not_active");
    await ack(ctx);
    ctx.session.step = "master_reason";
    ctx.session.masterBookingId = id;
    await show(ctx, ctx.t("master.ask_reason"), [
      [
        button(ctx.t("common.back_button"), masterCb.booking.pack({ id })),
        button(ctx.t("common.cancel_button"), cb.cancelDialog.pack({})),
      ],
    ]);
  }));

// The reason of a cancel: the booking is cancelled if it is still the sender's and active.
masterFeature.on("message:text", async (ctx, next) => {
  // Commands (/cancel, /menu…) are not a reason: the feature comes before the others.
  if (ctx.session.step !== "master_reason" || ctx.message.text.startsWith("/")) return next();
  const id = ctx.session.masterBookingId ?? 0;
  ctx.session.step = "idle";
  ctx.session.masterBookingId = undefined;
  const me = currentMaster(ctx);
  if (!me) return ctx.reply(ctx.t("master.not_master")).then(() => {});
  try {
    const reason = ctx.message.text.trim().slice(0, 300);
    const booking = ctx.deps.services.masters.cancel(ctx.from.id, id, reason);
    const notice = ctx.t("master.cancelled");
    await showBooking(ctx, booking, notice);
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    const key = error.code === "not_active" ? "master.not_active" : "master.not_yours";
    await ctx.reply(ctx.t(key));
  }
});

/** `/start staff_<token>`: links the sender's account to the invited master, once. */
masterFeature.command("start", async (ctx, next) => {
  const invite = /^staff_([A-Za-z0-9_-]{8,48})$/.exec(ctx.match.trim());
  if (!invite) return next();
  ctx.session = initialSession();
  await redeemInvite(ctx, invite[1]);
});

async function redeemInvite(ctx: BotContext, token: string): Promise<void> {
  try {
    const me = ctx.deps.services.masters.redeem(token, ctx.from!.id);
    ctx.deps.logger.info("Master linked", { staffId: me.id, userId: ctx.from!.id });
    await showMainMenu(ctx, { notice: ctx.t("master.linked", { name: me.name }) });
  } catch (error) {
    if (!(error instanceof InviteError)) throw error;
    ctx.deps.logger.warning("Invite refused", { userId: ctx.from?.id, reason: error.code });
    await showMainMenu(ctx, { notice: ctx.t(`master.invite_${error.code}`) });
  }
}

masterFeature.use(masterDaysOff);
