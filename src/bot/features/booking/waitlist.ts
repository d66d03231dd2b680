/**
 * The waitlist for clients (issue 13): "🔔 Tell me if something frees up" on a full day, a
 * part of the day to wait for, one press to take an offered time, leaving the list.
 */
import { LeanComposer } from "../../composer.ts";
import { getService } from "../../../db/services_repo.ts";
import { staffVisibleToClients } from "../../../db/staff_repo.ts";
import { BookingError } from "../../../services/booking_service.ts";
import { type DayPart, WaitlistError } from "../../../services/waitlist.ts";
import { cb } from "../../../ui/callback_data.ts";
import { bookingCard } from "../../../ui/format.ts";
import { scoped } from "../../../ui/i18n.ts";
import type { BotContext } from "../../context.ts";
import { initialSession } from "../../session.ts";
import { ack, backCancelRow, button, type Buttons, dayName, menuRow, show } from "../../ui.ts";
import { afterSlot } from "./contact.ts";

export const waitlistButtons = new LeanComposer<BotContext>();

const PARTS: DayPart[] = ["any", "morning", "afternoon", "evening"];

/** "morning" → "Morning (before 12:00)". */
export function partWord(ctx: BotContext, part: DayPart): string {
  return ctx.t(`waitlist.part_${part}`);
}

async function askPart(ctx: BotContext, date: Temporal.PlainDate): Promise<void> {
  const rows: Buttons = PARTS.map((part) => [
    button(partWord(ctx, part), cb.waitJoin.pack({ part })),
  ]);
  rows.push(backCancelRow(ctx, "slot"));
  await show(ctx, ctx.t("waitlist.ask_part", { date: dayName(ctx, date) }), rows);
}

waitlistButtons.callbackQuery(cb.waitJoin.filter, async (ctx) => {
  const data = cb.waitJoin.unpack(ctx.callbackQuery.data);
  const d = ctx.session.draft;
  if (!data || d.serviceId === undefined || !d.date || d.rescheduleId) {
    return ack(ctx, ctx.t("common.button_outdated"));
  }
  await ack(ctx);
  const date = Temporal.PlainDate.from(d.date);
  if (data.part === "ask") return askPart(ctx, date);
  const t = scoped(ctx.t, "waitlist");
  let text: string;
  try {
    ctx.deps.services.waitlist.join({
      userId: ctx.from!.id,
      serviceId: d.serviceId,
      staffId: d.staffId || null,
      day: d.date,
      part: data.part,
    });
    text = t("joined", {
      date: dayName(ctx, date),
      part: partWord(ctx, data.part),
      minutes: ctx.config.waitlistHoldMinutes,
    });
  } catch (error) {
    if (!(error instanceof WaitlistError)) throw error;
    text = ctx.t(`waitlist.error_${error.code}`);
  }
  ctx.session = initialSession();
  await show(ctx, text, [menuRow(ctx)]);
});

waitlistButtons.callbackQuery(cb.waitClaim.filter, async (ctx) => {
  const data = cb.waitClaim.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  const waitlist = ctx.deps.services.waitlist;
  try {
    const b = waitlist.claim(ctx.from!.id, data.id);
    ctx.deps.metrics.bookingsCreatedTotal.inc();
    const showStaff = staffVisibleToClients(ctx.deps.db);
    const cardHtml = bookingCard(b, ctx.t, ctx.lang, ctx.config.timeZone, { showStaff });
    await show(ctx, ctx.t("waitlist.claimed", { cardHtml }), [menuRow(ctx)]);
  } catch (error) {
    if (error instanceof BookingError) {
      return show(ctx, ctx.t("waitlist.taken_kept"), [menuRow(ctx)]);
    }
    if (!(error instanceof WaitlistError)) throw error;
    if (error.code === "no_contact") return claimThroughDialog(ctx, data.id);
    await show(ctx, ctx.t(`waitlist.error_${error.code}`), [menuRow(ctx)]);
  }
});

/** A client whose name and phone are not known yet books the offered time through the dialog. */
async function claimThroughDialog(ctx: BotContext, id: number): Promise<void> {
  const w = ctx.deps.services.waitlist.waitOf(ctx.from!.id, id)!;
  if (!getService(ctx.deps.db, w.serviceId)) return;
  ctx.session = initialSession();
  ctx.session.step = "slot";
  ctx.session.draft = {
    serviceId: w.serviceId,
    staffId: w.staffId ?? 0,
    date: w.day,
    start: w.offerStart!,
    slotStaffId: w.offerStaff!,
  };
  await afterSlot(ctx);
}

waitlistButtons.callbackQuery(cb.waitLeave.filter, async (ctx) => {
  const data = cb.waitLeave.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  const w = ctx.deps.services.waitlist.waitOf(ctx.from!.id, data.id);
  try {
    ctx.deps.services.waitlist.leave(ctx.from!.id, data.id);
  } catch (error) {
    if (!(error instanceof WaitlistError)) throw error;
    return show(ctx, ctx.t(`waitlist.error_${error.code}`), [menuRow(ctx)]);
  }
  const date = dayName(ctx, Temporal.PlainDate.from(w!.day));
  await show(ctx, ctx.t("waitlist.left", { date }), [menuRow(ctx)]);
});
