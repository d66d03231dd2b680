/**
 * Deposits through Telegram Payments (only when PAYMENT_PROVIDER_TOKEN is set): the summary
 * lines with the refund policy, and the invoice for a held slot.
 */
import { getService } from "../../../db/services_repo.ts";
import { changeDeadline } from "../../../domain/policies.ts";
import { BookingError } from "../../../services/booking_service.ts";
import type { Deposit } from "../../../db/deposits_repo.ts";
import { formatPrice, formatWhen } from "../../../ui/format.ts";
import type { BotContext } from "../../context.ts";
import { clientMayChange } from "../../policy.ts";
import { initialSession } from "../../session.ts";
import { ack, show } from "../../ui.ts";
import { reached, staffChoice } from "./flow.ts";

/** The invoice payload names the hold. */
export const DEPOSIT_PAYLOAD = /^deposit:(\d+)$/;

/** The deposit the draft's booking asks for, or null (none, or payments not configured). */
export function draftDeposit(ctx: BotContext): number | null {
  const d = ctx.session.draft;
  if (!ctx.config.paymentProviderToken || d.rescheduleId || !ctx.from) return null;
  if (d.serviceId === undefined || d.start === undefined) return null;
  try {
    const plan = ctx.deps.bookings.plan(
      d.serviceId,
      d.slotStaffId ?? staffChoice(d.staffId),
      d.start,
    );
    return ctx.deps.services.deposits.required(ctx.from.id, d.serviceId, plan.priceMinor);
  } catch (error) {
    if (error instanceof BookingError) return null;
    throw error;
  }
}

/** The summary's deposit lines: the amount and what happens to it on a cancellation. */
export function depositLines(ctx: BotContext, amount: number, start: number): string[] {
  const cutoff = ctx.deps.bookings.rules().cancellationCutoffHours;
  const policy = clientMayChange(ctx, start)
    ? ctx.t("booking.deposit_policy", {
      deadline: formatWhen(changeDeadline(start, cutoff), ctx.lang, ctx.config.timeZone),
    })
    : ctx.t("booking.deposit_policy_locked", { hours: cutoff });
  return [ctx.t("booking.card_deposit", { amount: formatPrice(amount, ctx.lang) }), policy];
}

/**
 * Holds the slot and sends the invoice; false when no deposit is due after all (the caller
 * books as usual). A taken slot throws BookingError like a booking would.
 */
export async function holdAndInvoice(ctx: BotContext): Promise<boolean> {
  const d = ctx.session.draft;
  if (!ctx.config.paymentProviderToken || d.start === undefined || d.serviceId === undefined) {
    return false;
  }
  const deposit = ctx.deps.services.deposits.hold({
    userId: ctx.from!.id,
    serviceId: d.serviceId,
    staff: d.slotStaffId ?? staffChoice(d.staffId),
    start: d.start,
    clientName: d.clientName ?? "",
    phone: d.phone ?? "",
  });
  if (!deposit) return false;
  await ack(ctx);
  reached(ctx, "confirmed");
  ctx.session = initialSession();
  await sendInvoice(ctx, deposit);
  return true;
}

async function sendInvoice(ctx: BotContext, deposit: Deposit): Promise<void> {
  const when = formatWhen(deposit.start, ctx.lang, ctx.config.timeZone);
  const minutes = Math.max(1, Math.round((deposit.expiresAt - ctx.deps.clock.now()) / 60_000));
  await show(ctx, ctx.t("booking.deposit_held", { when, minutes }));
  const service = ctx.t("booking.deposit_invoice_text", {
    service: getService(ctx.deps.db, deposit.serviceId)?.name ?? "",
    when,
  });
  const title = ctx.t("booking.deposit_invoice_title");
  await ctx.replyWithInvoice(
    title,
    service.slice(0, 255),
    `deposit:${deposit.id}`,
    deposit.currency,
    [
      { label: title, amount: deposit.amountMinor },
    ],
    { provider_token: ctx.config.paymentProviderToken },
  );
}
