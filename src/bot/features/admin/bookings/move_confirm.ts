/** "Move booking №N from … to …?" before an admin's move is saved. */
import { localDate } from "../../../../domain/time.ts";
import { BookingError } from "../../../../services/booking_service.ts";
import { confirmRows } from "../../../../ui/confirm.ts";
import { formatDate, formatTime } from "../../../../ui/format.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import { abCb } from "./codecs.ts";
import { showMoveDay } from "./editor.ts";
import { loadBooking, tz } from "./screen.ts";

/** Asks to confirm a move; a slot no longer free is refused at once with the day's free time. */
export async function askMove(ctx: BotContext, id: number, move: { start: number; staff: number }) {
  const b = await loadBooking(ctx, id);
  if (!b) return;
  const date = localDate(move.start, tz(ctx));
  let free = false;
  try {
    free = ctx.deps.bookings.freeSlots(b.serviceId, move.staff, date, b.id)
      .some((s) => s.start === move.start);
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
  }
  if (!free) return showMoveDay(ctx, b, date, ctx.t("errors.slot_taken"));
  const when = (at: number) => `${formatDate(at, ctx.lang, tz(ctx))} ${formatTime(at, tz(ctx))}`;
  const text = ctx.t("admin_bookings.move_confirm", {
    id: b.id,
    service: b.serviceName,
    name: b.clientName,
    from: when(b.start),
    to: when(move.start),
  });
  const data = { id, start: move.start / 1000, staff: move.staff };
  await show(
    ctx,
    text,
    confirmRows(
      { text: ctx.t("admin_bookings.move_yes"), data: abCb.moveSlot.pack({ ...data, ok: 1 }) },
      {
        text: ctx.t("common.back_button"),
        data: abCb.moveDay.pack({ id, date: date.toString() }),
      },
    ),
  );
}
