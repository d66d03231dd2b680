/**
 * Reading what an admin types for a service field, the same in the creation dialog and in the
 * editor: a value, or the explanation to ask again with.
 */
import type { ServiceFields } from "../../../../db/services_repo.ts";
import {
  type AdminInputProblem,
  isSkipWord,
  type Parsed,
  parseLine,
  parsePriceMinor,
  parseText,
  parseWholeNumber,
} from "../../../../domain/admin_input.ts";
import { SERVICE_LIMITS } from "../../../../services/catalog.ts";
import type { BotContext } from "../../../context.ts";
import type { ServiceTextField } from "../input.ts";
import { inputProblemText } from "../kit.ts";

/** The value each text field holds. */
export interface FieldValues {
  name: string;
  desc: string;
  dur: number;
  price: number | null;
  order: number;
}

/** The column of each text field. */
export const FIELD_KEY = {
  name: "name",
  desc: "description",
  dur: "durationMinutes",
  price: "priceMinor",
  order: "displayOrder",
} as const satisfies Record<ServiceTextField, keyof ServiceFields>;

/** A read value, or the text explaining why it was refused. */
export type FieldReading<F extends ServiceTextField> =
  | { ok: true; value: FieldValues[F] }
  | { ok: false; problem: string };

function durationProblem(ctx: BotContext, problem: AdminInputProblem): string {
  return inputProblemText(ctx, problem, {
    min: SERVICE_LIMITS.durationMin,
    max: SERVICE_LIMITS.durationMax,
  }) + "\n" + ctx.t("admin_services.duration_hint");
}

function priceProblem(ctx: BotContext, problem: AdminInputProblem): string {
  return (problem === "price_format"
    ? ctx.t("admin_services.err_price_format")
    : inputProblemText(ctx, problem, { min: 0, max: 10_000_000 })) +
    "\n" + ctx.t("admin_services.price_hint");
}

function explained<T>(r: Parsed<T>, why: (problem: AdminInputProblem) => string) {
  return r.ok ? r : { ok: false as const, problem: why(r.problem) };
}

function read(ctx: BotContext, field: ServiceTextField, text: string) {
  const limited = (max: number, min?: number) => (p: AdminInputProblem) =>
    inputProblemText(ctx, p, { min, max });
  switch (field) {
    case "name":
      return explained(parseLine(text, 1, SERVICE_LIMITS.nameMax), limited(SERVICE_LIMITS.nameMax));
    case "desc":
      if (isSkipWord(text)) return { ok: true as const, value: "" };
      return explained(
        parseText(text, SERVICE_LIMITS.descriptionMax),
        limited(SERVICE_LIMITS.descriptionMax),
      );
    case "dur":
      return explained(
        parseWholeNumber(
          text.replace(/\s*(min|мин)\.?$/i, ""),
          SERVICE_LIMITS.durationMin,
          SERVICE_LIMITS.durationMax,
        ),
        (p) => durationProblem(ctx, p),
      );
    case "price":
      return explained(parsePriceMinor(text), (p) => priceProblem(ctx, p));
    case "order":
      return explained(
        parseWholeNumber(text, 0, SERVICE_LIMITS.orderMax),
        limited(SERVICE_LIMITS.orderMax, 0),
      );
  }
}

/** Reads the text typed for `field`. */
export function readField<F extends ServiceTextField>(
  ctx: BotContext,
  field: F,
  text: string,
): FieldReading<F> {
  return read(ctx, field, text) as FieldReading<F>;
}
