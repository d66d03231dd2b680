/**
 * Changing a service: any field by text or by a shortcut button, activity, soft delete (after
 * a question naming its future bookings) and restore. Every change goes through the catalogue
 * service; a refused one is explained on the card.
 */
import { LeanComposer } from "../../../composer.ts";
import type { ServiceFields } from "../../../../db/services_repo.ts";
import { CatalogError } from "../../../../services/catalog.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import type { InputOf, ServiceTextField } from "../input.ts";
import { awaitInput, endInput, onButton } from "../kit.ts";
import { servicesCb } from "./codecs.ts";
import { editFieldView } from "./dialog_views.ts";
import { FIELD_KEY, readField } from "./fields.ts";
import { findService, showServiceCard, viewEnv } from "./screens.ts";
import { deleteConfirmView } from "./views.ts";

/** The composer of the service editor. */
export const serviceEditor = new LeanComposer<BotContext>();

/** Asks for a new value of a field (or shows the card when the service is gone). */
async function askEdit(ctx: BotContext, id: number, field: ServiceTextField, problem = "") {
  const s = findService(ctx, id);
  if (!s || s.deletedAt !== null) {
    endInput(ctx);
    return showServiceCard(ctx, id, ctx.t("admin_services.err_deleted"));
  }
  awaitInput(ctx, { kind: "as_edit", id, f: field });
  const screen = editFieldView(s, field, problem, ctx.t);
  await show(ctx, screen.text, screen.buttons, { fresh: !ctx.callbackQuery });
}

/** Applies a change and shows the card again; a refused value is explained. */
async function applyChange<K extends keyof ServiceFields>(
  ctx: BotContext,
  id: number,
  field: K,
  value: ServiceFields[K],
): Promise<void> {
  endInput(ctx);
  const fresh = !ctx.callbackQuery;
  try {
    const { changed } = ctx.deps.services.catalog.update(id, field, value, ctx.from!.id);
    if (changed) {
      ctx.deps.logger.info("Service changed", { serviceId: id, field, by: ctx.from!.id });
    }
    await showServiceCard(
      ctx,
      id,
      ctx.t(`admin_services.${changed ? "saved" : "unchanged"}`),
      fresh,
    );
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    await showServiceCard(ctx, id, ctx.t(`admin_services.err_${error.code}`), fresh);
  }
}

/** Reads a typed value of the field being edited. */
async function answer(ctx: BotContext, input: InputOf<"as_edit">, text: string): Promise<void> {
  const read = readField(ctx, input.f, text);
  if (!read.ok) return askEdit(ctx, input.id, input.f, read.problem);
  await applyChange(ctx, input.id, FIELD_KEY[input.f], read.value);
}

/** Deletes (`deleted`) or restores a service and shows its card. */
async function setDeleted(ctx: BotContext, id: number, deleted: boolean): Promise<void> {
  const catalog = ctx.deps.services.catalog;
  try {
    const { changed } = deleted
      ? catalog.delete(id, ctx.from!.id)
      : catalog.restore(id, ctx.from!.id);
    if (changed) {
      ctx.deps.logger.info(deleted ? "Service deleted" : "Service restored", {
        serviceId: id,
        by: ctx.from!.id,
      });
    }
    const notice = changed ? ctx.t(`admin_services.${deleted ? "deleted" : "restored"}`) : "";
    await showServiceCard(ctx, id, notice);
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    await showServiceCard(ctx, id, ctx.t(`admin_services.err_${error.code}`));
  }
}

onButton(serviceEditor, servicesCb.edit, "admin", async (ctx, { id, f }) => {
  if (f !== "active") return askEdit(ctx, id, f);
  await applyChange(ctx, id, "isActive", !(findService(ctx, id)?.isActive ?? true));
});

onButton(serviceEditor, servicesCb.set, "admin", (ctx, { id, f, v }) => {
  switch (f) {
    case "dur":
      return applyChange(ctx, id, "durationMinutes", v);
    case "active":
      return applyChange(ctx, id, "isActive", v === 1);
    case "noprice":
      return applyChange(ctx, id, "priceMinor", null);
    case "nodesc":
      return applyChange(ctx, id, "description", "");
  }
});

onButton(serviceEditor, servicesCb.del, "admin", async (ctx, { id, ok }) => {
  endInput(ctx);
  if (ok === 1) return setDeleted(ctx, id, true);
  const s = findService(ctx, id);
  if (!s || s.deletedAt !== null) return showServiceCard(ctx, id);
  const future = ctx.deps.services.catalog.futureBookingsOfService(s.id);
  const screen = deleteConfirmView(s, future, viewEnv(ctx));
  await show(ctx, screen.text, screen.buttons);
});

onButton(serviceEditor, servicesCb.restore, "admin", async (ctx, { id }) => {
  endInput(ctx);
  await setDeleted(ctx, id, false);
});

/** The editor's typed values. */
export const editorInputs = {
  as_edit: { need: "admin" as const, handle: answer },
};
