/**
 * Admin section "deposits" (only when PAYMENT_PROVIDER_TOKEN is set; owners): who must pay a
 * deposit (never / always / clients with N no-shows in 12 months), each service's deposit (an
 * amount or a percent of the price), and the deposits due back, marked refunded here.
 */
import { LeanComposer } from "../../composer.ts";
import { z } from "zod";
import { listDeposits } from "../../../db/deposits_repo.ts";
import { listBookableServices } from "../../../db/services_repo.ts";
import { parsePriceMinor, parseWholeNumber } from "../../../domain/admin_input.ts";
import { codec, int } from "../../../ui/callback_data.ts";
import { formatPrice } from "../../../ui/format.ts";
import { scoped } from "../../../ui/i18n.ts";
import type { BotContext } from "../../context.ts";
import { button, type Buttons, show } from "../../ui.ts";
import type { DepositsInput } from "./input.ts";
import {
  type AdminSection,
  awaitInput,
  backToAdminRow,
  endInput,
  type InputRoutes,
  onButton,
  withNotice,
} from "./kit.ts";

/** The composer of the deposits section. */
export const adminDeposits = new LeanComposer<BotContext>();

/** The buttons of this section (prefix "dp"). */
export const dpCb = {
  /** Sets who must pay (no_shows asks for the number). */
  policy: codec("dpp", { k: z.enum(["never", "always", "no_shows"]) }),
  /** Asks for a service's deposit. */
  service: codec("dps", { id: int }),
  /** Marks a deposit refunded. */
  refunded: codec("dpr", { id: int }),
} as const;

function t(ctx: BotContext) {
  return scoped(ctx.t, "admin");
}

/** A service's deposit in words: "500 ₽", "30% of the price" or "none". */
function termsText(ctx: BotContext, serviceId: number): string {
  const terms = ctx.deps.services.deposits.terms(serviceId);
  if (terms.minor !== null) return formatPrice(terms.minor, ctx.lang);
  if (terms.percent !== null) return t(ctx)("dep_percent", { percent: terms.percent });
  return t(ctx)("dep_none");
}

function policyText(ctx: BotContext): string {
  const policy = ctx.deps.services.deposits.policy();
  if (policy.kind === "no_shows") return t(ctx)("dep_policy_no_shows", { n: policy.count });
  return t(ctx)(policy.kind === "never" ? "dep_policy_never" : "dep_policy_always");
}

/** The section's screen. */
async function showDeposits(ctx: BotContext, notice?: string): Promise<void> {
  const tr = t(ctx);
  const services = listBookableServices(ctx.deps.db);
  const due = listDeposits(ctx.deps.db, "refund_due");
  const lines = [tr("dep_title"), "", policyText(ctx), "", tr("dep_services")];
  for (const s of services) lines.push(`• ${s.name}: ${termsText(ctx, s.id)}`);
  lines.push("", tr("dep_refunds", { n: due.length }));
  for (const d of due) {
    lines.push(tr("dep_refund_line", {
      amount: formatPrice(d.amountMinor, ctx.lang, d.currency),
      id: d.bookingId ?? 0,
      charge: d.telegramChargeId ?? "",
    }));
  }
  const rows: Buttons = [[
    button(tr("dep_set_always"), dpCb.policy.pack({ k: "always" })),
    button(tr("dep_set_no_shows"), dpCb.policy.pack({ k: "no_shows" })),
    button(tr("dep_set_never"), dpCb.policy.pack({ k: "never" })),
  ]];
  for (const s of services) {
    rows.push([button(
      tr("dep_service_button", { service: s.name, deposit: termsText(ctx, s.id) }),
      dpCb.service.pack({ id: s.id }),
    )]);
  }
  for (const d of due) {
    rows.push([button(
      tr("dep_refund_button", {
        amount: formatPrice(d.amountMinor, ctx.lang, d.currency),
        id: d.bookingId ?? 0,
      }),
      dpCb.refunded.pack({ id: d.id }),
    )]);
  }
  rows.push(backToAdminRow(ctx));
  await show(ctx, withNotice(notice, lines.join("\n")), rows);
}

onButton(adminDeposits, dpCb.policy, "owner", async (ctx, { k }) => {
  if (k === "no_shows") {
    awaitInput(ctx, { kind: "dp_no_shows" });
    await show(ctx, t(ctx)("dep_ask_no_shows"));
    return;
  }
  ctx.deps.services.deposits.setPolicy({ kind: k }, ctx.from!.id);
  await showDeposits(ctx, t(ctx)("dep_saved"));
});

onButton(adminDeposits, dpCb.service, "owner", async (ctx, { id }) => {
  const service = listBookableServices(ctx.deps.db).find((s) => s.id === id);
  if (!service) return showDeposits(ctx);
  awaitInput(ctx, { kind: "dp_amount", id });
  await show(ctx, t(ctx)("dep_ask_amount", { service: service.name }));
});

onButton(adminDeposits, dpCb.refunded, "owner", async (ctx, { id }) => {
  const done = ctx.deps.services.deposits.markRefunded(id, ctx.from!.id);
  await showDeposits(ctx, done ? t(ctx)("dep_refunded") : undefined);
});

/** "500" (an amount), "30%" (of the price) or "0" (none). */
function parseDeposit(text: string): { minor: number | null; percent: number | null } | null {
  const percent = /^\s*(\d{1,3})\s*%\s*$/.exec(text);
  if (percent) {
    const n = Number(percent[1]);
    return n >= 1 && n <= 100 ? { minor: null, percent: n } : null;
  }
  const amount = parsePriceMinor(text);
  if (!amount.ok) return null;
  return { minor: amount.value || null, percent: null };
}

/** The texts this section waits for. */
export const depositsInputs: InputRoutes<DepositsInput["kind"]> = {
  dp_amount: {
    need: "owner",
    async handle(ctx, input, text) {
      const terms = parseDeposit(text);
      if (!terms) return void await show(ctx, t(ctx)("dep_bad_amount"));
      ctx.deps.services.deposits.setTerms(input.id, terms, ctx.from!.id);
      endInput(ctx);
      await showDeposits(ctx, t(ctx)("dep_saved"));
    },
  },
  dp_no_shows: {
    need: "owner",
    async handle(ctx, _input, text) {
      const n = parseWholeNumber(text, 1, 20);
      if (!n.ok) return void await show(ctx, t(ctx)("dep_bad_number"));
      ctx.deps.services.deposits.setPolicy({ kind: "no_shows", count: n.value }, ctx.from!.id);
      endInput(ctx);
      await showDeposits(ctx, t(ctx)("dep_saved"));
    },
  },
};

/** The deposits section in the admin menu: owners, and only with a payment provider. */
export const depositsSection: AdminSection = {
  id: "deposits",
  need: "owner",
  open: (ctx) => showDeposits(ctx),
  shown: (ctx) => ctx.config.paymentProviderToken !== undefined,
};
