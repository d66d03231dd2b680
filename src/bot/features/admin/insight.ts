/**
 * Admin insight, read-only (role "viewer"): statistics with a PNG chart, the feedback list
 * and the audit log. Buttons: "at" (statistics), "af" (feedback), "al" (audit log).
 */
import { Composer, InputFile } from "grammy";
import { z } from "zod";
import { listAdmins } from "../../../db/admins_repo.ts";
import { type AuditEntity, type AuditRow, listAudit } from "../../../db/audit_repo.ts";
import { type FeedbackFilter, feedbackSummary, listFeedback } from "../../../db/feedback_repo.ts";
import { getService } from "../../../db/services_repo.ts";
import { servicesWithFeedback } from "../../../db/stats_repo.ts";
import { getUser } from "../../../db/users_repo.ts";
import {
  type Change,
  loadPercent,
  type Period,
  PERIOD_KINDS,
  periodContaining,
  periodInstants,
  type PeriodKind,
  shiftPeriod,
} from "../../../domain/stats.ts";
import { dayBounds, parseIsoDate } from "../../../domain/time.ts";
import { anonymiseName } from "../../../domain/validation.ts";
import { barChartPng } from "../../../ops/chart.ts";
import { type PeriodStats, periodStats } from "../../../services/stats.ts";
import { cb, codec } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { today } from "./kit.ts";
import { parsePeriod } from "../../../domain/date_input.ts";
import type { LocaleKey } from "../../../ui/locale_keys.ts";
import { formatDate, formatMonth, formatPrice } from "../../../ui/format.ts";
import { escapeHtml, intlLocale, type Lang } from "../../../ui/i18n.ts";
import { ack, button, type Buttons, show } from "../../ui.ts";
import { requireRole } from "./access_control.ts";

/** The composer of the statistics, feedback and audit sections. */
export const adminInsight = new Composer<BotContext>();

const int = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const dateOrDash = z.string().regex(/^(\d{4}-\d{2}-\d{2}|-)$/);

/** Periods the feedback list can be filtered by (visit date). */
const FEEDBACK_PERIODS = ["all", "month", "d30", "range"] as const;
type FeedbackPeriod = typeof FEEDBACK_PERIODS[number];

/** Entities the audit log can be filtered by. */
const AUDIT_ENTITIES = [
  "booking",
  "service",
  "staff",
  "schedule",
  "settings",
  "admin",
] as const satisfies readonly AuditEntity[];

/** The buttons of this file. */
export const insightCb = {
  /** Statistics of the period of kind `k` containing date `d`. */
  stats: codec("at", { k: z.enum(PERIOD_KINDS), d: isoDate }),
  /**
   * Feedback: `op` v = list, svc = choose service, per = choose period, dates = ask for
   * dates; s = service id (0 all), p = period, f/u = range dates ("-" none), pg = page.
   */
  feedback: codec("af", {
    op: z.enum(["v", "svc", "per", "dates"]),
    s: int,
    p: z.enum(FEEDBACK_PERIODS),
    f: dateOrDash,
    u: dateOrDash,
    pg: int,
  }),
  /**
   * Audit log: `op` v = list, ent = choose entity, adm = choose admin, bid = ask booking id;
   * e = entity ("all"), a = actor id (0 any), b = booking id (0 any), pg = page.
   */
  audit: codec("al", {
    op: z.enum(["v", "ent", "adm", "bid"]),
    e: z.enum(["all", ...AUDIT_ENTITIES]),
    a: int,
    b: int,
    pg: int,
  }),
} as const;

type FeedbackState = Omit<NonNullable<ReturnType<typeof insightCb.feedback.unpack>>, "op">;
type AuditState = Omit<NonNullable<ReturnType<typeof insightCb.audit.unpack>>, "op">;

const FEEDBACK_PAGE = 5;
const AUDIT_PAGE = 6;
/** Telegram's limit for a photo caption, less a margin. */
const CAPTION_LIMIT = 1000;
const CHART_SIZE = { width: 960, height: 480 };

function backToAdminRow(ctx: BotContext) {
  return [button(ctx.t("admin.back_to_admin"), cb.adminSection.pack({ section: "menu" }))];
}

/** Ends a pending text input of this file (any button press of ours abandons it). */
function endInput(ctx: BotContext): void {
  const kind = ctx.session.admin?.kind;
  if (typeof kind === "string" && /^(af|al)_/.test(kind)) {
    ctx.session.admin = undefined;
    if (ctx.session.step === "admin_input") ctx.session.step = "idle";
  }
}

function percentText(value: number | undefined): string {
  return value === undefined ? "—" : `${value}%`;
}

function number(lang: Lang, value: number, digits = 1): string {
  return new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: digits }).format(value);
}

function shortDate(date: Temporal.PlainDate, lang: Lang): string {
  return new Intl.DateTimeFormat(intlLocale(lang), {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    timeZone: "UTC",
  }).format(Date.UTC(date.year, date.month - 1, date.day));
}

/** Text length as Telegram counts it for a caption: markup removed, entities as one char. */
function plainLength(html: string): number {
  return html.replace(/<[^>]*>/g, "").replace(/&(amp|lt|gt|quot);/g, "&").length;
}

// ---------------------------------------------------------------------------------------
// Statistics

function periodLabel(ctx: BotContext, period: Period): string {
  if (period.kind === "day") return formatDate(period.start, ctx.lang, ctx.config.timeZone);
  if (period.kind === "month") {
    return formatMonth(period.start.toPlainYearMonth(), ctx.lang);
  }
  const last = period.end.subtract({ days: 1 });
  const f = new Intl.DateTimeFormat(intlLocale(ctx.lang), {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
  const utc = (d: Temporal.PlainDate) => Date.UTC(d.year, d.month - 1, d.day);
  return f.formatRange(utc(period.start), utc(last));
}

function changeHtml(ctx: BotContext, change: Change, kind: PeriodKind): string {
  const previous = ctx.t(`admin_insight.previous_${kind}`);
  if (change.kind === "up" || change.kind === "down") {
    return ctx.t(`admin_insight.change_${change.kind}`, { percent: change.percent, previous });
  }
  const previousIn = ctx.t(`admin_insight.previous_in_${kind}`);
  return ctx.t(`admin_insight.change_${change.kind}`, { previous, previousIn });
}

/** The statistics text (HTML), kept under Telegram's caption limit by listing fewer services. */
export function statsText(ctx: BotContext, s: PeriodStats): string {
  const t = ctx.t;
  const head = [
    t(`admin_insight.stats_title_${s.period.kind}`, { label: periodLabel(ctx, s.period) }),
    "",
    t("admin_insight.stats_total", {
      total: s.total,
      changeHtml: changeHtml(ctx, s.change, s.period.kind),
    }),
    t("admin_insight.stats_active", { n: s.counts.active }),
    t("admin_insight.stats_completed", { n: s.counts.completed }),
    t("admin_insight.stats_cancelled", { n: s.counts.cancelled }),
    t("admin_insight.stats_no_show", { n: s.counts.no_show }),
    t("admin_insight.stats_percents", {
      cancelled: percentText(s.cancelledPercent),
      completed: percentText(s.completedPercent),
    }),
    s.availableMinutes > 0
      ? t("admin_insight.stats_load", {
        percent: percentText(s.loadPercent),
        booked: number(ctx.lang, s.bookedMinutes / 60),
        available: number(ctx.lang, s.availableMinutes / 60),
      })
      : t("admin_insight.stats_load_none"),
  ];
  if (s.revenueMinor !== null) {
    head.push(t("admin_insight.stats_revenue", { amount: formatPrice(s.revenueMinor, ctx.lang) }));
  }
  const tail = s.total > 0 ? ["", t("admin_insight.stats_revenue_note")] : [];
  if (s.total === 0) return [...head, "", t("admin_insight.stats_no_bookings")].join("\n");

  const lines = s.services.map((service, i) =>
    t("admin_insight.stats_service_line", {
      place: i + 1,
      name: service.name,
      bookings: service.bookings,
      revenue: service.revenueMinor === null
        ? t("admin_insight.stats_service_no_price")
        : formatPrice(service.revenueMinor, ctx.lang),
      load: percentText(loadPercent(service.bookedMinutes, s.availableMinutes)),
    })
  );
  const compose = (shown: number) => {
    const more = s.services.length - shown;
    return [
      ...head,
      "",
      t("admin_insight.stats_services_title"),
      ...lines.slice(0, shown),
      ...(more > 0 ? [t("admin_insight.stats_services_more", { n: more })] : []),
      ...tail,
    ].join("\n");
  };
  let shown = lines.length;
  let text = compose(shown);
  while (shown > 0 && plainLength(text) > CAPTION_LIMIT) text = compose(--shown);
  return text;
}

function statsButtons(ctx: BotContext, period: Period): Buttons {
  const now = today(ctx);
  const inPeriod = Temporal.PlainDate.compare(period.start, now) <= 0 &&
    Temporal.PlainDate.compare(now, period.end) < 0;
  const anchor = inPeriod ? now : period.start;
  const kinds = PERIOD_KINDS.map((k) =>
    button(
      `${k === period.kind ? "• " : ""}${ctx.t(`admin_insight.period_${k}`)}`,
      insightCb.stats.pack({ k, d: anchor.toString() }),
    )
  );
  const nav = [
    button(
      "◀️",
      insightCb.stats.pack({ k: period.kind, d: shiftPeriod(period, -1).start.toString() }),
    ),
  ];
  if (!inPeriod) {
    nav.push(
      button(
        ctx.t("admin_insight.period_current"),
        insightCb.stats.pack({ k: period.kind, d: now.toString() }),
      ),
    );
  }
  nav.push(
    button(
      "▶️",
      insightCb.stats.pack({ k: period.kind, d: shiftPeriod(period, 1).start.toString() }),
    ),
  );
  return [kinds, nav, backToAdminRow(ctx)];
}

/**
 * Sends the statistics of `period` as a chart with the text as its caption. A photo
 * cannot be edited into another here, so the pressed message is replaced: the new one is
 * sent first, then the old one deleted.
 */
async function sendStats(ctx: BotContext, period: Period): Promise<void> {
  const stats = periodStats(ctx.deps.db, ctx.config.timeZone, period);
  const text = statsText(ctx, stats);
  const reply_markup = { inline_keyboard: statsButtons(ctx, period) };
  let png: Uint8Array | undefined;
  try {
    png = await barChartPng({ ...stats.chart, ...CHART_SIZE });
  } catch (error) {
    ctx.deps.logger.warning("Could not render the statistics chart", { error: String(error) });
  }
  const pressed = ctx.callbackQuery?.message;
  if (png) {
    await ctx.replyWithPhoto(new InputFile(png, "stats.png"), {
      caption: text,
      reply_markup,
    });
  } else {
    await ctx.reply(`${text}\n\n${ctx.t("admin_insight.stats_chart_failed")}`, {
      reply_markup,
    });
  }
  if (pressed) await ctx.api.deleteMessage(pressed.chat.id, pressed.message_id).catch(() => {});
}

adminInsight.callbackQuery(insightCb.stats.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  const data = insightCb.stats.unpack(ctx.callbackQuery.data);
  const date = data && parseIsoDate(data.d);
  if (!data || !date) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  endInput(ctx);
  await sendStats(ctx, periodContaining(data.k, date));
});

// ---------------------------------------------------------------------------------------
// Feedback

const FEEDBACK_START: FeedbackState = { s: 0, p: "all", f: "-", u: "-", pg: 0 };

/** The instant range of a feedback period (by visit date); undefined for invalid dates. */
function feedbackRange(
  ctx: BotContext,
  st: FeedbackState,
): { from?: number; to?: number } | undefined {
  const tz = ctx.config.timeZone;
  const now = today(ctx);
  if (st.p === "all") return {};
  if (st.p === "month") {
    const [from, to] = periodInstants(periodContaining("month", now), tz);
    return { from, to };
  }
  if (st.p === "d30") {
    return { from: dayBounds(now.subtract({ days: 29 }), tz)[0], to: dayBounds(now, tz)[1] };
  }
  const from = parseIsoDate(st.f);
  const to = parseIsoDate(st.u);
  if (!from || !to || Temporal.PlainDate.compare(from, to) > 0) return undefined;
  return { from: dayBounds(from, tz)[0], to: dayBounds(to, tz)[1] };
}

function feedbackPeriodLabel(ctx: BotContext, st: FeedbackState): string {
  if (st.p !== "range") return ctx.t(`admin_insight.fb_period_${st.p}`);
  const from = parseIsoDate(st.f);
  const to = parseIsoDate(st.u);
  if (!from || !to) return ctx.t("admin_insight.fb_period_all");
  return ctx.t("admin_insight.fb_period_range", {
    from: shortDate(from, ctx.lang),
    to: shortDate(to, ctx.lang),
  });
}

function stars(rating: number): string {
  return "★".repeat(rating) + "☆".repeat(5 - rating);
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

/** Shows one page of feedback with the average and the 1–5 distribution of the filter. */
async function showFeedback(ctx: BotContext, st: FeedbackState): Promise<void> {
  const range = feedbackRange(ctx, st);
  if (!range) return showFeedback(ctx, { ...FEEDBACK_START, s: st.s });
  const filter: FeedbackFilter = { ...range, ...(st.s > 0 ? { serviceId: st.s } : {}) };
  const summary = feedbackSummary(ctx.deps.db, filter);
  const pages = Math.max(1, Math.ceil(summary.total / FEEDBACK_PAGE));
  const page = Math.min(st.pg, pages - 1);
  const rows = listFeedback(ctx.deps.db, filter, FEEDBACK_PAGE, page * FEEDBACK_PAGE);
  const t = ctx.t;
  const serviceName = st.s > 0
    ? getService(ctx.deps.db, st.s)?.name ?? `#${st.s}`
    : t("admin_insight.fb_all_services");
  const parts = [
    t("admin_insight.fb_title"),
    t("admin_insight.fb_filters", { service: serviceName, period: feedbackPeriodLabel(ctx, st) }),
  ];
  if (summary.total === 0) {
    parts.push("", t("admin_insight.fb_empty"));
  } else {
    parts.push(
      t("admin_insight.fb_summary", {
        average: number(ctx.lang, summary.average, 2),
        total: summary.total,
      }),
    );
    const max = Math.max(...summary.distribution);
    for (let rating = 5; rating >= 1; rating--) {
      const n = summary.distribution[rating - 1];
      parts.push(t("admin_insight.fb_distribution_line", {
        stars: `${rating}★`,
        bar: n > 0 ? "█".repeat(Math.max(1, Math.round((n / max) * 10))) : "·",
        n,
      }));
    }
    for (const f of rows) {
      parts.push("");
      parts.push(t("admin_insight.fb_item", {
        starsHtml: stars(f.rating),
        service: f.serviceName,
        date: formatDate(f.visitStart, ctx.lang, ctx.config.timeZone),
        name: anonymiseName(f.clientName),
      }));
      if (f.comment) {
        parts.push(t("admin_insight.fb_comment", { comment: truncate(f.comment, 300) }));
      }
    }
    if (pages > 1) parts.push("", t("admin_insight.page", { page: page + 1, pages }));
  }
  const view = (patch: Partial<FeedbackState>, op: "v" | "svc" | "per" = "v") =>
    insightCb.feedback.pack({ ...st, pg: page, ...patch, op });
  const buttons: Buttons = [[
    button(t("admin_insight.fb_service_button"), view({}, "svc")),
    button(t("admin_insight.fb_period_button"), view({}, "per")),
  ]];
  const pager = [];
  if (page > 0) pager.push(button("◀️", view({ pg: page - 1 })));
  if (page + 1 < pages) pager.push(button("▶️", view({ pg: page + 1 })));
  if (pager.length) buttons.push(pager);
  buttons.push(backToAdminRow(ctx));
  await show(ctx, parts.join("\n"), buttons);
}

async function chooseFeedbackService(ctx: BotContext, st: FeedbackState): Promise<void> {
  const buttons: Buttons = [[
    button(
      ctx.t("admin_insight.fb_all_services_button"),
      insightCb.feedback.pack({ ...st, op: "v", s: 0, pg: 0 }),
    ),
  ]];
  for (const s of servicesWithFeedback(ctx.deps.db)) {
    buttons.push([
      button(
        `${s.id === st.s ? "• " : ""}${s.name} (${s.count})`,
        insightCb.feedback.pack({ ...st, op: "v", s: s.id, pg: 0 }),
      ),
    ]);
  }
  buttons.push([
    button(ctx.t("common.back_button"), insightCb.feedback.pack({ ...st, op: "v" })),
  ]);
  await show(ctx, ctx.t("admin_insight.fb_choose_service"), buttons);
}

async function chooseFeedbackPeriod(ctx: BotContext, st: FeedbackState): Promise<void> {
  const pick = (p: FeedbackPeriod) =>
    button(
      `${p === st.p ? "• " : ""}${ctx.t(`admin_insight.fb_period_${p}`)}`,
      insightCb.feedback.pack({ ...st, op: "v", p, f: "-", u: "-", pg: 0 }),
    );
  const buttons: Buttons = [
    [pick("month"), pick("d30")],
    [pick("all")],
    [
      button(
        ctx.t("admin_insight.fb_dates_button"),
        insightCb.feedback.pack({ ...st, op: "dates", pg: 0 }),
      ),
    ],
    [button(ctx.t("common.back_button"), insightCb.feedback.pack({ ...st, op: "v" }))],
  ];
  await show(ctx, ctx.t("admin_insight.fb_choose_period"), buttons);
}

adminInsight.callbackQuery(insightCb.feedback.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  const data = insightCb.feedback.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  endInput(ctx);
  const { op, ...st } = data;
  if (op === "svc") return chooseFeedbackService(ctx, st);
  if (op === "per") return chooseFeedbackPeriod(ctx, st);
  if (op === "dates") {
    ctx.session.step = "admin_input";
    ctx.session.admin = { kind: "af_dates", s: st.s };
    return show(ctx, ctx.t("admin_insight.fb_ask_dates"), [[
      button(ctx.t("common.back_button"), insightCb.feedback.pack({ ...st, op: "per" })),
    ]]);
  }
  await showFeedback(ctx, st);
});

// ---------------------------------------------------------------------------------------
// Audit log

const AUDIT_START: AuditState = { e: "all", a: 0, b: 0, pg: 0 };

function userLabel(ctx: BotContext, id: number): string {
  const user = getUser(ctx.deps.db, id);
  if (!user) return ctx.t("admin_insight.al_user_id", { id: String(id) });
  const name = [user.firstName, user.lastName].filter((p) => p).join(" ") ||
    ctx.t("admin_insight.al_user_id", { id: String(id) });
  return user.username ? `${name} (@${user.username})` : name;
}

function stamp(ctx: BotContext, instant: number): string {
  return new Intl.DateTimeFormat(intlLocale(ctx.lang), {
    timeZone: ctx.config.timeZone,
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(instant);
}

function labelOr(ctx: BotContext, key: string, fallback: string): string {
  // Audit details carry free-form names: only those with a catalog label are translated.
  return ctx.deps.catalogs[ctx.lang].has(key) || ctx.deps.catalogs.ru.has(key)
    ? ctx.t(key as LocaleKey)
    : fallback;
}

/** A stored value for reading: a JSON object becomes "key: value, ..." pairs. */
function readableValue(value: string): string {
  if (!value.startsWith("{")) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return value;
    return Object.entries(parsed).map(([key, v]) =>
      `${key}: ${typeof v === "string" ? v : JSON.stringify(v)}`
    ).join(", ");
  } catch {
    return value;
  }
}

function valueHtml(ctx: BotContext, value: string | null): string {
  if (value === null) return ctx.t("admin_insight.al_none");
  return `<code>${escapeHtml(truncate(readableValue(value), 120))}</code>`;
}

function auditEntry(ctx: BotContext, row: AuditRow): string {
  const lines = [ctx.t("admin_insight.al_entry", {
    time: stamp(ctx, row.at),
    whoHtml: escapeHtml(
      row.actorId === null ? ctx.t("admin_insight.al_system") : userLabel(ctx, row.actorId),
    ),
    entity: labelOr(ctx, `admin_insight.entity_${row.entity}`, row.entity),
    idHtml: row.entityId === null ? "" : ` #${escapeHtml(truncate(row.entityId, 40))}`,
    action: labelOr(ctx, `admin_insight.action_${row.action}`, row.action),
  })];
  if (row.oldValue !== null || row.newValue !== null || row.field !== null) {
    const change = { oldHtml: valueHtml(ctx, row.oldValue), newHtml: valueHtml(ctx, row.newValue) };
    lines.push(
      row.field === null
        ? ctx.t("admin_insight.al_change_value", change)
        : ctx.t("admin_insight.al_change", { field: truncate(row.field, 40), ...change }),
    );
  }
  return lines.join("\n");
}

function auditFilterText(ctx: BotContext, st: AuditState): string | undefined {
  const parts: string[] = [];
  if (st.b > 0) parts.push(ctx.t("admin_insight.al_filter_booking", { id: String(st.b) }));
  else if (st.e !== "all") {
    parts.push(ctx.t("admin_insight.al_filter_entity", {
      entity: ctx.t(`admin_insight.entity_${st.e}`),
    }));
  }
  if (st.a > 0) parts.push(ctx.t("admin_insight.al_filter_actor", { who: userLabel(ctx, st.a) }));
  return parts.length ? parts.join(" · ") : undefined;
}

/** Shows one page of the audit log, newest first, under the filters of `st`. */
async function showAudit(ctx: BotContext, st: AuditState): Promise<void> {
  const base = {
    ...(st.b > 0 ? { entity: "booking" as const, entityId: st.b } : {}),
    ...(st.b === 0 && st.e !== "all" ? { entity: st.e } : {}),
    ...(st.a > 0 ? { actorId: st.a } : {}),
  };
  let page = st.pg;
  let result = listAudit(ctx.deps.db, { ...base, limit: AUDIT_PAGE, offset: page * AUDIT_PAGE });
  const pages = Math.max(1, Math.ceil(result.total / AUDIT_PAGE));
  if (page >= pages) {
    page = pages - 1;
    result = listAudit(ctx.deps.db, { ...base, limit: AUDIT_PAGE, offset: page * AUDIT_PAGE });
  }
  const parts = [ctx.t("admin_insight.al_title")];
  const filters = auditFilterText(ctx, st);
  if (filters) parts.push(ctx.t("admin_insight.al_filters", { filters }));
  if (result.rows.length === 0) parts.push("", ctx.t("admin_insight.al_empty"));
  for (const row of result.rows) parts.push("", auditEntry(ctx, row));
  if (pages > 1) parts.push("", ctx.t("admin_insight.page", { page: page + 1, pages }));

  const view = (patch: Partial<AuditState>, op: "v" | "ent" | "adm" | "bid" = "v") =>
    insightCb.audit.pack({ ...st, pg: page, ...patch, op });
  const buttons: Buttons = [
    [
      button(ctx.t("admin_insight.al_booking_button"), view({}, "bid")),
      button(ctx.t("admin_insight.al_entity_button"), view({}, "ent")),
      button(ctx.t("admin_insight.al_actor_button"), view({}, "adm")),
    ],
  ];
  const pager = [];
  if (page > 0) pager.push(button("◀️", view({ pg: page - 1 })));
  if (page + 1 < pages) pager.push(button("▶️", view({ pg: page + 1 })));
  if (pager.length) buttons.push(pager);
  if (filters) {
    buttons.push([button(ctx.t("admin_insight.al_reset_button"), view({ ...AUDIT_START }))]);
  }
  buttons.push(backToAdminRow(ctx));
  await show(ctx, parts.join("\n"), buttons);
}

async function chooseAuditEntity(ctx: BotContext, st: AuditState): Promise<void> {
  const pick = (e: AuditState["e"]) =>
    button(
      `${e === st.e && st.b === 0 ? "• " : ""}${
        e === "all" ? ctx.t("admin_insight.al_all_entities") : ctx.t(`admin_insight.entity_${e}`)
      }`,
      insightCb.audit.pack({ ...st, op: "v", e, b: 0, pg: 0 }),
    );
  const buttons: Buttons = [[pick("all")]];
  for (let i = 0; i < AUDIT_ENTITIES.length; i += 2) {
    buttons.push(AUDIT_ENTITIES.slice(i, i + 2).map(pick));
  }
  buttons.push([button(ctx.t("common.back_button"), insightCb.audit.pack({ ...st, op: "v" }))]);
  await show(ctx, ctx.t("admin_insight.al_choose_entity"), buttons);
}

adminInsight.callbackQuery(insightCb.audit.filter, async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  const data = insightCb.audit.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  endInput(ctx);
  const { op, ...st } = data;
  const back = [button(ctx.t("common.back_button"), insightCb.audit.pack({ ...st, op: "v" }))];
  if (op === "ent") return chooseAuditEntity(ctx, st);
  if (op === "bid") {
    ctx.session.step = "admin_input";
    ctx.session.admin = { kind: "al_booking", a: st.a };
    return show(ctx, ctx.t("admin_insight.al_ask_booking"), [back]);
  }
  if (op === "adm") {
    ctx.session.step = "admin_input";
    ctx.session.admin = { kind: "al_actor", e: st.e, b: st.b };
    const buttons: Buttons = [[
      button(
        `${st.a === 0 ? "• " : ""}${ctx.t("admin_insight.al_any_actor")}`,
        insightCb.audit.pack({ ...st, op: "v", a: 0, pg: 0 }),
      ),
    ]];
    for (const admin of listAdmins(ctx.deps.db)) {
      buttons.push([
        button(
          `${st.a === admin.userId ? "• " : ""}${userLabel(ctx, admin.userId)} · ${
            ctx.t(`admin.role_${admin.role}`)
          }`,
          insightCb.audit.pack({ ...st, op: "v", a: admin.userId, pg: 0 }),
        ),
      ]);
    }
    buttons.push(back);
    return show(ctx, ctx.t("admin_insight.al_choose_actor"), buttons);
  }
  await showAudit(ctx, st);
});

// ---------------------------------------------------------------------------------------
// Menu sections and text input

adminInsight.callbackQuery(cb.adminSection.filter, async (ctx, next) => {
  const section = cb.adminSection.unpack(ctx.callbackQuery.data)?.section;
  if (section !== "stats" && section !== "feedback" && section !== "audit") return next();
  if (!(await requireRole(ctx, "viewer"))) return;
  await ack(ctx);
  endInput(ctx);
  if (section === "stats") return sendStats(ctx, periodContaining("week", today(ctx)));
  if (section === "feedback") return showFeedback(ctx, FEEDBACK_START);
  await showAudit(ctx, AUDIT_START);
});

adminInsight.on("message:text", async (ctx, next) => {
  const input = ctx.session.admin;
  const kind = input?.kind;
  if (
    ctx.session.step !== "admin_input" || typeof kind !== "string" || !/^(af|al)_/.test(kind) ||
    ctx.message.text.startsWith("/")
  ) {
    return next();
  }
  if (!(await requireRole(ctx, "viewer"))) {
    endInput(ctx);
    return;
  }
  const text = ctx.message.text.trim();
  if (kind === "af_dates") {
    const parsed = parsePeriod(text, { single: true, today: today(ctx) });
    const range = parsed.ok ? parsed.value : undefined;
    if (!range) {
      await ctx.reply(ctx.t("admin_insight.fb_bad_dates"));
      return;
    }
    endInput(ctx);
    return showFeedback(ctx, {
      s: Number(input?.s ?? 0),
      p: "range",
      f: range.from.toString(),
      u: range.to.toString(),
      pg: 0,
    });
  }
  const id = /^#?\s*(\d{1,15})$/.exec(text);
  if (!id) {
    await ctx.reply(ctx.t("admin_insight.al_bad_number"));
    return;
  }
  endInput(ctx);
  if (kind === "al_booking") {
    return showAudit(ctx, { e: "booking", a: Number(input?.a ?? 0), b: Number(id[1]), pg: 0 });
  }
  const e = String(input?.e ?? "all");
  return showAudit(ctx, {
    e: (["all", ...AUDIT_ENTITIES] as string[]).includes(e) ? e as AuditState["e"] : "all",
    a: Number(id[1]),
    b: Number(input?.b ?? 0),
    pg: 0,
  });
});
