/**
 * Soft-deleted bookings: their card (who deleted it and when) and restoring one through the
 * booking engine, which refuses a booking whose time is taken meanwhile.
 */
import { type Booking, getBooking } from "../../../../db/bookings_repo.ts";
import { staffVisibleToClients } from "../../../../db/staff_repo.ts";
import { getUser } from "../../../../db/users_repo.ts";
import { localDate } from "../../../../domain/time.ts";
import { BookingError } from "../../../../services/booking_service.ts";
import { bookingCard, formatWhen } from "../../../../ui/format.ts";
import type { BotContext } from "../../../context.ts";
import { button, type Buttons, show } from "../../../ui.ts";
import { hasRole } from "../access_control.ts";
import { withNotice } from "../kit.ts";
import { showCard } from "./card.ts";
import { abCb } from "./codecs.ts";
import { actor, backToBookingsRow, tz } from "./screen.ts";

/** "Anna (123)" for the admin who deleted, or their id alone. */
function whoName(ctx: BotContext, actorId: number): string {
  const user = getUser(ctx.deps.db, actorId);
  const name = user ? [user.firstName, user.lastName].filter(Boolean).join(" ") : "";
  return name ? `${name} (${actorId})` : String(actorId);
}

/** The card text of a deleted booking: the booking and who deleted it when. */
function deletedText(ctx: BotContext, b: Booking): string {
  const t = ctx.t;
  const deletion = ctx.deps.services.adminBookings.deletion(b.id);
  const when = formatWhen(deletion?.at ?? b.deletedAt!, ctx.lang, tz(ctx));
  const line = deletion?.actorId != null
    ? t("admin_bookings.card_deleted", { when, who: whoName(ctx, deletion.actorId) })
    : t("admin_bookings.card_deleted_unknown", { when });
  return [
    t("admin_bookings.card_title", { id: b.id }),
    bookingCard(b, t, ctx.lang, tz(ctx), { showStaff: staffVisibleToClients(ctx.deps.db) }),
    line,
  ].join("\n");
}

/** The card of a deleted booking, with "Restore" for admins; a live one shows its own card. */
export async function showDeletedCard(ctx: BotContext, id: number, notice?: string) {
  const b = getBooking(ctx.deps.db, id);
  if (!b) {
    await show(ctx, ctx.t("errors.not_found"), [backToBookingsRow(ctx)]);
    return;
  }
  if (b.deletedAt === null) return showCard(ctx, b, notice);
  const rows: Buttons = [];
  if (hasRole(ctx, "admin")) {
    rows.push([button(ctx.t("admin_bookings.btn_restore"), abCb.restore.pack({ id }))]);
  }
  const iso = localDate(b.start, tz(ctx)).toString();
  rows.push([
    button(
      `${ctx.t("admin_bookings.filter_deleted")}`,
      abCb.list.pack({ st: "deleted", from: iso, to: iso, page: 0 }),
    ),
    ...backToBookingsRow(ctx),
  ]);
  await show(ctx, withNotice(notice, deletedText(ctx, b)), rows);
}

/** Restores a deleted booking and shows its card, or the deleted card with the reason. */
export async function restore(ctx: BotContext, id: number): Promise<void> {
  let restored: Booking;
  try {
    restored = ctx.deps.services.adminBookings.restore(id, actor(ctx));
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    const reason = error.code === "slot_taken"
      ? ctx.t("admin_bookings.restore_slot_taken")
      : ctx.t(`errors.${error.code}`);
    return showDeletedCard(ctx, id, reason);
  }
  ctx.deps.logger.info("Booking restored by admin", { bookingId: id, adminId: ctx.from!.id });
  await showCard(ctx, restored, ctx.t("admin_bookings.restored", { id }));
}
