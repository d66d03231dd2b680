/**
 * The booking dialog's entry points and first steps: service -> master (when several) ->
 * calendar. The public surface other features use: startBooking, startReschedule,
 * repeatBooking.
 */
import { getService, listBookableServices, type Service } from "../../../db/services_repo.ts";
import type { Booking } from "../../../db/bookings_repo.ts";
import { FUNNEL_STEPS, type FunnelStep } from "../../../domain/funnel.ts";
import { localDate } from "../../../domain/time.ts";
import type { StaffChoice } from "../../../services/booking_service.ts";
import { cb } from "../../../ui/callback_data.ts";
import { formatPrice } from "../../../ui/format.ts";
import type { BotContext } from "../../context.ts";
import { loadOwn } from "../../own_booking.ts";
import { initialSession } from "../../session.ts";
import { ack, backCancelRow, button, type Buttons, menuRow, show } from "../../ui.ts";
import { showCalendar } from "./calendar.ts";
import { keptMaster, mastersOfService } from "./masters.ts";

/** The draft's master as the booking service takes it (0 = any). */
export function staffChoice(staffId: number | undefined): StaffChoice {
  return !staffId ? "any" : staffId;
}

/** Whether `service` can be booked now. */
export function isBookable(service: Service | undefined): service is Service {
  return service !== undefined && service.isActive && service.deletedAt === null;
}

/** Counts the journey reaching a funnel step, once per journey (a move is not a journey). */
export function reached(ctx: BotContext, step: FunnelStep): void {
  const index = FUNNEL_STEPS.indexOf(step);
  if (ctx.session.draft.rescheduleId || (ctx.session.funnel ?? -1) >= index) return;
  ctx.session.funnel = index;
  ctx.deps.services.funnel.record(step);
}

/** Starts a booking from the service list (or directly for `serviceId`). */
export async function startBooking(ctx: BotContext, serviceId?: number): Promise<void> {
  ctx.session = { ...initialSession(), step: "service" };
  reached(ctx, "started");
  if (serviceId !== undefined) {
    const service = getService(ctx.deps.db, serviceId);
    if (isBookable(service)) return chooseService(ctx, service);
    await ctx.reply(ctx.t("booking.service_unavailable"));
  }
  await showServices(ctx);
}

/** Starts moving `booking` (already checked by the caller) to a new slot. */
export async function startReschedule(ctx: BotContext, booking: Booking): Promise<void> {
  ctx.session = {
    ...initialSession(),
    step: "date",
    draft: {
      serviceId: booking.serviceId,
      staffId: keptMaster(ctx, booking.serviceId, booking.staffId),
      rescheduleId: booking.id,
    },
  };
  await showCalendar(ctx, localDate(booking.start, ctx.config.timeZone).toPlainYearMonth());
}

/** Repeats a past booking of the client: same service (and master) from the calendar. */
export async function repeatBooking(ctx: BotContext, bookingId: number): Promise<void> {
  const b = await loadOwn(ctx, bookingId);
  if (!b) return;
  if (!isBookable(getService(ctx.deps.db, b.serviceId))) {
    await ack(ctx, ctx.t("booking.service_unavailable"), true);
    return startBooking(ctx);
  }
  await ack(ctx);
  ctx.session = {
    ...initialSession(),
    step: "date",
    draft: { serviceId: b.serviceId, staffId: keptMaster(ctx, b.serviceId, b.staffId) },
  };
  await showCalendar(ctx, ctx.deps.bookings.today().toPlainYearMonth());
}

/** The list of bookable services. */
export async function showServices(ctx: BotContext): Promise<void> {
  ctx.session.step = "service";
  const services = listBookableServices(ctx.deps.db);
  if (services.length === 0) {
    await show(ctx, ctx.t("booking.no_services"), [menuRow(ctx)]);
    ctx.session.step = "idle";
    return;
  }
  const lines = services.map((s) => serviceLine(ctx, s));
  const buttons: Buttons = services.map((s) => [button(s.name, cb.service.pack({ id: s.id }))]);
  buttons.push(backCancelRow(ctx));
  await show(ctx, `${ctx.t("booking.choose_service")}\n\n${lines.join("\n")}`, buttons);
}

function serviceLine(ctx: BotContext, s: Service): string {
  const price = s.priceMinor === null ? "" : ` · ${formatPrice(s.priceMinor, ctx.lang)}`;
  const desc = s.description
    ? `\n${ctx.t("booking.service_description", { description: s.description })}`
    : "";
  return ctx.t("booking.service_line", {
    name: s.name,
    minutes: s.durationMinutes,
    price,
  }) + desc;
}

/** Takes the chosen service: asks for the master when several, else opens the calendar. */
export async function chooseService(ctx: BotContext, service: Service): Promise<void> {
  ctx.session.draft = { ...ctx.session.draft, serviceId: service.id };
  reached(ctx, "service");
  const staff = mastersOfService(ctx, service.id);
  if (staff.length > 1 && ctx.session.draft.staffId === undefined) {
    ctx.session.step = "staff";
    const buttons: Buttons = staff.map((m) => [button(m.name, cb.staff.pack({ id: m.id }))]);
    buttons.unshift([button(ctx.t("booking.any_staff"), cb.staff.pack({ id: 0 }))]);
    buttons.push(backCancelRow(ctx, "service"));
    await show(ctx, ctx.t("booking.choose_staff", { service: service.name }), buttons);
    return;
  }
  ctx.session.draft.staffId ??= 0;
  await showCalendar(ctx, ctx.deps.bookings.today().toPlainYearMonth());
}
