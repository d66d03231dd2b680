/**
 * Admin section "services": the catalogue list (all or only active, with bookings counts),
 * a step-by-step creation dialog, a universal field editor, soft delete and restore.
 * Viewers see everything; only admins change anything (checked on every update).
 */
import { Composer } from "grammy";
import { z } from "zod";
import { listServicesWithCounts, type ServiceWithCount } from "../../../db/services_repo.ts";
import type { ServiceFields } from "../../../db/services_repo.ts";
import {
  type AdminInputProblem,
  formatPriceInput,
  isSkipWord,
  parseLine,
  parsePriceMinor,
  parseText,
  parseWholeNumber,
} from "../../../domain/admin_input.ts";
import {
  CatalogError,
  createService,
  futureBookingsOfService,
  SERVICE_LIMITS,
  setServiceDeletedState,
  updateService,
} from "../../../services/catalog.ts";
import { cb, codec } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { formatPrice } from "../../../ui/format.ts";
import { escapeHtml, type Params, scoped } from "../../../ui/i18n.ts";
import type { Namespaces } from "../../../ui/locale_keys.ts";
import { ack, button, type Buttons, show } from "../../ui.ts";
import { hasRole, requireRole } from "./access_control.ts";

/** The composer of the services section. */
export const adminServices = new Composer<BotContext>();

const id = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const flag = z.coerce.number().int().min(0).max(1);
/** Editable fields as they appear in callback data. */
const FIELDS = ["name", "desc", "dur", "price", "order", "active"] as const;
type FieldCode = typeof FIELDS[number];

/** The buttons of this section. */
export const servicesCb = {
  /** The list: "all" (deleted included) or "act" (active only), page. */
  list: codec("asl", { f: z.enum(["all", "act"]), p: id }),
  /** One service's card. */
  view: codec("asv", { id }),
  /** Start editing a field (asks for the value). */
  edit: codec("ase", { id, f: z.enum(FIELDS) }),
  /** Set a value by button: duration minutes, active 0/1, remove price or description. */
  set: codec("ass", { id, f: z.enum(["dur", "active", "noprice", "nodesc"]), v: id }),
  /** Delete: ask (ok 0) or do (ok 1). */
  del: codec("asd", { id, ok: flag }),
  /** Restore a deleted service. */
  restore: codec("asr", { id }),
  /** Start creating a service. */
  create: codec("asn", {}),
  /** A button answer in the creation dialog. */
  step: codec("asc", {
    k: z.enum(["desc_skip", "dur", "dur_other", "price_skip", "order_skip", "active"]),
    v: id,
  }),
} as const;

const PAGE_SIZE = 8;
const DURATION_CHOICES = [30, 60, 90, 120];

type Filter = "all" | "act";

function t(ctx: BotContext, key: Namespaces["admin_services"], params?: Params): string {
  return scoped(ctx.t, "admin_services")(key, params);
}

/** The explanation of a refused input, followed by the question again. */
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

function resetInput(ctx: BotContext): void {
  ctx.session.step = "idle";
  ctx.session.admin = undefined;
}

function priceText(ctx: BotContext, priceMinor: number | null): string {
  return priceMinor === null ? t(ctx, "no_price") : formatPrice(priceMinor, ctx.lang);
}

function statusHtml(ctx: BotContext, s: ServiceWithCount): string {
  if (s.deletedAt !== null) return escapeHtml(t(ctx, "status_deleted"));
  return escapeHtml(t(ctx, s.isActive ? "status_active" : "status_inactive"));
}

function backToAdminRow(ctx: BotContext) {
  return [button(ctx.t("admin.back_to_admin"), cb.adminSection.pack({ section: "menu" }))];
}

/** Shows one page of the service list. */
export async function showServiceList(ctx: BotContext, filter: Filter, page: number) {
  const all = listServicesWithCounts(ctx.deps.db, {
    includeDeleted: filter === "all",
    activeOnly: filter === "act",
  });
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  page = Math.min(Math.max(0, page), pages - 1);
  const shown = all.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const lines = [t(ctx, filter === "all" ? "list_title_all" : "list_title_active", {
    count: all.length,
  })];
  if (pages > 1) lines.push(t(ctx, "page", { page: page + 1, pages }));
  lines.push("");
  if (all.length === 0) lines.push(t(ctx, "list_empty"));
  for (const [i, s] of shown.entries()) {
    lines.push(t(ctx, "list_line", {
      n: page * PAGE_SIZE + i + 1,
      name: s.name,
      minutes: s.durationMinutes,
      price: priceText(ctx, s.priceMinor),
      statusHtml: statusHtml(ctx, s),
      bookings: s.bookingsCount,
      order: s.displayOrder,
    }));
  }
  const rows: Buttons = shown.map((s) => [
    button(
      `${s.deletedAt !== null ? "🗑" : s.isActive ? "🟢" : "⏸"} ${s.name}`,
      servicesCb.view.pack({ id: s.id }),
    ),
  ]);
  const pager = [];
  if (page > 0) pager.push(button("◀️", servicesCb.list.pack({ f: filter, p: page - 1 })));
  if (page < pages - 1) pager.push(button("▶️", servicesCb.list.pack({ f: filter, p: page + 1 })));
  if (pager.length) rows.push(pager);
  rows.push([
    filter === "all"
      ? button(t(ctx, "filter_active"), servicesCb.list.pack({ f: "act", p: 0 }))
      : button(t(ctx, "filter_all"), servicesCb.list.pack({ f: "all", p: 0 })),
  ]);
  if (hasRole(ctx, "admin")) rows.push([button(t(ctx, "new_button"), servicesCb.create.pack({}))]);
  rows.push(backToAdminRow(ctx));
  await show(ctx, lines.join("\n"), rows);
}

/** Shows the card of one service with the editor buttons (for admins). */
export async function showServiceCard(
  ctx: BotContext,
  serviceId: number,
  notice = "",
  fresh = false,
): Promise<void> {
  const s = listServicesWithCounts(ctx.deps.db, { includeDeleted: true })
    .find((x) => x.id === serviceId);
  if (!s) {
    await show(ctx, t(ctx, "not_found"), [[
      button(t(ctx, "back_to_list"), servicesCb.list.pack({ f: "all", p: 0 })),
    ]]);
    return;
  }
  const lines = [
    notice ? `${notice}\n` : "",
    t(ctx, "card_title", { name: s.name }),
    t(ctx, "card_description", {
      description: s.description || t(ctx, "no_description"),
    }),
    t(ctx, "card_duration", { minutes: s.durationMinutes }),
    t(ctx, "card_price", { price: priceText(ctx, s.priceMinor) }),
    t(ctx, "card_order", { order: s.displayOrder }),
    t(ctx, "card_status", { statusHtml: statusHtml(ctx, s) }),
    t(ctx, "card_bookings", { count: s.bookingsCount }),
  ].filter((l, i) => i > 0 || l !== "");
  const rows: Buttons = [];
  if (hasRole(ctx, "admin")) {
    if (s.deletedAt === null) {
      rows.push(
        [
          button(t(ctx, "edit_name"), servicesCb.edit.pack({ id: s.id, f: "name" })),
          button(t(ctx, "edit_desc"), servicesCb.edit.pack({ id: s.id, f: "desc" })),
        ],
        [
          button(t(ctx, "edit_dur"), servicesCb.edit.pack({ id: s.id, f: "dur" })),
          button(t(ctx, "edit_price"), servicesCb.edit.pack({ id: s.id, f: "price" })),
        ],
        [
          button(t(ctx, "edit_order"), servicesCb.edit.pack({ id: s.id, f: "order" })),
          s.isActive
            ? button(t(ctx, "deactivate"), servicesCb.set.pack({ id: s.id, f: "active", v: 0 }))
            : button(t(ctx, "activate"), servicesCb.set.pack({ id: s.id, f: "active", v: 1 })),
        ],
        [button(t(ctx, "delete"), servicesCb.del.pack({ id: s.id, ok: 0 }))],
      );
    } else {
      rows.push([button(t(ctx, "restore"), servicesCb.restore.pack({ id: s.id }))]);
    }
  }
  rows.push([button(t(ctx, "back_to_list"), servicesCb.list.pack({ f: "all", p: 0 }))]);
  await show(ctx, lines.join("\n"), rows, { fresh });
}

// ---------------------------------------------------------------------------
// Creation dialog
// ---------------------------------------------------------------------------

type Draft = Record<string, string | number | boolean | null>;

function cancelRow(ctx: BotContext) {
  return [button(ctx.t("common.cancel_button"), cb.cancelDialog.pack({}))];
}

async function askNew(ctx: BotContext, kind: string, draft: Draft, problem = ""): Promise<void> {
  ctx.session.step = "admin_input";
  ctx.session.admin = { ...draft, kind };
  const prefix = problem ? `${problem}\n\n` : "";
  const fresh = !ctx.callbackQuery;
  const header = draft.name ? `${t(ctx, "new_header", { name: String(draft.name) })}\n` : "";
  switch (kind) {
    case "as_new_name":
      return await show(ctx, prefix + t(ctx, "ask_name"), [cancelRow(ctx)], { fresh });
    case "as_new_desc":
      return await show(ctx, prefix + header + t(ctx, "ask_description"), [
        [button(t(ctx, "skip"), servicesCb.step.pack({ k: "desc_skip", v: 0 }))],
        cancelRow(ctx),
      ], { fresh });
    case "as_new_dur":
      return await show(ctx, prefix + header + t(ctx, "ask_duration"), [
        DURATION_CHOICES.map((m) =>
          button(t(ctx, "minutes", { minutes: m }), servicesCb.step.pack({ k: "dur", v: m }))
        ),
        [button(t(ctx, "other_duration"), servicesCb.step.pack({ k: "dur_other", v: 0 }))],
        cancelRow(ctx),
      ], { fresh });
    case "as_new_price":
      return await show(ctx, prefix + header + t(ctx, "ask_price"), [
        [button(t(ctx, "skip_price"), servicesCb.step.pack({ k: "price_skip", v: 0 }))],
        cancelRow(ctx),
      ], { fresh });
    case "as_new_order":
      return await show(ctx, prefix + header + t(ctx, "ask_order"), [
        [button(t(ctx, "skip_order"), servicesCb.step.pack({ k: "order_skip", v: 0 }))],
        cancelRow(ctx),
      ], { fresh });
    case "as_new_active":
      return await show(ctx, prefix + header + t(ctx, "ask_active"), [
        [
          button(t(ctx, "active_yes"), servicesCb.step.pack({ k: "active", v: 1 })),
          button(t(ctx, "active_no"), servicesCb.step.pack({ k: "active", v: 0 })),
        ],
        cancelRow(ctx),
      ], { fresh });
  }
}

function draftOf(ctx: BotContext): Draft {
  const { kind: _kind, ...rest } = ctx.session.admin ?? {};
  return rest;
}

async function finishCreation(ctx: BotContext, active: boolean): Promise<void> {
  const d = draftOf(ctx);
  try {
    const service = createService(
      ctx.deps.db,
      {
        name: String(d.name ?? ""),
        description: String(d.description ?? ""),
        durationMinutes: Number(d.duration),
        priceMinor: d.price === null || d.price === undefined ? null : Number(d.price),
        displayOrder: d.order === null || d.order === undefined ? null : Number(d.order),
        isActive: active,
      },
      ctx.from!.id,
      ctx.deps.clock.now(),
    );
    resetInput(ctx);
    ctx.deps.logger.info("Service created", { serviceId: service.id, by: ctx.from!.id });
    await showServiceCard(ctx, service.id, t(ctx, active ? "created_active" : "created_inactive"));
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    resetInput(ctx);
    await show(ctx, t(ctx, `err_${error.code}`), [[
      button(t(ctx, "back_to_list"), servicesCb.list.pack({ f: "all", p: 0 })),
    ]]);
  }
}

/** Handles a typed answer of the creation dialog. */
async function onNewText(ctx: BotContext, kind: string, text: string): Promise<void> {
  const d = draftOf(ctx);
  switch (kind) {
    case "as_new_name": {
      const name = parseLine(text, 1, SERVICE_LIMITS.nameMax);
      if (!name.ok) {
        return await askNew(
          ctx,
          kind,
          d,
          inputProblemText(ctx, name.problem, { max: SERVICE_LIMITS.nameMax }),
        );
      }
      return await askNew(ctx, "as_new_desc", { ...d, name: name.value });
    }
    case "as_new_desc": {
      if (isSkipWord(text)) return await askNew(ctx, "as_new_dur", { ...d, description: "" });
      const desc = parseText(text, SERVICE_LIMITS.descriptionMax);
      if (!desc.ok) {
        return await askNew(
          ctx,
          kind,
          d,
          inputProblemText(ctx, desc.problem, { max: SERVICE_LIMITS.descriptionMax }),
        );
      }
      return await askNew(ctx, "as_new_dur", { ...d, description: desc.value });
    }
    case "as_new_dur": {
      const minutes = parseDuration(text);
      if (!minutes.ok) return await askNew(ctx, kind, d, durationProblem(ctx, minutes.problem));
      return await askNew(ctx, "as_new_price", { ...d, duration: minutes.value });
    }
    case "as_new_price": {
      const price = parsePriceMinor(text);
      if (!price.ok) return await askNew(ctx, kind, d, priceProblem(ctx, price.problem));
      return await askNew(ctx, "as_new_order", { ...d, price: price.value });
    }
    case "as_new_order": {
      if (isSkipWord(text)) return await askNew(ctx, "as_new_active", { ...d, order: null });
      const order = parseWholeNumber(text, 0, SERVICE_LIMITS.orderMax);
      if (!order.ok) {
        return await askNew(
          ctx,
          kind,
          d,
          inputProblemText(ctx, order.problem, { min: 0, max: SERVICE_LIMITS.orderMax }),
        );
      }
      return await askNew(ctx, "as_new_active", { ...d, order: order.value });
    }
    case "as_new_active":
      return await askNew(ctx, kind, d, t(ctx, "use_buttons"));
  }
}

function parseDuration(text: string) {
  return parseWholeNumber(
    text.replace(/\s*(min|мин)\.?$/i, ""),
    SERVICE_LIMITS.durationMin,
    SERVICE_LIMITS.durationMax,
  );
}

function durationProblem(ctx: BotContext, problem: AdminInputProblem): string {
  return inputProblemText(ctx, problem, {
    min: SERVICE_LIMITS.durationMin,
    max: SERVICE_LIMITS.durationMax,
  }) + "\n" + t(ctx, "duration_hint");
}

function priceProblem(ctx: BotContext, problem: AdminInputProblem): string {
  return (problem === "price_format"
    ? t(ctx, "err_price_format")
    : inputProblemText(ctx, problem, { min: 0, max: 10_000_000 })) +
    "\n" + t(ctx, "price_hint");
}

// ---------------------------------------------------------------------------
// Editing
// ---------------------------------------------------------------------------

async function askEdit(
  ctx: BotContext,
  serviceId: number,
  field: Exclude<FieldCode, "active">,
  problem = "",
): Promise<void> {
  const s = listServicesWithCounts(ctx.deps.db, { includeDeleted: true })
    .find((x) => x.id === serviceId);
  if (!s || s.deletedAt !== null) {
    resetInput(ctx);
    return showServiceCard(ctx, serviceId, t(ctx, "err_deleted"));
  }
  ctx.session.step = "admin_input";
  ctx.session.admin = { kind: "as_edit", id: serviceId, f: field };
  const current = {
    name: s.name,
    desc: s.description || t(ctx, "no_description"),
    dur: t(ctx, "minutes", { minutes: s.durationMinutes }),
    price: s.priceMinor === null ? t(ctx, "no_price") : formatPriceInput(s.priceMinor),
    order: String(s.displayOrder),
    active: "",
  }[field];
  const rows: Buttons = [];
  if (field === "dur") {
    rows.push(
      DURATION_CHOICES.map((m) =>
        button(t(ctx, "minutes", { minutes: m }), servicesCb.set.pack({ id: s.id, f: "dur", v: m }))
      ),
    );
  }
  if (field === "price" && s.priceMinor !== null) {
    rows.push([
      button(t(ctx, "remove_price"), servicesCb.set.pack({ id: s.id, f: "noprice", v: 0 })),
    ]);
  }
  if (field === "desc" && s.description) {
    rows.push([
      button(t(ctx, "remove_description"), servicesCb.set.pack({ id: s.id, f: "nodesc", v: 0 })),
    ]);
  }
  rows.push([
    button(ctx.t("common.back_button"), servicesCb.view.pack({ id: s.id })),
    button(ctx.t("common.cancel_button"), cb.cancelDialog.pack({})),
  ]);
  const text = [
    problem ? `${problem}\n` : "",
    t(ctx, "edit_header", { name: s.name }),
    t(ctx, "edit_current", { value: current }),
    t(ctx, `ask_edit_${field}`),
  ].filter((l) => l !== "").join("\n");
  await show(ctx, text, rows, { fresh: !ctx.callbackQuery });
}

/** Applies a change and shows the card again; a refused value is explained. */
async function applyChange<K extends keyof ServiceFields>(
  ctx: BotContext,
  serviceId: number,
  field: K,
  value: ServiceFields[K],
): Promise<void> {
  try {
    const { changed } = updateService(
      ctx.deps.db,
      serviceId,
      field,
      value,
      ctx.from!.id,
      ctx.deps.clock.now(),
    );
    resetInput(ctx);
    if (changed) {
      ctx.deps.logger.info("Service changed", { serviceId, field, by: ctx.from!.id });
    }
    await showServiceCard(
      ctx,
      serviceId,
      t(ctx, changed ? "saved" : "unchanged"),
      !ctx.callbackQuery,
    );
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    resetInput(ctx);
    await showServiceCard(ctx, serviceId, t(ctx, `err_${error.code}`), !ctx.callbackQuery);
  }
}

async function onEditText(ctx: BotContext, text: string): Promise<void> {
  const a = ctx.session.admin ?? {};
  const serviceId = Number(a.id);
  const field = String(a.f) as FieldCode;
  switch (field) {
    case "name": {
      const name = parseLine(text, 1, SERVICE_LIMITS.nameMax);
      if (!name.ok) {
        return await askEdit(
          ctx,
          serviceId,
          field,
          inputProblemText(ctx, name.problem, { max: SERVICE_LIMITS.nameMax }),
        );
      }
      return await applyChange(ctx, serviceId, "name", name.value);
    }
    case "desc": {
      if (isSkipWord(text)) return await applyChange(ctx, serviceId, "description", "");
      const desc = parseText(text, SERVICE_LIMITS.descriptionMax);
      if (!desc.ok) {
        return await askEdit(
          ctx,
          serviceId,
          field,
          inputProblemText(ctx, desc.problem, { max: SERVICE_LIMITS.descriptionMax }),
        );
      }
      return await applyChange(ctx, serviceId, "description", desc.value);
    }
    case "dur": {
      const minutes = parseDuration(text);
      if (!minutes.ok) {
        return await askEdit(ctx, serviceId, field, durationProblem(ctx, minutes.problem));
      }
      return await applyChange(ctx, serviceId, "durationMinutes", minutes.value);
    }
    case "price": {
      const price = parsePriceMinor(text);
      if (!price.ok) return await askEdit(ctx, serviceId, field, priceProblem(ctx, price.problem));
      return await applyChange(ctx, serviceId, "priceMinor", price.value);
    }
    case "order": {
      const order = parseWholeNumber(text, 0, SERVICE_LIMITS.orderMax);
      if (!order.ok) {
        return await askEdit(
          ctx,
          serviceId,
          field,
          inputProblemText(ctx, order.problem, { min: 0, max: SERVICE_LIMITS.orderMax }),
        );
      }
      return await applyChange(ctx, serviceId, "displayOrder", order.value);
    }
    default:
      resetInput(ctx);
      return await showServiceCard(ctx, serviceId, "", true);
  }
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

adminServices.callbackQuery(cb.adminSection.filter, async (ctx, next) => {
  if (cb.adminSection.unpack(ctx.callbackQuery.data)?.section !== "services") return next();
  if (!(await requireRole(ctx, "viewer"))) return;
  await ack(ctx);
  resetInput(ctx);
  await showServiceList(ctx, "all", 0);
});

adminServices.callbackQuery(servicesCb.list.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  const data = servicesCb.list.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  resetInput(ctx);
  await showServiceList(ctx, data.f, data.p);
});

adminServices.callbackQuery(servicesCb.view.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  const data = servicesCb.view.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  resetInput(ctx);
  await showServiceCard(ctx, data.id);
});

adminServices.callbackQuery(servicesCb.create.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  await ack(ctx);
  await askNew(ctx, "as_new_name", {});
});

adminServices.callbackQuery(servicesCb.step.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = servicesCb.step.unpack(ctx.callbackQuery.data);
  const kind = ctx.session.step === "admin_input" ? String(ctx.session.admin?.kind ?? "") : "";
  const expected: Record<string, string> = {
    desc_skip: "as_new_desc",
    dur: "as_new_dur",
    dur_other: "as_new_dur",
    price_skip: "as_new_price",
    order_skip: "as_new_order",
    active: "as_new_active",
  };
  if (!data || expected[data.k] !== kind) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  const d = draftOf(ctx);
  switch (data.k) {
    case "desc_skip":
      return askNew(ctx, "as_new_dur", { ...d, description: "" });
    case "dur":
      if (!DURATION_CHOICES.includes(data.v)) return askNew(ctx, kind, d);
      return askNew(ctx, "as_new_price", { ...d, duration: data.v });
    case "dur_other":
      return show(ctx, t(ctx, "ask_duration_other"), [cancelRow(ctx)]);
    case "price_skip":
      return askNew(ctx, "as_new_order", { ...d, price: null });
    case "order_skip":
      return askNew(ctx, "as_new_active", { ...d, order: null });
    case "active":
      return finishCreation(ctx, data.v === 1);
  }
});

adminServices.callbackQuery(servicesCb.edit.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = servicesCb.edit.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  if (data.f === "active") {
    return applyChange(
      ctx,
      data.id,
      "isActive",
      !(listServicesWithCounts(ctx.deps.db, {
        includeDeleted: true,
      }).find((s) => s.id === data.id)?.isActive ?? true),
    );
  }
  await askEdit(ctx, data.id, data.f);
});

adminServices.callbackQuery(servicesCb.set.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = servicesCb.set.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  switch (data.f) {
    case "dur":
      return applyChange(ctx, data.id, "durationMinutes", data.v);
    case "active":
      return applyChange(ctx, data.id, "isActive", data.v === 1);
    case "noprice":
      return applyChange(ctx, data.id, "priceMinor", null);
    case "nodesc":
      return applyChange(ctx, data.id, "description", "");
  }
});

adminServices.callbackQuery(servicesCb.del.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = servicesCb.del.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  resetInput(ctx);
  if (data.ok === 0) {
    await ack(ctx);
    const s = listServicesWithCounts(ctx.deps.db, { includeDeleted: true })
      .find((x) => x.id === data.id);
    if (!s || s.deletedAt !== null) return showServiceCard(ctx, data.id);
    const future = futureBookingsOfService(ctx.deps.db, s.id, ctx.deps.clock.now());
    await show(ctx, t(ctx, "delete_confirm", { name: s.name, future }), [
      [button(t(ctx, "delete_yes"), servicesCb.del.pack({ id: s.id, ok: 1 }))],
      [button(ctx.t("common.back_button"), servicesCb.view.pack({ id: s.id }))],
    ]);
    return;
  }
  try {
    const { changed } = setServiceDeletedState(
      ctx.deps.db,
      data.id,
      true,
      ctx.from.id,
      ctx.deps.clock.now(),
    );
    await ack(ctx, changed ? t(ctx, "deleted_toast") : undefined);
    if (changed) ctx.deps.logger.info("Service deleted", { serviceId: data.id, by: ctx.from.id });
    await showServiceCard(ctx, data.id, changed ? t(ctx, "deleted") : "");
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    await ack(ctx, t(ctx, `err_${error.code}`), true);
  }
});

adminServices.callbackQuery(servicesCb.restore.filter, async (ctx) => {
  if (!(await requireRole(ctx, "admin"))) return;
  const data = servicesCb.restore.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  resetInput(ctx);
  try {
    const { changed } = setServiceDeletedState(
      ctx.deps.db,
      data.id,
      false,
      ctx.from.id,
      ctx.deps.clock.now(),
    );
    await ack(ctx, changed ? t(ctx, "restored_toast") : undefined);
    if (changed) ctx.deps.logger.info("Service restored", { serviceId: data.id, by: ctx.from.id });
    await showServiceCard(ctx, data.id, changed ? t(ctx, "restored") : "");
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    await ack(ctx, t(ctx, `err_${error.code}`), true);
  }
});

adminServices.on("message:text", async (ctx, next) => {
  const kind = ctx.session.admin?.kind;
  if (ctx.session.step !== "admin_input" || typeof kind !== "string" || !kind.startsWith("as_")) {
    return next();
  }
  if (ctx.message.text.startsWith("/")) return next();
  if (!(await requireRole(ctx, "admin"))) {
    resetInput(ctx);
    return;
  }
  if (kind === "as_edit") return onEditText(ctx, ctx.message.text);
  return onNewText(ctx, kind, ctx.message.text);
});
