/** The booking card: details, the editor's buttons, cancelling one booking, soft delete. */
import type { Booking } from "../../../../db/bookings_repo.ts";
import { staffVisibleToClients } from "../../../../db/staff_repo.ts";
import { getUser } from "../../../../db/users_repo.ts";
import { localDate } from "../../../../domain/time.ts";
import { AdminBookingError } from "../../../../services/admin_bookings.ts";
import { BookingError } from "../../../../services/booking_service.ts";
import { confirmRows } from "../../../../ui/confirm.ts";
import { bookingCard, formatWhen } from "../../../../ui/format.ts";
import { escapeHtml } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import { button, type Buttons, show } from "../../../ui.ts";
import { hasRole } from "../access_control.ts";
import { awaitInput, endInput, withNotice } from "../kit.ts";
import { abCb, type EditField } from "./codecs.ts";
import { acCb } from "../clients/codecs.ts";
import { tellClientCancelled } from "./client_notice.ts";
import { showDay } from "./lists.ts";
import { actor, backToBookingsRow, loadBooking, tz } from "./screen.ts";
import { mayMarkNoShow } from "./views.ts";

function clientLink(ctx: BotContext, b: Booking): string {
  const user = getUser(ctx.deps.db, b.userId);
  const name = escapeHtml(
    user ? [user.firstName, user.lastName].filter(Boolean).join(" ") : b.clientName,
  );
  const link = `<a href="tg://user?id=${b.userId}">${name || b.userId}</a>`;
  return user?.username ? `${link} (@${escapeHtml(user.username)})` : link;
}

/** The text of a card: the booking, its client, when it was made, confirmed or cancelled. */
function cardText(ctx: BotContext, b: Booking): string {
  const t = ctx.t;
  const when = (instant: number) => formatWhen(instant, ctx.lang, tz(ctx));
  const lines = [
    t("admin_bookings.card_title", { id: b.id }),
    bookingCard(b, t, ctx.lang, tz(ctx), { showStaff: staffVisibleToClients(ctx.deps.db) }),
    t("admin_bookings.card_client", { clientHtml: clientLink(ctx, b), userId: b.userId }),
    t("admin_bookings.card_created", { when: when(b.createdAt) }),
  ];
  if (b.confirmedAt !== null && b.status === "active") {
    lines.push(t("admin_bookings.card_confirmed"));
  }
  if (b.status === "cancelled" && b.cancelledAt !== null) {
    lines.push(t("admin_bookings.card_cancelled", { when: when(b.cancelledAt) }));
  }
  return lines.join("\n");
}

/** The editor's buttons of a card (admins only). */
function editRows(ctx: BotContext, b: Booking): Buttons {
  const t = ctx.t;
  const edit = (f: EditField) =>
    button(t(`admin_bookings.btn_edit_${f}`), abCb.edit.pack({ id: b.id, f }));
  const rows: Buttons = [];
  if (b.status === "active") {
    rows.push([edit("date"), edit("time"), edit("service")]);
    if (staffVisibleToClients(ctx.deps.db)) rows.push([edit("staff")]);
  }
  rows.push([edit("name"), edit("phone"), edit("status")]);
  if (mayMarkNoShow(b, ctx.deps.clock.now())) {
    const noShow = abCb.setStatus.pack({ id: b.id, st: "no_show" });
    rows.push([button(t("admin_bookings.btn_no_show"), noShow)]);
  }
  const last = [];
  if (b.status === "active") {
    last.push(button(t("admin_bookings.btn_cancel"), abCb.cancelAsk.pack({ id: b.id })));
  }
  last.push(button(t("admin_bookings.btn_delete"), abCb.remove.pack({ id: b.id, ok: 0 })));
  rows.push(last);
  return rows;
}

/** The card of a booking with the editor's buttons (for admins) and navigation. */
export async function showCard(ctx: BotContext, b: Booking, notice?: string): Promise<void> {
  const t = ctx.t;
  const rows = hasRole(ctx, "admin") ? editRows(ctx, b) : [];
  rows.push([
    button(t("admin_clients.btn_card"), acCb.card.pack({ uid: b.userId })),
    button(t("admin_bookings.btn_client_history"), abCb.history.pack({ uid: b.userId, page: 0 })),
  ]);
  rows.push([
    button(
      t("admin_bookings.btn_back_day"),
      abCb.day.pack({ date: localDate(b.start, tz(ctx)).toString(), page: 0 }),
    ),
    ...backToBookingsRow(ctx),
  ]);
  await show(ctx, withNotice(notice, cardText(ctx, b)), rows);
}

/** Shows the card again with the reason a change was refused. */
export async function refused(ctx: BotContext, id: number, error: unknown): Promise<void> {
  if (!(error instanceof BookingError) && !(error instanceof AdminBookingError)) throw error;
  const notice = error instanceof BookingError
    ? ctx.t(`errors.${error.code}`)
    : ctx.t(`admin_bookings.error_${error.code}`);
  const b = await loadBooking(ctx, id);
  if (b) await showCard(ctx, b, notice);
}

/** Asks for the reason of cancelling a booking (or none, with a button). */
export async function askCancel(ctx: BotContext, id: number): Promise<void> {
  const b = await loadBooking(ctx, id);
  if (!b) return;
  if (b.status !== "active") return showCard(ctx, b, ctx.t("errors.not_active"));
  awaitInput(ctx, { kind: "ab_reason", id });
  const showStaff = staffVisibleToClients(ctx.deps.db);
  await show(
    ctx,
    ctx.t("admin_bookings.cancel_ask", {
      id,
      cardHtml: bookingCard(b, ctx.t, ctx.lang, tz(ctx), { showStaff }),
    }),
    [
      [button(ctx.t("admin_bookings.btn_cancel_no_reason"), abCb.cancelNoReason.pack({ id }))],
      [button(ctx.t("admin_bookings.btn_back_card"), abCb.card.pack({ id }))],
    ],
  );
}

/** Cancels one booking (with an optional reason), tells the client, shows the card. */
export async function cancelOne(ctx: BotContext, id: number, reason: string | null) {
  endInput(ctx);
  let cancelled: Booking;
  try {
    cancelled = ctx.deps.bookings.cancelBooking(id, actor(ctx), reason);
  } catch (error) {
    return refused(ctx, id, error);
  }
  ctx.deps.metrics.bookingsCancelledTotal.inc();
  ctx.deps.logger.info("Booking cancelled by admin", { bookingId: id, adminId: ctx.from!.id });
  const delivered = await tellClientCancelled(ctx, cancelled);
  await showCard(
    ctx,
    cancelled,
    ctx.t(
      delivered ? "admin_bookings.cancelled_notified" : "admin_bookings.cancelled_not_notified",
    ),
  );
}

/** Asks whether to delete a booking; one still to come must be cancelled first. */
export async function askRemove(ctx: BotContext, id: number): Promise<void> {
  const b = await loadBooking(ctx, id);
  if (!b) return;
  if (b.status === "active" && b.end > ctx.deps.clock.now()) {
    return showCard(ctx, b, ctx.t("admin_bookings.error_cancel_first"));
  }
  await show(
    ctx,
    ctx.t("admin_bookings.delete_ask", { id }),
    confirmRows(
      { text: ctx.t("admin_bookings.btn_delete_yes"), data: abCb.remove.pack({ id, ok: 1 }) },
      { text: ctx.t("admin_bookings.btn_no"), data: abCb.card.pack({ id }) },
    ),
  );
}

/** Soft-deletes a booking and shows its day. */
export async function remove(ctx: BotContext, id: number): Promise<void> {
  let deleted: Booking;
  try {
    deleted = ctx.deps.services.adminBookings.softDelete(id, actor(ctx));
  } catch (error) {
    return refused(ctx, id, error);
  }
  ctx.deps.logger.info("Booking deleted (soft) by admin", { bookingId: id, adminId: ctx.from!.id });
  await showDay(ctx, localDate(deleted.start, tz(ctx)), 0, ctx.t("admin_bookings.deleted", { id }));
}
