/**
 * The admin toolkit: every admin screen is built from these. A button handler is one call of
 * `onButton` (role first, then parse, then answer the press, then act); a text dialog is
 * `awaitInput` plus a route in the section's `InputRoutes`; a section is one `AdminSection`
 * entry in admin/mod.ts.
 */
import type { Composer } from "grammy";
import type { AdminRole } from "../../../db/admins_repo.ts";
import type { AdminInputProblem } from "../../../domain/admin_input.ts";
import { type DatePeriod, parsePeriod } from "../../../domain/date_input.ts";
import { button } from "../../../ui/buttons.ts";
import { type CallbackCodec, cb } from "../../../ui/callback_data.ts";
import type { LocaleKey } from "../../../ui/locale_keys.ts";
import type { BotContext } from "../../context.ts";
import { ack } from "../../ui.ts";
import { requireRole } from "./access_control.ts";
import type { AdminInput, InputKind, InputOf } from "./input.ts";

/** The ids of the admin menu's sections; each has a label admin.section_<id>. */
export type SectionId =
  | "bookings"
  | "services"
  | "staff"
  | "schedule"
  | "stats"
  | "feedback"
  | "audit"
  | "admins"
  | "backups"
  | "profile"
  | "clients"
  | "deposits";

/** One entry of the admin menu: who may open it and what it shows first. */
export interface AdminSection {
  id: SectionId;
  need: AdminRole;
  /** Shows the section's first screen (the press is already answered, the input ended). */
  open(ctx: BotContext): Promise<void>;
  /** Whether the menu offers it at all (default: always). */
  shown?(ctx: BotContext): boolean;
}

/** How the text for one kind of input is handled, and the role it needs (checked first). */
export interface InputRoute<K extends InputKind> {
  need: AdminRole;
  handle(ctx: BotContext, input: InputOf<K>, text: string): Promise<void>;
}

/** The routes of a set of kinds; a section exports `InputRoutes<ItsInput["kind"]>`. */
export type InputRoutes<K extends InputKind> = { [P in K]: InputRoute<P> };

/** A press refused before it is answered: the answer's text, shown as an alert or a toast. */
export interface Refusal {
  text: string;
  alert?: boolean;
}

/**
 * Registers a button handler on `composer`: the role is checked before anything else (a
 * forged or stolen button changes nothing and is answered), then the data is parsed (an
 * unparsable one is "out of date"), then `refuse` (if given) may answer with a refusal and
 * stop, then the press is answered and `handler` runs.
 */
export function onButton<T extends Record<string, unknown>>(
  composer: Composer<BotContext>,
  codec: CallbackCodec<T>,
  need: AdminRole,
  handler: (ctx: BotContext, data: T) => Promise<void>,
  refuse?: (ctx: BotContext, data: T) => Refusal | undefined,
): void {
  composer.callbackQuery(codec.filter, async (ctx) => {
    if (!(await requireRole(ctx, need))) return;
    const data = codec.unpack(ctx.callbackQuery.data);
    if (!data) return ack(ctx, ctx.t("common.button_outdated"));
    const refusal = refuse?.(ctx, data);
    if (refusal) return ack(ctx, refusal.text, refusal.alert);
    await ack(ctx);
    await handler(ctx, data);
  });
}

/** Registers a button that opens a screen: any pending input ends, then `open` shows it. */
export function onScreen<T extends Record<string, unknown>>(
  composer: Composer<BotContext>,
  codec: CallbackCodec<T>,
  need: AdminRole,
  open: (ctx: BotContext, data: T) => Promise<void>,
): void {
  onButton(composer, codec, need, async (ctx, data) => {
    endInput(ctx);
    await open(ctx, data);
  });
}

/** The refusal of a button that no longer fits what it points at. */
export function outdated(ctx: BotContext): Refusal {
  return { text: ctx.t("common.button_outdated") };
}

/** Starts waiting for an admin's text: the next message is routed by `input.kind`. */
export function awaitInput(ctx: BotContext, input: AdminInput): void {
  ctx.session.step = "admin_input";
  ctx.session.admin = input;
}

/** The admin input awaited now, if any. */
export function pendingInput(ctx: BotContext): AdminInput | undefined {
  if (ctx.session.step !== "admin_input") return undefined;
  return ctx.session.admin;
}

/** Ends a pending admin input (a client's booking draft, if any, is left as it is). */
export function endInput(ctx: BotContext): void {
  if (ctx.session.step === "admin_input") ctx.session.step = "idle";
  ctx.session.admin = undefined;
}

/** Today's date in the business time zone. */
export function today(ctx: BotContext): Temporal.PlainDate {
  return ctx.deps.bookings.today();
}

/** `text` under a one-line notice ("✅ Saved"), or `text` alone. */
export function withNotice(notice: string | undefined, text: string): string {
  return notice ? `${notice}\n\n${text}` : text;
}

/** The row leading back to the admin menu. */
export function backToAdminRow(ctx: BotContext) {
  return [button(ctx.t("admin.back_to_admin"), cb.adminSection.pack({ section: "menu" }))];
}

/** The row leading back to the first screen of a section. */
export function backToSectionRow(
  ctx: BotContext,
  section: SectionId,
  label: LocaleKey = "common.back_button",
) {
  return [button(ctx.t(label), cb.adminSection.pack({ section }))];
}

/** The explanation of a refused input (empty, too long, not a number...), to ask again. */
export function inputProblemText(
  ctx: BotContext,
  problem: AdminInputProblem,
  limits: { min?: number; max?: number } = {},
): string {
  return ctx.t(`admin_services.input_${problem}`, {
    min: limits.min ?? 0,
    max: limits.max ?? 0,
  });
}

/**
 * The period an admin typed (one date is one day; "31.12" is the next 31 December): the input
 * ends and the period comes back, or the refusal is sent and the input stays open.
 */
export async function typedPeriod(
  ctx: BotContext,
  text: string,
  refusal: (problem: AdminInputProblem) => string,
): Promise<DatePeriod | undefined> {
  const parsed = parsePeriod(text, { single: true, today: today(ctx) });
  if (!parsed.ok) {
    await ctx.reply(refusal(parsed.problem));
    return undefined;
  }
  endInput(ctx);
  return parsed.value;
}
