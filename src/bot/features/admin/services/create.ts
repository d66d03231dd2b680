/**
 * Creating a service step by step: name, description, duration, price, place in the list,
 * active or not. Each typed answer is read like the editor reads it; buttons answer the
 * steps that have a usual choice.
 */
import { LeanComposer } from "../../../composer.ts";
import { isSkipWord } from "../../../../domain/admin_input.ts";
import { setupState } from "../../../../db/profile_repo.ts";
import { firstFreeDay } from "../../../../services/availability.ts";
import { CatalogError } from "../../../../services/catalog.ts";
import { button } from "../../../../ui/buttons.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import type { InputOf, NewServiceStep, ServiceDraft } from "../input.ts";
import { awaitInput, endInput, onButton, outdated, pendingInput } from "../kit.ts";
import { DURATION_CHOICES, servicesCb } from "./codecs.ts";
import { cancelRow, newStepView } from "./dialog_views.ts";
import { readField } from "./fields.ts";
import { showServiceCard } from "./screens.ts";

/** The composer of the creation dialog. */
export const serviceCreation = new LeanComposer<BotContext>();

type NewInput = InputOf<"as_new">;

/** The step after each typed step, and where its answer goes in the draft. */
const NEXT = {
  name: ["desc", "name"],
  desc: ["dur", "description"],
  dur: ["price", "duration"],
  price: ["order", "price"],
  order: ["active", "order"],
} as const satisfies Record<
  Exclude<NewServiceStep, "active">,
  [NewServiceStep, keyof ServiceDraft]
>;

/** The step each button of the dialog answers. */
const STEP_OF_BUTTON = {
  desc_skip: "desc",
  dur: "dur",
  dur_other: "dur",
  price_skip: "price",
  order_skip: "order",
  active: "active",
} as const satisfies Record<string, NewServiceStep>;

function creationInput(ctx: BotContext): NewInput | undefined {
  const input = pendingInput(ctx);
  return input?.kind === "as_new" ? input : undefined;
}

/** Asks the question of `step` and waits for its answer. */
async function ask(ctx: BotContext, step: NewServiceStep, draft: ServiceDraft, problem = "") {
  awaitInput(ctx, { kind: "as_new", step, draft });
  const screen = newStepView(step, draft, problem, ctx.t);
  await show(ctx, screen.text, screen.buttons, { fresh: !ctx.callbackQuery });
}

/** Goes on from a typed step with its value. */
function advance(ctx: BotContext, step: keyof typeof NEXT, draft: ServiceDraft, value: unknown) {
  const [next, key] = NEXT[step];
  return ask(ctx, next, { ...draft, [key]: value });
}

/** Reads a typed answer of the dialog. */
async function answer(ctx: BotContext, input: NewInput, text: string): Promise<void> {
  const { step, draft } = input;
  if (step === "active") return ask(ctx, step, draft, ctx.t("admin_services.use_buttons"));
  if (step === "order" && isSkipWord(text)) return advance(ctx, step, draft, null);
  const read = readField(ctx, step, text);
  if (!read.ok) return ask(ctx, step, draft, read.problem);
  await advance(ctx, step, draft, read.value);
}

/**
 * "Visible to clients" only when a client can book it now; else what is missing (working
 * hours, or any free time within the horizon).
 */
function bookableNotice(ctx: BotContext, serviceId: number): string {
  if (firstFreeDay(ctx.deps.bookings, serviceId, "any")) {
    return ctx.t("admin_services.created_active");
  }
  if (!setupState(ctx.deps.db).hours) return ctx.t("admin_services.created_no_hours");
  const days = ctx.deps.bookings.rules().horizonDays;
  return ctx.t("admin_services.created_no_slots", { days });
}

/** Creates the service of the draft and shows its card. */
async function finish(ctx: BotContext, draft: ServiceDraft, active: boolean): Promise<void> {
  endInput(ctx);
  try {
    const service = ctx.deps.services.catalog.create({
      name: draft.name ?? "",
      description: draft.description ?? "",
      durationMinutes: draft.duration ?? 0,
      priceMinor: draft.price ?? null,
      displayOrder: draft.order ?? null,
      isActive: active,
    }, ctx.from!.id);
    ctx.deps.logger.info("Service created", { serviceId: service.id, by: ctx.from!.id });
    const notice = active
      ? bookableNotice(ctx, service.id)
      : ctx.t("admin_services.created_inactive");
    await showServiceCard(ctx, service.id, notice);
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    await show(ctx, ctx.t(`admin_services.err_${error.code}`), [[
      button(ctx.t("admin_services.back_to_list"), servicesCb.list.pack({ f: "all", p: 0 })),
    ]]);
  }
}

onButton(serviceCreation, servicesCb.create, "admin", (ctx) => ask(ctx, "name", {}));

onButton(
  serviceCreation,
  servicesCb.step,
  "admin",
  (ctx, { k, v }) => {
    const { draft } = creationInput(ctx)!;
    switch (k) {
      case "desc_skip":
        return advance(ctx, "desc", draft, "");
      case "dur":
        if (!DURATION_CHOICES.includes(v)) return ask(ctx, "dur", draft);
        return advance(ctx, "dur", draft, v);
      case "dur_other":
        return show(ctx, ctx.t("admin_services.ask_duration_other"), [cancelRow(ctx.t)]);
      case "price_skip":
        return advance(ctx, "price", draft, null);
      case "order_skip":
        return advance(ctx, "order", draft, null);
      case "active":
        return finish(ctx, draft, v === 1);
    }
  },
  (ctx, { k }) => creationInput(ctx)?.step === STEP_OF_BUTTON[k] ? undefined : outdated(ctx),
);

/** The creation dialog's typed answers. */
export const creationInputs = {
  as_new: { need: "admin" as const, handle: answer },
};
