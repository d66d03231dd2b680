/**
 * The booking dialog: service -> master (when several) -> calendar -> slot -> name ->
 * phone -> summary -> confirm. Also used to move an existing booking to a new slot.
 */
import { Composer, InputFile, Keyboard } from "grammy";
import { getService, listBookableServices, type Service } from "../../db/services_repo.ts";
import { listActiveStaff } from "../../db/staff_repo.ts";
import { getUser } from "../../db/users_repo.ts";
import { FUNNEL_STEPS, type FunnelStep } from "../../domain/funnel.ts";
import { icsEvent } from "../../domain/ics.ts";
import { localDate } from "../../domain/time.ts";
import { validateName, validatePhone } from "../../domain/validation.ts";
import { BookingError, type StaffChoice } from "../../services/booking_service.ts";
import type { Booking } from "../../db/bookings_repo.ts";
import { cb } from "../../ui/callback_data.ts";
import type { BotContext } from "../context.ts";
import {
  bookingCard,
  formatDate,
  formatMonth,
  formatPrice,
  formatTime,
  weekdayNames,
} from "../../ui/format.ts";
import { notifyAdminsAbout } from "../notify.ts";
import { ack, backCancelRow, button, type Buttons, menuRow, show } from "../ui.ts";
import { initialSession } from "../session.ts";

/** The client's booking dialog. */
export const bookingFeature = new Composer<BotContext>();

function staffChoice(staffId: number | undefined): StaffChoice {
  return !staffId ? "any" : staffId;
}

/** True when clients should see anything about masters (more than one active). */
export function showsStaff(ctx: BotContext): boolean {
  return ctx.deps.services.catalog.severalMasters("active");
}

/** The active masters who do a service, in display order (the client's choice). */
function mastersOfService(ctx: BotContext, serviceId: number) {
  const ids = new Set(ctx.deps.bookings.mastersFor(serviceId));
  return listActiveStaff(ctx.deps.db).filter((s) => ids.has(s.id));
}

/** The master to keep for a service (moving, repeating), or 0 (any) if they no longer do it. */
export function keptMaster(ctx: BotContext, serviceId: number, staffId: number): number {
  return showsStaff(ctx) && ctx.deps.bookings.mastersFor(serviceId).includes(staffId) ? staffId : 0;
}

/** Counts the journey reaching a funnel step, once per journey (a move is not a journey). */
function reached(ctx: BotContext, step: FunnelStep): void {
  const index = FUNNEL_STEPS.indexOf(step);
  if (ctx.session.draft.rescheduleId || (ctx.session.funnel ?? -1) >= index) return;
  ctx.session.funnel = index;
  ctx.deps.services?.funnel.record(step);
}

/** Starts a booking from the service list (or directly for `serviceId`). */
export async function startBooking(ctx: BotContext, serviceId?: number): Promise<void> {
  ctx.session = { ...initialSession(), step: "service" };
  reached(ctx, "started");
  if (serviceId !== undefined) {
    const service = getService(ctx.deps.db, serviceId);
    if (service && service.isActive && service.deletedAt === null) {
      await chooseService(ctx, service);
      return;
    }
    await ctx.reply(ctx.t("booking.service_unavailable"));
  }
  await showServices(ctx);
}

async function showServices(ctx: BotContext): Promise<void> {
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

async function chooseService(ctx: BotContext, service: Service): Promise<void> {
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

/** Shows the month calendar of the draft's service and master. */
export async function showCalendar(ctx: BotContext, month: Temporal.PlainYearMonth) {
  const draft = ctx.session.draft;
  const service = getService(ctx.deps.db, draft.serviceId ?? 0);
  if (!service || !service.isActive || service.deletedAt !== null) {
    await show(ctx, ctx.t("booking.service_unavailable"), [menuRow(ctx)]);
    ctx.session = initialSession();
    return;
  }
  const today = ctx.deps.bookings.today();
  const rules = ctx.deps.bookings.rules();
  const first = today.toPlainYearMonth();
  const last = today.add({ days: rules.horizonDays }).toPlainYearMonth();
  if (Temporal.PlainYearMonth.compare(month, first) < 0) month = first;
  if (Temporal.PlainYearMonth.compare(month, last) > 0) month = last;
  ctx.session.step = "date";
  draft.month = month.toString();
  const days = ctx.deps.bookings.monthCalendar(service.id, staffChoice(draft.staffId), month);
  const noop = cb.noop.pack({});
  const nav = [
    Temporal.PlainYearMonth.compare(month, first) > 0
      ? button("◀️", cb.month.pack({ ym: month.subtract({ months: 1 }).toString() }))
      : button(" ", noop),
    button(formatMonth(month, ctx.lang), noop),
    Temporal.PlainYearMonth.compare(month, last) < 0
      ? button("▶️", cb.month.pack({ ym: month.add({ months: 1 }).toString() }))
      : button(" ", noop),
  ];
  const rows: Buttons = [nav, weekdayNames(ctx.lang).map((d) => button(d, noop))];
  let row = Array.from(
    { length: month.toPlainDate({ day: 1 }).dayOfWeek - 1 },
    () => button(" ", noop),
  );
  let anyFree = false;
  for (const [iso, state] of days) {
    const day = Number(iso.slice(8));
    if (state === "free") {
      anyFree = true;
      row.push(button(String(day), cb.day.pack({ date: iso })));
    } else {
      row.push(button("·", noop));
    }
    if (row.length === 7) {
      rows.push(row);
      row = [];
    }
  }
  if (row.length) {
    while (row.length < 7) row.push(button(" ", noop));
    rows.push(row);
  }
  rows.push(backCancelRow(ctx, mastersOfService(ctx, service.id).length > 1 ? "staff" : "service"));
  const text = [
    ctx.t("booking.choose_date", { service: service.name }),
    anyFree ? "" : `\n${ctx.t("booking.month_full")}`,
  ].join("");
  await show(ctx, text, rows);
}

async function showSlots(ctx: BotContext, date: Temporal.PlainDate, notice?: string) {
  const draft = ctx.session.draft;
  const service = getService(ctx.deps.db, draft.serviceId ?? 0);
  if (!service) return showServices(ctx);
  let slots;
  try {
    slots = ctx.deps.bookings.freeSlots(
      service.id,
      staffChoice(draft.staffId),
      date,
      draft.rescheduleId ?? 0,
    );
  } catch (error) {
    if (error instanceof BookingError) {
      await show(ctx, ctx.t(`errors.${error.code}`), [menuRow(ctx)]);
      ctx.session = initialSession();
      return;
    }
    throw error;
  }
  draft.date = date.toString();
  ctx.session.step = "slot";
  const header = notice ? `${notice}\n\n` : "";
  if (slots.length === 0) {
    await show(
      ctx,
      header + ctx.t("booking.no_slots", { date: formatDate(date, ctx.lang, ctx.config.timeZone) }),
      [
        backCancelRow(ctx, "date"),
      ],
    );
    return;
  }
  const rows: Buttons = [];
  for (let i = 0; i < slots.length; i += 4) {
    rows.push(
      slots.slice(i, i + 4).map((s) =>
        button(s.label, cb.slot.pack({ start: Math.floor(s.start / 1000), staff: s.staffId }))
      ),
    );
  }
  rows.push(backCancelRow(ctx, "date"));
  await show(
    ctx,
    header + ctx.t("booking.choose_slot", {
      service: service.name,
      date: formatDate(date, ctx.lang, ctx.config.timeZone),
    }),
    rows,
  );
}

async function askName(ctx: BotContext): Promise<void> {
  ctx.session.step = "name";
  const user = getUser(ctx.deps.db, ctx.from!.id);
  const rows: Buttons = [];
  const telegramName = [ctx.from!.first_name, ctx.from!.last_name].filter(Boolean).join(" ");
  if (user?.lastClientName) {
    rows.push([button(user.lastClientName, cb.useName.pack({ which: "last" }))]);
  }
  if (validateName(telegramName).ok && telegramName !== user?.lastClientName) {
    rows.push([button(telegramName, cb.useName.pack({ which: "telegram" }))]);
  }
  rows.push(backCancelRow(ctx, "slot"));
  await show(ctx, ctx.t("booking.ask_name"), rows);
}

async function askPhone(ctx: BotContext): Promise<void> {
  ctx.session.step = "phone";
  const user = getUser(ctx.deps.db, ctx.from!.id);
  if (ctx.callbackQuery?.message) await ctx.editMessageReplyMarkup().catch(() => {});
  const keyboard = new Keyboard().requestContact(ctx.t("booking.share_phone")).resized().oneTime();
  await ctx.reply(ctx.t("booking.ask_phone"), { reply_markup: keyboard });
  const rows: Buttons = [];
  if (user?.lastPhone) rows.push([button(user.lastPhone, cb.usePhone.pack({}))]);
  rows.push(backCancelRow(ctx, "name"));
  await ctx.reply(ctx.t(user?.lastPhone ? "booking.ask_phone_inline" : "booking.ask_phone_nav"), {
    reply_markup: { inline_keyboard: rows },
  });
}

async function showSummary(ctx: BotContext, fresh = false): Promise<void> {
  const d = ctx.session.draft;
  const service = getService(ctx.deps.db, d.serviceId ?? 0);
  if (!service || d.start === undefined) return showServices(ctx);
  ctx.session.step = "confirm";
  const tz = ctx.config.timeZone;
  const lines = [
    ctx.t(d.rescheduleId ? "booking.summary_reschedule" : "booking.summary_title"),
    "",
    ctx.t("booking.card_service", { service: service.name }),
    ctx.t("booking.card_date", { date: formatDate(d.start, ctx.lang, tz) }),
    ctx.t("booking.card_time", {
      start: formatTime(d.start, tz),
      end: formatTime(d.start + service.durationMinutes * 60_000, tz),
    }),
    ctx.t("booking.card_duration", { minutes: service.durationMinutes }),
  ];
  if (showsStaff(ctx) && d.slotStaffId) {
    const staff = listActiveStaff(ctx.deps.db).find((s) => s.id === d.slotStaffId);
    if (staff) lines.push(ctx.t("booking.card_staff", { staff: staff.name }));
  }
  if (service.priceMinor !== null) {
    lines.push(ctx.t("booking.card_price", { price: formatPrice(service.priceMinor, ctx.lang) }));
  }
  if (!d.rescheduleId) {
    lines.push(
      ctx.t("booking.card_name", { name: d.clientName ?? "" }),
      ctx.t("booking.card_phone", { phone: d.phone ?? "" }),
    );
  }
  await show(ctx, lines.join("\n"), [
    [button(ctx.t("booking.confirm_button"), cb.confirm.pack({}))],
    backCancelRow(ctx, d.rescheduleId ? "slot" : "phone"),
  ], { fresh });
}

/** The .ics attachment for a booking. */
export function icsFile(ctx: BotContext, b: Booking): InputFile {
  const ics = icsEvent({
    uid: `booking-${b.id}@${ctx.me.username}`,
    start: b.start,
    end: b.end,
    summary: b.serviceName,
    description: [
      ctx.t("booking.ics_description", { id: b.id }),
      // The price as booked, so the calendar keeps what the client agreed to.
      ...(b.priceMinor === null
        ? []
        : [ctx.t("booking.card_price", { price: formatPrice(b.priceMinor, ctx.lang) })]),
    ].join("\n"),
    stamp: ctx.deps.clock.now(),
  });
  return new InputFile(new TextEncoder().encode(ics), `booking-${b.id}.ics`);
}

async function confirm(ctx: BotContext): Promise<void> {
  const d = ctx.session.draft;
  if (ctx.session.step !== "confirm" || d.start === undefined || d.serviceId === undefined) {
    await ack(ctx, ctx.t("common.button_outdated"));
    return;
  }
  const bookings = ctx.deps.bookings;
  const tz = ctx.config.timeZone;
  let booking: Booking;
  try {
    if (d.rescheduleId) {
      const before = bookings.bookingFor(d.rescheduleId, { userId: ctx.from!.id, isAdmin: false });
      booking = bookings.rescheduleBooking(
        d.rescheduleId,
        { userId: ctx.from!.id, isAdmin: false },
        {
          start: d.start,
          staff: d.slotStaffId ?? staffChoice(d.staffId),
        },
      );
      await ack(ctx);
      ctx.deps.logger.info("Booking moved", { bookingId: booking.id, userId: ctx.from!.id });
      await show(ctx, `${ctx.t("booking.rescheduled")}\n\n${card(ctx, booking)}`, [menuRow(ctx)]);
      await notifyAdminsAbout(ctx.api, ctx.deps, booking, (t, lang) =>
        t("admin_notify.moved", {
          id: booking.id,
          name: booking.clientName,
          service: booking.serviceName,
          from: `${formatDate(before.start, lang, tz)} ${formatTime(before.start, tz)}`,
          to: `${formatDate(booking.start, lang, tz)} ${formatTime(booking.start, tz)}`,
        }));
    } else {
      booking = bookings.createBooking({
        userId: ctx.from!.id,
        serviceId: d.serviceId,
        staff: d.slotStaffId ?? staffChoice(d.staffId),
        start: d.start,
        clientName: d.clientName ?? "",
        phone: d.phone ?? "",
      });
      ctx.deps.metrics.bookingsCreatedTotal.inc();
      reached(ctx, "confirmed");
      await ack(ctx);
      ctx.deps.logger.info("Booking created", { bookingId: booking.id, userId: ctx.from!.id });
      await show(ctx, `${ctx.t("booking.confirmed")}\n\n${card(ctx, booking)}`, [
        [button(ctx.t("common.menu_my"), cb.myList.pack({ kind: "up", page: 0 }))],
        menuRow(ctx),
      ]);
      await ctx.replyWithDocument(icsFile(ctx, booking), { caption: ctx.t("booking.ics_caption") });
      await notifyAdminsAbout(ctx.api, ctx.deps, booking, (t, lang) =>
        t("admin_notify.created", {
          id: booking.id,
          name: booking.clientName,
          phone: booking.phone,
          service: booking.serviceName,
          when: `${formatDate(booking.start, lang, tz)} ${formatTime(booking.start, tz)}`,
        }));
    }
    ctx.session = initialSession();
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    await ack(ctx);
    if (error.code === "slot_taken" || error.code === "too_soon" || error.code === "day_full") {
      const date = localDate(d.start, tz);
      d.start = undefined;
      await showSlots(ctx, date, ctx.t(`errors.${error.code}`));
      return;
    }
    await show(ctx, ctx.t(`errors.${error.code}`), [menuRow(ctx)]);
    ctx.session = initialSession();
  }
}

function card(ctx: BotContext, b: Booking): string {
  return bookingCard(b, ctx.t, ctx.lang, ctx.config.timeZone, { showStaff: showsStaff(ctx) });
}

/** Starts moving `bookingId` (already checked by the caller) to a new slot. */
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

bookingFeature.command("book", (ctx) => startBooking(ctx));

bookingFeature.callbackQuery(cb.service.filter, async (ctx) => {
  const data = cb.service.unpack(ctx.callbackQuery.data);
  const service = data && getService(ctx.deps.db, data.id);
  if (!service || !service.isActive || service.deletedAt !== null) {
    await ack(ctx, ctx.t("booking.service_unavailable"), true);
    return showServices(ctx);
  }
  await ack(ctx);
  ctx.session.draft = { rescheduleId: ctx.session.draft.rescheduleId };
  await chooseService(ctx, service);
});

bookingFeature.callbackQuery(cb.staff.filter, async (ctx) => {
  const data = cb.staff.unpack(ctx.callbackQuery.data);
  const ok = data && ctx.session.draft.serviceId !== undefined &&
    (data.id === 0 ||
      mastersOfService(ctx, ctx.session.draft.serviceId).some((s) => s.id === data.id));
  if (!ok) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  ctx.session.draft.staffId = data.id;
  await showCalendar(ctx, ctx.deps.bookings.today().toPlainYearMonth());
});

bookingFeature.callbackQuery(cb.month.filter, async (ctx) => {
  const data = cb.month.unpack(ctx.callbackQuery.data);
  let month: Temporal.PlainYearMonth | undefined;
  try {
    month = data && Temporal.PlainYearMonth.from(data.ym, { overflow: "reject" });
  } catch {
    month = undefined;
  }
  if (!month || ctx.session.draft.serviceId === undefined) {
    return ack(ctx, ctx.t("common.button_outdated"));
  }
  await ack(ctx);
  await showCalendar(ctx, month);
});

bookingFeature.callbackQuery(cb.day.filter, async (ctx) => {
  const data = cb.day.unpack(ctx.callbackQuery.data);
  let date: Temporal.PlainDate | undefined;
  try {
    date = data && Temporal.PlainDate.from(data.date, { overflow: "reject" });
  } catch {
    date = undefined;
  }
  if (!date || ctx.session.draft.serviceId === undefined) {
    return ack(ctx, ctx.t("common.button_outdated"));
  }
  await ack(ctx);
  await showSlots(ctx, date);
});

bookingFeature.callbackQuery(cb.noop.filter, (ctx) => ack(ctx));

bookingFeature.callbackQuery(cb.slot.filter, async (ctx) => {
  const data = cb.slot.unpack(ctx.callbackQuery.data);
  const d = ctx.session.draft;
  if (!data || d.serviceId === undefined || !d.date) {
    return ack(ctx, ctx.t("common.button_outdated"));
  }
  const start = data.start * 1000;
  const date = Temporal.PlainDate.from(d.date);
  const free = ctx.deps.bookings.freeSlots(
    d.serviceId,
    staffChoice(d.staffId),
    date,
    d.rescheduleId ?? 0,
  );
  const slot = free.find((s) => s.start === start);
  if (!slot) {
    await ack(ctx, ctx.t("errors.slot_taken"), true);
    return showSlots(ctx, date, ctx.t("errors.slot_taken"));
  }
  await ack(ctx);
  d.start = slot.start;
  d.slotStaffId = slot.staffId;
  reached(ctx, "slot");
  if (d.rescheduleId) return showSummary(ctx);
  await askName(ctx);
});

bookingFeature.callbackQuery(cb.useName.filter, async (ctx) => {
  const data = cb.useName.unpack(ctx.callbackQuery.data);
  if (!data || ctx.session.step !== "name") return ack(ctx, ctx.t("common.button_outdated"));
  const user = getUser(ctx.deps.db, ctx.from.id);
  const candidate = data.which === "last"
    ? user?.lastClientName ?? ""
    : [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(" ");
  const name = validateName(candidate);
  if (!name.ok) return ack(ctx, ctx.t(`errors.${name.problem}`), true);
  await ack(ctx);
  ctx.session.draft.clientName = name.value;
  await askPhone(ctx);
});

bookingFeature.callbackQuery(cb.usePhone.filter, async (ctx) => {
  if (ctx.session.step !== "phone") return ack(ctx, ctx.t("common.button_outdated"));
  const phone = validatePhone(getUser(ctx.deps.db, ctx.from.id)?.lastPhone ?? "");
  if (!phone.ok) return ack(ctx, ctx.t("errors.phone_format"), true);
  await ack(ctx);
  await acceptPhone(ctx, phone.value);
});

async function acceptPhone(ctx: BotContext, phone: string): Promise<void> {
  ctx.session.draft.phone = phone;
  reached(ctx, "contact");
  await ctx.reply(ctx.t("booking.phone_saved", { phone }), {
    reply_markup: { remove_keyboard: true },
  });
  if (ctx.callbackQuery) await ctx.editMessageReplyMarkup().catch(() => {});
  // The summary is a new message below the phone confirmation.
  await showSummary(ctx, true);
}

bookingFeature.callbackQuery(cb.confirm.filter, confirm);

bookingFeature.callbackQuery(cb.back.filter, async (ctx) => {
  const data = cb.back.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  const d = ctx.session.draft;
  switch (data.step) {
    case "service":
      return showServices(ctx);
    case "staff": {
      const service = d.serviceId !== undefined ? getService(ctx.deps.db, d.serviceId) : undefined;
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
      if (!d.date) return showServices(ctx);
      return showSlots(ctx, Temporal.PlainDate.from(d.date));
    case "name":
      if (d.start === undefined) return showServices(ctx);
      return askName(ctx);
    case "phone":
      if (!d.clientName) return showServices(ctx);
      return askPhone(ctx);
    default:
      return showServices(ctx);
  }
});

bookingFeature.on("message:contact", async (ctx, next) => {
  if (ctx.session.step !== "phone") return next();
  const phone = validatePhone(
    ctx.message.contact.phone_number.startsWith("+")
      ? ctx.message.contact.phone_number
      : `+${ctx.message.contact.phone_number}`,
  );
  if (!phone.ok) {
    await ctx.reply(ctx.t("errors.phone_format"));
    return;
  }
  await acceptPhone(ctx, phone.value);
});

bookingFeature.on("message:text", async (ctx, next) => {
  const step = ctx.session.step;
  if (ctx.message.text.startsWith("/")) return next();
  if (step === "name") {
    const name = validateName(ctx.message.text);
    if (!name.ok) {
      await ctx.reply(`${ctx.t(`errors.${name.problem}`)}\n${ctx.t("booking.ask_name_again")}`, {});
      return;
    }
    ctx.session.draft.clientName = name.value;
    return askPhone(ctx);
  }
  if (step === "phone") {
    const phone = validatePhone(ctx.message.text);
    if (!phone.ok) {
      await ctx.reply(`${ctx.t("errors.phone_format")}\n${ctx.t("booking.ask_phone_again")}`, {});
      return;
    }
    return acceptPhone(ctx, phone.value);
  }
  if (
    step === "service" || step === "staff" || step === "date" || step === "slot" ||
    step === "confirm"
  ) {
    await ctx.reply(ctx.t(`common.help_${step}`), {});
    return;
  }
  return next();
});
