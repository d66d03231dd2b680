/**
 * Admin section "audit": the audit log, read-only (role "viewer"), newest first, filtered by
 * entity, booking number and who acted. Buttons "al".
 */
import { LeanComposer } from "../../composer.ts";
import { z } from "zod";
import { listAdmins } from "../../../db/admins_repo.ts";
import { type AuditEntity, type AuditRow, listAudit } from "../../../db/audit_repo.ts";
import { getUser } from "../../../db/users_repo.ts";
import { codec, int } from "../../../ui/callback_data.ts";
import { formatStamp, personName, shorten } from "../../../ui/format.ts";
import { escapeHtml, scoped } from "../../../ui/i18n.ts";
import { pageInfo, pagerRow, paginate } from "../../../ui/paging.ts";
import type { BotContext } from "../../context.ts";
import { button, type Buttons, show } from "../../ui.ts";
import { auditValueText, fieldLabel, labelOr } from "./audit_values.ts";
import type { AuditInput } from "./input.ts";
import type { AdminSection, InputRoutes } from "./kit.ts";
import { awaitInput, backToAdminRow, endInput, onButton } from "./kit.ts";

/** The composer of the audit log section. */
export const adminAudit = new LeanComposer<BotContext>();

/** Entities the audit log can be filtered by. */
const AUDIT_ENTITIES = [
  "booking",
  "service",
  "staff",
  "schedule",
  "settings",
  "admin",
  "backup",
  "deposit",
] as const satisfies readonly AuditEntity[];

/**
 * The section's one button: `op` v = list, ent = choose entity, adm = choose admin,
 * bid = ask booking id; e = entity ("all"), a = actor id (0 any), b = booking id (0 any),
 * pg = page.
 */
export const auditCb = codec("al", {
  op: z.enum(["v", "ent", "adm", "bid"]),
  e: z.enum(["all", ...AUDIT_ENTITIES]),
  a: int,
  b: int,
  pg: int,
});

type AuditState = Omit<NonNullable<ReturnType<typeof auditCb.unpack>>, "op">;

const AUDIT_START: AuditState = { e: "all", a: 0, b: 0, pg: 0 };
const PAGE_SIZE = 6;

/** "Anna Petrova (@anna)", or "id 123" for a user the bot has never seen. */
function userLabel(ctx: BotContext, id: number): string {
  return personName(getUser(ctx.deps.db, id)) ??
    ctx.t("admin_insight.al_user_id", { id: String(id) });
}

function valueHtml(ctx: BotContext, field: string | null, value: string | null): string {
  if (value === null) return ctx.t("admin_insight.al_none");
  return `<code>${escapeHtml(shorten(auditValueText(ctx, field, value), 120))}</code>`;
}

/** The object an entry is about: "#12", or a setting's name in words. */
function entityIdHtml(ctx: BotContext, row: AuditRow): string {
  if (row.entityId === null) return "";
  if (row.entity === "settings") return ` · ${escapeHtml(fieldLabel(ctx, row.entityId))}`;
  return ` #${escapeHtml(shorten(row.entityId, 40))}`;
}

/** One entry: when, who, what; then the change (old → new) when it has one. */
function auditEntry(ctx: BotContext, row: AuditRow): string {
  const t = scoped(ctx.t, "admin_insight");
  const lines = [t("al_entry", {
    time: formatStamp(row.at, ctx.lang, ctx.config.timeZone),
    whoHtml: escapeHtml(row.actorId === null ? t("al_system") : userLabel(ctx, row.actorId)),
    entity: labelOr(ctx, `admin_insight.entity_${row.entity}`, row.entity),
    idHtml: entityIdHtml(ctx, row),
    action: labelOr(ctx, `admin_insight.action_${row.action}`, row.action),
  })];
  if (row.oldValue !== null || row.newValue !== null || row.field !== null) {
    const change = {
      oldHtml: valueHtml(ctx, row.field, row.oldValue),
      newHtml: valueHtml(ctx, row.field, row.newValue),
    };
    lines.push(
      row.field === null
        ? t("al_change_value", change)
        : t("al_change", { field: shorten(fieldLabel(ctx, row.field), 40), ...change }),
    );
  }
  return lines.join("\n");
}

function filterText(ctx: BotContext, st: AuditState): string | undefined {
  const t = scoped(ctx.t, "admin_insight");
  const parts: string[] = [];
  if (st.b > 0) parts.push(t("al_filter_booking", { id: String(st.b) }));
  else if (st.e !== "all") parts.push(t("al_filter_entity", { entity: t(`entity_${st.e}`) }));
  if (st.a > 0) parts.push(t("al_filter_actor", { who: userLabel(ctx, st.a) }));
  return parts.length ? parts.join(" · ") : undefined;
}

/** The log's rows on the page asked for (the last page when it is past the end). */
function loadPage(ctx: BotContext, st: AuditState) {
  const filter = {
    ...(st.b > 0 ? { entity: "booking" as const, entityId: st.b } : {}),
    ...(st.b === 0 && st.e !== "all" ? { entity: st.e } : {}),
    ...(st.a > 0 ? { actorId: st.a } : {}),
  };
  const asked = listAudit(ctx.deps.db, { ...filter, limit: PAGE_SIZE, offset: st.pg * PAGE_SIZE });
  const page = paginate(asked.total, st.pg, PAGE_SIZE);
  const rows = page.page === st.pg
    ? asked.rows
    : listAudit(ctx.deps.db, { ...filter, limit: PAGE_SIZE, offset: page.offset }).rows;
  return { page, rows };
}

/** Shows one page of the audit log, newest first, under the filters of `st`. */
async function showAudit(ctx: BotContext, st: AuditState): Promise<void> {
  const t = scoped(ctx.t, "admin_insight");
  const { page, rows } = loadPage(ctx, st);
  const parts = [t("al_title")];
  const filters = filterText(ctx, st);
  if (filters) parts.push(t("al_filters", { filters }));
  if (rows.length === 0) parts.push("", t("al_empty"));
  for (const row of rows) parts.push("", auditEntry(ctx, row));
  if (page.pages > 1) parts.push("", pageInfo(ctx.t, page));

  const view = (patch: Partial<AuditState>, op: "v" | "ent" | "adm" | "bid" = "v") =>
    auditCb.pack({ ...st, pg: page.page, ...patch, op });
  const filterRow = [
    button(t("al_booking_button"), view({}, "bid")),
    button(t("al_entity_button"), view({}, "ent")),
    button(t("al_actor_button"), view({}, "adm")),
  ];
  const reset = filters ? [button(t("al_reset_button"), view({ ...AUDIT_START }))] : [];
  const keyboard = [filterRow, pagerRow(page, (pg) => view({ pg })), reset, backToAdminRow(ctx)];
  await show(ctx, parts.join("\n"), keyboard.filter((row) => row.length > 0));
}

async function chooseEntity(ctx: BotContext, st: AuditState): Promise<void> {
  const t = scoped(ctx.t, "admin_insight");
  const pick = (e: AuditState["e"]) =>
    button(
      `${e === st.e && st.b === 0 ? "• " : ""}${
        e === "all" ? t("al_all_entities") : t(`entity_${e}`)
      }`,
      auditCb.pack({ ...st, op: "v", e, b: 0, pg: 0 }),
    );
  const buttons: Buttons = [[pick("all")]];
  for (let i = 0; i < AUDIT_ENTITIES.length; i += 2) {
    buttons.push(AUDIT_ENTITIES.slice(i, i + 2).map(pick));
  }
  buttons.push([button(ctx.t("common.back_button"), auditCb.pack({ ...st, op: "v" }))]);
  await show(ctx, t("al_choose_entity"), buttons);
}

/** The admins to filter by, or a Telegram id typed as text. */
async function chooseActor(ctx: BotContext, st: AuditState): Promise<void> {
  awaitInput(ctx, { kind: "al_actor", e: st.e, b: st.b });
  const pick = (
    a: number,
    label: string,
  ) => [button(`${st.a === a ? "• " : ""}${label}`, auditCb.pack({ ...st, op: "v", a, pg: 0 }))];
  const buttons: Buttons = [pick(0, ctx.t("admin_insight.al_any_actor"))];
  for (const admin of listAdmins(ctx.deps.db)) {
    const role = ctx.t(`admin.role_${admin.role}`);
    buttons.push(pick(admin.userId, `${userLabel(ctx, admin.userId)} · ${role}`));
  }
  buttons.push([button(ctx.t("common.back_button"), auditCb.pack({ ...st, op: "v" }))]);
  await show(ctx, ctx.t("admin_insight.al_choose_actor"), buttons);
}

async function askBooking(ctx: BotContext, st: AuditState): Promise<void> {
  awaitInput(ctx, { kind: "al_booking", a: st.a });
  const back = button(ctx.t("common.back_button"), auditCb.pack({ ...st, op: "v" }));
  await show(ctx, ctx.t("admin_insight.al_ask_booking"), [[back]]);
}

/** The screen of each `op` of the section's button. */
const SCREENS = { v: showAudit, ent: chooseEntity, adm: chooseActor, bid: askBooking };

onButton(adminAudit, auditCb, "viewer", (ctx, { op, ...st }) => {
  endInput(ctx);
  return SCREENS[op](ctx, st);
});

/** The audit log entry of the admin menu. */
export const auditSection: AdminSection = {
  id: "audit",
  need: "viewer",
  open: (ctx) => showAudit(ctx, AUDIT_START),
};

/** A number the admin typed ("42", "#42"), or undefined after asking again. */
async function typedNumber(ctx: BotContext, text: string): Promise<number | undefined> {
  const id = /^#?\s*(\d{1,15})$/.exec(text);
  if (!id) await ctx.reply(ctx.t("admin_insight.al_bad_number"));
  else endInput(ctx);
  return id ? Number(id[1]) : undefined;
}

/** The texts the audit log waits for: a booking number, or a user's Telegram id. */
export const auditInputs: InputRoutes<AuditInput["kind"]> = {
  al_booking: {
    need: "viewer",
    async handle(ctx, input, text) {
      const b = await typedNumber(ctx, text);
      if (b !== undefined) await showAudit(ctx, { e: "booking", a: input.a, b, pg: 0 });
    },
  },
  al_actor: {
    need: "viewer",
    async handle(ctx, input, text) {
      const a = await typedNumber(ctx, text);
      const e = input.e === "user" ? "all" : input.e;
      if (a !== undefined) await showAudit(ctx, { e, a, b: input.b, pg: 0 });
    },
  },
};
