/** Telegram Payments updates: the pre-checkout answer and the payment that books. */
import { LeanComposer } from "../../composer.ts";
import { formatPrice } from "../../../ui/format.ts";
import type { BotContext } from "../../context.ts";
import { show } from "../../ui.ts";
import { sendConfirmation } from "./confirm.ts";
import { DEPOSIT_PAYLOAD as PAYLOAD } from "./deposit.ts";

/** Pre-checkout and payment updates. */
export const depositPayments = new LeanComposer<BotContext>();

depositPayments.on("pre_checkout_query", async (ctx) => {
  const m = PAYLOAD.exec(ctx.preCheckoutQuery.invoice_payload);
  const ok = m !== null && ctx.deps.services.deposits.mayPay(Number(m[1]), ctx.from.id);
  if (ok) await ctx.answerPreCheckoutQuery(true);
  else await ctx.answerPreCheckoutQuery(false, { error_message: ctx.t("booking.deposit_expired") });
});

depositPayments.on("message:successful_payment", async (ctx) => {
  const p = ctx.message.successful_payment;
  const m = PAYLOAD.exec(p.invoice_payload);
  if (!m) return;
  const outcome = ctx.deps.services.deposits.paid(Number(m[1]), ctx.from.id, {
    telegramChargeId: p.telegram_payment_charge_id,
    providerChargeId: p.provider_payment_charge_id,
  });
  if (!outcome) return;
  ctx.deps.logger.info("Deposit paid", { depositId: outcome.deposit.id, ok: outcome.ok });
  if (!outcome.ok) {
    await show(ctx, ctx.t("booking.deposit_late"));
    return;
  }
  ctx.deps.metrics.bookingsCreatedTotal.inc();
  await sendConfirmation(ctx, outcome.booking, [
    ctx.t("booking.deposit_paid", { amount: formatPrice(outcome.deposit.amountMinor, ctx.lang) }),
  ]);
});
