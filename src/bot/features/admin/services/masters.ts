/**
 * Who does a service: a toggle per master ("☑️ Ольга") and a master's own duration and price.
 * Viewers see the list; admins change it through the catalogue service (audited).
 */
import { LeanComposer } from "../../../composer.ts";
import { parsePriceMinor, parseWholeNumber } from "../../../../domain/admin_input.ts";
import { CatalogError, SERVICE_LIMITS } from "../../../../services/catalog.ts";
import type { MasterOfService } from "../../../../services/master_services.ts";
import type { Service } from "../../../../db/services_repo.ts";
import { button, type Buttons, type Screen } from "../../../../ui/buttons.ts";
import { formatPrice } from "../../../../ui/format.ts";
import { scoped } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import type { InputOf } from "../input.ts";
import { awaitInput, endInput, inputProblemText, onButton, withNotice } from "../kit.ts";
import { servicesCb } from "./codecs.ts";
import { findService, showServiceCard, viewEnv } from "./screens.ts";
import type { ViewEnv } from "./views.ts";

/** The composer of the masters-of-a-service screen. */
export const serviceMasters = new LeanComposer<BotContext>();

function termsOf(service: Service, m: MasterOfService) {
  return {
    minutes: m.terms?.durationMinutes ?? service.durationMinutes,
    priceMinor: m.terms?.priceMinor ?? service.priceMinor,
  };
}

function priceOf(env: ViewEnv, priceMinor: number | null): string {
  return priceMinor === null
    ? scoped(env.t, "admin_services")("no_price")
    : formatPrice(priceMinor, env.lang);
}

/** The screen: every master with a toggle (admins) and their terms for the service. */
export function mastersView(
  service: Service,
  masters: MasterOfService[],
  notice: string,
  env: ViewEnv,
): Screen {
  const t = scoped(env.t, "admin_services");
  const lines = masters.map((m) => {
    const name = m.staff.name + (m.staff.isActive ? "" : t("master_inactive"));
    if (!m.terms) return t("master_line_off", { name });
    const { minutes, priceMinor } = termsOf(service, m);
    return t("master_line_on", { name, minutes, price: priceOf(env, priceMinor) });
  });
  const text = [t("masters_title", { service: service.name }), "", ...lines];
  if (!masters.some((m) => m.terms && m.staff.isActive)) text.push("", t("masters_none"));
  const buttons: Buttons = [];
  for (const m of env.canEdit ? masters : []) {
    const name = m.staff.name;
    const row = [button(
      t(m.terms ? "master_on" : "master_off", { name }),
      servicesCb.master.pack({ id: service.id, m: m.staff.id, on: m.terms ? 0 : 1 }),
    )];
    if (m.terms) {
      const data = servicesCb.terms.pack({ id: service.id, m: m.staff.id, reset: 0 });
      row.push(button(t("terms_button", { name }), data));
    }
    buttons.push(row);
  }
  buttons.push([button(env.t("common.back_button"), servicesCb.view.pack({ id: service.id }))]);
  return { text: withNotice(notice, text.join("\n")), buttons };
}

/** Shows who does the service (or its card when it is gone). */
async function showMasters(ctx: BotContext, id: number, notice = "") {
  const service = findService(ctx, id);
  if (!service || service.deletedAt !== null) return showServiceCard(ctx, id);
  const masters = ctx.deps.services.catalog.mastersOfService(id);
  const screen = mastersView(service, masters, notice, viewEnv(ctx));
  await show(ctx, screen.text, screen.buttons, { fresh: !ctx.callbackQuery });
}

/** Runs a change and shows the masters screen with what came of it. */
async function change(ctx: BotContext, id: number, write: () => boolean) {
  endInput(ctx);
  try {
    const changed = write();
    await showMasters(ctx, id, ctx.t(`admin_services.${changed ? "master_saved" : "unchanged"}`));
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    await showMasters(ctx, id, ctx.t(`admin_services.err_${error.code}`));
  }
}

/** Asks for a master's own terms for the service. */
async function askTerms(ctx: BotContext, id: number, staffId: number, problem = "") {
  const service = findService(ctx, id);
  const m = ctx.deps.services.catalog.mastersOfService(id).find((x) => x.staff.id === staffId);
  if (!service || service.deletedAt !== null || !m?.terms) return change(ctx, id, () => false);
  awaitInput(ctx, { kind: "as_terms", id, m: staffId });
  const { minutes, priceMinor } = termsOf(service, m);
  const t = scoped(ctx.t, "admin_services");
  const text = t("terms_ask", {
    service: service.name,
    name: m.staff.name,
    minutes,
    price: priceOf(viewEnv(ctx), priceMinor),
  });
  await show(ctx, withNotice(problem, text), [
    [button(t("terms_reset"), servicesCb.terms.pack({ id, m: staffId, reset: 1 }))],
    [button(ctx.t("common.back_button"), servicesCb.masters.pack({ id }))],
  ], { fresh: !ctx.callbackQuery });
}

/** Reads "90" or "90 2500" (minutes, then price) for the master's own terms. */
async function answerTerms(ctx: BotContext, input: InputOf<"as_terms">, text: string) {
  const [first = "", ...rest] = text.trim().split(/\s+/);
  const { durationMin: min, durationMax: max } = SERVICE_LIMITS;
  const minutes = parseWholeNumber(first, min, max);
  if (!minutes.ok) {
    return askTerms(ctx, input.id, input.m, inputProblemText(ctx, minutes.problem, { min, max }));
  }
  const price = rest.length ? parsePriceMinor(rest.join(" ")) : { ok: true as const, value: null };
  if (!price.ok) return askTerms(ctx, input.id, input.m, inputProblemText(ctx, price.problem));
  const terms = { durationMinutes: minutes.value, priceMinor: price.value };
  await change(
    ctx,
    input.id,
    () => ctx.deps.services.catalog.setOwnTerms(input.id, input.m, terms, ctx.from!.id),
  );
}

onButton(serviceMasters, servicesCb.masters, "viewer", async (ctx, { id }) => {
  endInput(ctx);
  await showMasters(ctx, id);
});

onButton(serviceMasters, servicesCb.master, "admin", (ctx, { id, m, on }) =>
  change(
    ctx,
    id,
    () => ctx.deps.services.catalog.setMasterOfService(id, m, on === 1, ctx.from!.id),
  ));

onButton(serviceMasters, servicesCb.terms, "admin", (ctx, { id, m, reset }) => {
  if (reset === 0) return askTerms(ctx, id, m);
  const terms = { durationMinutes: null, priceMinor: null };
  return change(ctx, id, () => ctx.deps.services.catalog.setOwnTerms(id, m, terms, ctx.from!.id));
});

/** The masters screen's typed value. */
export const mastersInputs = {
  as_terms: { need: "admin" as const, handle: answerTerms },
};
