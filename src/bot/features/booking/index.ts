/**
 * The client's booking dialog: service -> master (when several) -> calendar -> slot ->
 * name -> phone (skipped for a returning client) -> summary -> confirm. Also moves an
 * existing booking to a new slot. Dialog buttons pressed after the dialog ended are left
 * to the stale-button answer of "my bookings".
 */
import { LeanComposer } from "../../composer.ts";
import { getService } from "../../../db/services_repo.ts";
import { cb } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { isStaleDialogButton } from "../../session.ts";
import { ack } from "../../ui.ts";
import { showCalendar } from "./calendar.ts";
import { confirm } from "./confirm.ts";
import { afterSlot, askName, askPhone, backToName, contactSteps } from "./contact.ts";
import {
  chooseService,
  isBookable,
  reached,
  showServices,
  staffChoice,
  startBooking,
} from "./flow.ts";
import { mastersOfService } from "./masters.ts";
import { depositPayments } from "./payments.ts";
import { showSlots } from "./slots.ts";
import { waitlistButtons } from "./waitlist.ts";

/** The client's booking dialog. */
export const bookingFeature = new LeanComposer<BotContext>();
bookingFeature.use(waitlistButtons);
const live = bookingFeature.filter((ctx) => !isStaleDialogButton(ctx));
bookingFeature.use(depositPayments);

live.command("book", (ctx) => startBooking(ctx));

live.callbackQuery(cb.service.filter, async (ctx) => {
  const data = cb.service.unpack(ctx.callbackQuery.data);
  const service = data ? getService(ctx.deps.db, data.id) : undefined;
  if (!isBookable(service)) {
    await ack(ctx, ctx.t("booking.service_unavailable"), true);
    return showServices(ctx);
  }
  await ack(ctx);
  ctx.session.draft = { rescheduleId: ctx.session.draft.rescheduleId };
  await chooseService(ctx, service);
});

live.callbackQuery(cb.staff.filter, async (ctx) => {
  const data = cb.staff.unpack(ctx.callbackQuery.data);
  const serviceId = ctx.session.draft.serviceId;
  const ok = data && serviceId !== undefined &&
    (data.id === 0 || mastersOfService(ctx, serviceId).some((s) => s.id === data.id));
  if (!ok) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  ctx.session.draft.staffId = data.id;
  await showCalendar(ctx, ctx.deps.bookings.today().toPlainYearMonth());
});

/** A Temporal value from callback data, undefined when it does not parse. */
function parsed<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

live.callbackQuery(cb.month.filter, async (ctx) => {
  const data = cb.month.unpack(ctx.callbackQuery.data);
  const month = data &&
    parsed(() => Temporal.PlainYearMonth.from(data.ym, { overflow: "reject" }));
  if (!month || ctx.session.draft.serviceId === undefined) {
    return ack(ctx, ctx.t("common.button_outdated"));
  }
  await ack(ctx);
  await showCalendar(ctx, month);
});

live.callbackQuery(cb.day.filter, async (ctx) => {
  const data = cb.day.unpack(ctx.callbackQuery.data);
  const date = data && parsed(() => Temporal.PlainDate.from(data.date, { overflow: "reject" }));
  if (!date || ctx.session.draft.serviceId === undefined) {
    return ack(ctx, ctx.t("common.button_outdated"));
  }
  await ack(ctx);
  await showSlots(ctx, date);
});

live.callbackQuery(cb.noop.filter, (ctx) => ack(ctx));

live.callbackQuery(cb.slot.filter, async (ctx) => {
  const data = cb.slot.unpack(ctx.callbackQuery.data);
  const d = ctx.session.draft;
  if (!data || d.serviceId === undefined || !d.date) {
    return ack(ctx, ctx.t("common.button_outdated"));
  }
  const date = Temporal.PlainDate.from(d.date);
  const free = ctx.deps.bookings.freeSlots(
    d.serviceId,
    staffChoice(d.staffId),
    date,
    d.rescheduleId ?? 0,
  );
  const slot = free.find((s) => s.start === data.start * 1000);
  if (!slot) {
    await ack(ctx, ctx.t("errors.slot_taken"), true);
    return showSlots(ctx, date, ctx.t("errors.slot_taken"));
  }
  await ack(ctx);
  d.start = slot.start;
  d.slotStaffId = slot.staffId;
  reached(ctx, "slot");
  await afterSlot(ctx);
});

live.callbackQuery(cb.confirm.filter, confirm);

live.callbackQuery(cb.back.filter, async (ctx) => {
  const data = cb.back.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  const d = ctx.session.draft;
  switch (data.step) {
    case "staff": {
      const service = getService(ctx.deps.db, d.serviceId ?? 0);
      if (!service) return showServices(ctx);
      d.staffId = undefined;
      return chooseService(ctx, service);
    }
    case "date":
      if (d.serviceId === undefined) return showServices(ctx);
      return showCalendar(
        ctx,
        d.month
          ? Temporal.PlainYearMonth.from(d.month)
          : ctx.deps.bookings.today().toPlainYearMonth(),
      );
    case "slot":
      return d.date ? showSlots(ctx, Temporal.PlainDate.from(d.date)) : showServices(ctx);
    case "name":
      if (d.start === undefined) return showServices(ctx);
      return ctx.session.step === "phone" ? backToName(ctx) : askName(ctx);
    case "phone":
      return d.clientName ? askPhone(ctx) : showServices(ctx);
    default:
      return showServices(ctx);
  }
});

live.use(contactSteps);

live.on("message:text", async (ctx, next) => {
  const step = ctx.session.step;
  if (ctx.message.text.startsWith("/")) return next();
  if (
    step === "service" || step === "staff" || step === "date" || step === "slot" ||
    step === "confirm"
  ) {
    await ctx.reply(ctx.t(`common.help_${step}`), {});
    return;
  }
  return next();
});
