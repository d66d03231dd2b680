/** "My bookings": the client's list, details, cancel, reschedule, contact edits, book again. */
import { Composer } from "grammy";
import { listOwnerIds } from "../../db/admins_repo.ts";
import { type Booking, listUserBookings } from "../../db/bookings_repo.ts";
import { getService } from "../../db/services_repo.ts";
import { getUser } from "../../db/users_repo.ts";
import { canClientChange, changeDeadline } from "../../domain/policies.ts";
import { BookingError } from "../../services/booking_service.ts";
import { type CallbackCodec, cb } from "../../ui/callback_data.ts";
import type { BotContext } from "../context.ts";
import { bookingCard, formatDate, formatTime, statusIcon } from "../../ui/format.ts";
import { escapeHtml } from "../../ui/i18n.ts";
import { notifyAdmins, notifyAdminsAbout } from "../notify.ts";
import { initialSession } from "../session.ts";
import { ack, button, type Buttons, menuRow, show } from "../ui.ts";
import { keptMaster, showCalendar, showsStaff, startBooking, startReschedule } from "./booking.ts";

/** The client's own bookings. */
export const myBookingsFeature = new Composer<BotContext>();

const PAGE_SIZE = 5;

function actor(ctx: BotContext) {
  return { userId: ctx.from!.id, isAdmin: false };
}

/** Shows one page of the client's upcoming ("up") or past bookings. */
export async function showMyBookings(ctx: BotContext, kind: "up" | "past", page: number) {
  const now = ctx.deps.clock.now();
  const { rows, total } = listUserBookings(
    ctx.deps.db,
    ctx.from!.id,
    kind === "up" ? "upcoming" : "past",
    now,
    PAGE_SIZE,
    page * PAGE_SIZE,
  );
  const tz = ctx.config.timeZone;
  const buttons: Buttons = rows.map((b) => [
    button(
      `${statusIcon(b.status)} ${formatDate(b.start, ctx.lang, tz)} ${
        formatTime(b.start, tz)
      } · ${b.serviceName}`,
      cb.myBooking.pack({ id: b.id }),
    ),
  ]);
  const pager = [];
  if (page > 0) pager.push(button("◀️", cb.myList.pack({ kind, page: page - 1 })));
  if ((page + 1) * PAGE_SIZE < total) {
    pager.push(button("▶️", cb.myList.pack({ kind, page: page + 1 })));
  }
  if (pager.length) buttons.push(pager);
  buttons.push([
    kind === "up"
      ? button(ctx.t("my.show_past"), cb.myList.pack({ kind: "past", page: 0 }))
      : button(ctx.t("my.show_upcoming"), cb.myList.pack({ kind: "up", page: 0 })),
  ]);
  buttons.push([button(ctx.t("common.menu_book"), cb.menu.pack({ item: "book" }))], menuRow(ctx));
  const title = ctx.t(kind === "up" ? "my.title_upcoming" : "my.title_past", { total });
  const empty = total === 0
    ? `\n\n${ctx.t(kind === "up" ? "my.empty_upcoming" : "my.empty_past")}`
    : "";
  const pageInfo = total > PAGE_SIZE
    ? `\n${ctx.t("my.page", { page: page + 1, pages: Math.ceil(total / PAGE_SIZE) })}`
    : "";
  await show(ctx, title + pageInfo + empty, buttons);
}

/** Loads the client's own booking, answering the button when it is not theirs or gone. */
async function loadOwn(ctx: BotContext, id: number): Promise<Booking | undefined> {
  try {
    return ctx.deps.bookings.bookingFor(id, actor(ctx));
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

async function showBooking(ctx: BotContext, b: Booking, notice?: string): Promise<void> {
  const now = ctx.deps.clock.now();
  const upcoming = b.status === "active" && b.end > now;
  const rows: Buttons = [];
  if (upcoming) {
    rows.push([
      button(ctx.t("my.reschedule_button"), cb.reschedule.pack({ id: b.id })),
      button(ctx.t("my.cancel_button"), cb.cancelAsk.pack({ id: b.id })),
    ]);
    rows.push([
      button(ctx.t("my.edit_name_button"), cb.editContact.pack({ id: b.id, field: "name" })),
      button(ctx.t("my.edit_phone_button"), cb.editContact.pack({ id: b.id, field: "phone" })),
    ]);
  } else {
    rows.push([button(ctx.t("my.again_button"), cb.again.pack({ id: b.id }))]);
  }
  rows.push([
    button(
      ctx.t("common.back_button"),
      cb.myList.pack({ kind: upcoming ? "up" : "past", page: 0 }),
    ),
  ]);
  const card = bookingCard(b, ctx.t, ctx.lang, ctx.config.timeZone, { showStaff: showsStaff(ctx) });
  await show(
    ctx,
    `${notice ? `${notice}\n\n` : ""}${ctx.t("my.booking_title", { id: b.id })}\n${card}`,
    rows,
  );
}

/** How to reach the business: the owners' Telegram contacts. */
function contactLine(ctx: BotContext): string {
  const links = listOwnerIds(ctx.deps.db).map((id) => {
    const user = getUser(ctx.deps.db, id);
    const name = escapeHtml(user?.firstName || ctx.t("my.contact_admin_name"));
    return user?.username
      ? `@${escapeHtml(user.username)}`
      : `<a href="tg://user?id=${id}">${name}</a>`;
  });
  return links.length
    ? ctx.t("my.contact_business", { contactsHtml: links.join(", ") })
    : ctx.t("my.contact_business_unknown");
}

/** Repeats a past booking: same service (and master) from the calendar. */
export async function repeatBooking(ctx: BotContext, bookingId: number): Promise<void> {
  const b = await loadOwn(ctx, bookingId);
  if (!b) return;
  const service = getService(ctx.deps.db, b.serviceId);
  if (!service || !service.isActive || service.deletedAt !== null) {
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

/**
 * Registers a button that names one of the client's own bookings: parses the data, loads the
 * booking (refusing someone else's), answers the press unless `ackLater`, then calls `handle`.
 */
function onOwnBooking<T extends { id: number }>(
  codec: CallbackCodec<T>,
  handle: (ctx: BotContext, booking: Booking, data: T) => Promise<unknown>,
  options: { ackLater?: boolean } = {},
): void {
  myBookingsFeature.callbackQuery(codec.filter, async (ctx) => {
    const data = codec.unpack(ctx.callbackQuery.data);
    if (!data) return ack(ctx, ctx.t("common.button_outdated"));
    const booking = await loadOwn(ctx, data.id);
    if (!booking) return;
    if (!options.ackLater) await ack(ctx);
    await handle(ctx, booking, data);
  });
}

/** Shows why an active booking can no longer be changed by the client; true if it can. */
async function clientMayChange(ctx: BotContext, b: Booking): Promise<boolean> {
  if (b.status !== "active") {
    await showBooking(ctx, b, ctx.t("errors.not_active"));
    return false;
  }
  const cutoff = ctx.deps.bookings.rules().cancellationCutoffHours;
  if (!canClientChange(b.start, ctx.deps.clock.now(), cutoff)) {
    await tooLate(ctx, b, cutoff);
    return false;
  }
  return true;
}

myBookingsFeature.callbackQuery(cb.myList.filter, async (ctx) => {
  const data = cb.myList.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  ctx.session = initialSession();
  await showMyBookings(ctx, data.kind, data.page);
});

onOwnBooking(cb.myBooking, (ctx, b) => showBooking(ctx, b));

onOwnBooking(cb.cancelAsk, async (ctx, b) => {
  if (!(await clientMayChange(ctx, b))) return;
  await show(
    ctx,
    `${ctx.t("my.cancel_confirm")}\n\n${
      bookingCard(b, ctx.t, ctx.lang, ctx.config.timeZone, { showStaff: showsStaff(ctx) })
    }`,
    [
      [button(ctx.t("my.cancel_yes"), cb.cancelDo.pack({ id: b.id }))],
      [button(ctx.t("my.cancel_no"), cb.myBooking.pack({ id: b.id }))],
    ],
  );
});

async function tooLate(ctx: BotContext, b: Booking, cutoff: number): Promise<void> {
  const tz = ctx.config.timeZone;
  const deadline = changeDeadline(b.start, cutoff);
  await showBooking(
    ctx,
    b,
    `${
      ctx.t("errors.too_late_to_change_detail", {
        hours: cutoff,
        deadline: `${formatDate(deadline, ctx.lang, tz)} ${formatTime(deadline, tz)}`,
      })
    }\n${contactLine(ctx)}`,
  );
}

onOwnBooking(cb.cancelDo, async (ctx, b) => {
  try {
    const cancelled = ctx.deps.bookings.cancelBooking(b.id, actor(ctx));
    ctx.deps.metrics.bookingsCancelledTotal.inc();
    ctx.deps.logger.info("Booking cancelled by client", { bookingId: b.id, userId: ctx.from!.id });
    await ack(ctx, ctx.t("my.cancelled_toast"));
    await showBooking(ctx, cancelled, ctx.t("my.cancelled"));
    const tz = ctx.config.timeZone;
    await notifyAdminsAbout(ctx.api, ctx.deps, b, (t, lang) =>
      t("admin_notify.cancelled", {
        id: b.id,
        name: b.clientName,
        service: b.serviceName,
        when: `${formatDate(b.start, lang, tz)} ${formatTime(b.start, tz)}`,
      }));
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    await ack(ctx);
    if (error.code === "too_late_to_change") {
      return tooLate(ctx, b, ctx.deps.bookings.rules().cancellationCutoffHours);
    }
    await showBooking(
      ctx,
      ctx.deps.bookings.bookingFor(b.id, actor(ctx)),
      ctx.t(`errors.${error.code}`),
    );
  }
}, { ackLater: true });

onOwnBooking(cb.reschedule, async (ctx, b) => {
  if (await clientMayChange(ctx, b)) await startReschedule(ctx, b);
});

onOwnBooking(cb.editContact, async (ctx, b, data) => {
  if (b.status !== "active" || b.end <= ctx.deps.clock.now()) {
    return showBooking(ctx, b, ctx.t("errors.not_active"));
  }
  ctx.session = {
    ...initialSession(),
    step: data.field === "name" ? "edit_name" : "edit_phone",
    editBookingId: b.id,
  };
  await show(ctx, ctx.t(data.field === "name" ? "my.ask_new_name" : "my.ask_new_phone"), [
    [button(ctx.t("common.cancel_button"), cb.myBooking.pack({ id: b.id }))],
  ]);
});

myBookingsFeature.on("message:text", async (ctx, next) => {
  const step = ctx.session.step;
  if ((step !== "edit_name" && step !== "edit_phone") || ctx.message.text.startsWith("/")) {
    return next();
  }
  const id = ctx.session.editBookingId ?? 0;
  try {
    const before = ctx.deps.bookings.bookingFor(id, actor(ctx));
    const updated = ctx.deps.bookings.updateContact(
      id,
      actor(ctx),
      step === "edit_name" ? { clientName: ctx.message.text } : { phone: ctx.message.text },
    );
    ctx.session = initialSession();
    ctx.deps.logger.info("Booking contact changed", {
      bookingId: id,
      userId: ctx.from.id,
      field: step,
    });
    await showBooking(ctx, updated, ctx.t("my.contact_updated"));
    await notifyAdmins(ctx.api, ctx.deps, (t) =>
      t("admin_notify.contact_changed", {
        id,
        oldValue: step === "edit_name" ? before.clientName : before.phone,
        newValue: step === "edit_name" ? updated.clientName : updated.phone,
      }));
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    if (["name_length", "name_chars", "phone_format"].includes(error.code)) {
      await ctx.reply(`${ctx.t(`errors.${error.code}`)}\n${ctx.t("my.try_again")}`, {});
      return;
    }
    ctx.session = initialSession();
    await ctx.reply(ctx.t(`errors.${error.code}`));
  }
});

myBookingsFeature.callbackQuery(cb.again.filter, async (ctx) => {
  const data = cb.again.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await repeatBooking(ctx, data.id);
});

onOwnBooking(cb.coming, async (ctx, b) => {
  try {
    ctx.deps.bookings.confirmAttendance(b.id, actor(ctx));
    await ack(ctx, ctx.t("my.coming_thanks"));
    await ctx.editMessageReplyMarkup({
      reply_markup: {
        inline_keyboard: [[
          button(ctx.t("my.reschedule_button"), cb.reschedule.pack({ id: b.id })),
          button(ctx.t("my.cancel_button"), cb.cancelAsk.pack({ id: b.id })),
        ]],
      },
    }).catch(() => {});
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    await ack(ctx, ctx.t(`errors.${error.code}`), true);
  }
}, { ackLater: true });
