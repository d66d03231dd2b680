/** The time step: free start times of one day, four to a row. */
import { getService } from "../../../db/services_repo.ts";
import { BookingError } from "../../../services/booking_service.ts";
import { cb } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { initialSession } from "../../session.ts";
import { backCancelRow, button, type Buttons, dayName, menuRow, show } from "../../ui.ts";
import { showServices, staffChoice } from "./flow.ts";

/** The row under a full day: join its waitlist (src/bot/features/booking/waitlist.ts). */
function joinRow(ctx: BotContext) {
  return [button(ctx.t("waitlist.btn_join"), cb.waitJoin.pack({ part: "ask" }))];
}

/** Shows the free times of `date` (with an optional notice above, e.g. "just taken"). */
export async function showSlots(ctx: BotContext, date: Temporal.PlainDate, notice?: string) {
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
    if (!(error instanceof BookingError)) throw error;
    await show(ctx, ctx.t(`errors.${error.code}`), [menuRow(ctx)]);
    ctx.session = initialSession();
    return;
  }
  draft.date = date.toString();
  ctx.session.step = "slot";
  const header = notice ? `${notice}\n\n` : "";
  const day = dayName(ctx, date);
  if (slots.length === 0) {
    const rows = draft.rescheduleId ? [] : [joinRow(ctx)];
    await show(ctx, header + ctx.t("booking.no_slots", { date: day }), [
      ...rows,
      backCancelRow(ctx, "date"),
    ]);
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
    header + ctx.t("booking.choose_slot", { service: service.name, date: day }),
    rows,
  );
}
