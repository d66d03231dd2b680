/**
 * Admin section "feedback", read-only (role "viewer"): clients' ratings and comments with the
 * average and the 1–5 distribution, filtered by service and by visit period. Buttons "af".
 */
import { LeanComposer } from "../../composer.ts";
import { z } from "zod";
import { type FeedbackFilter, feedbackSummary, listFeedback } from "../../../db/feedback_repo.ts";
import { getService } from "../../../db/services_repo.ts";
import { servicesWithFeedback } from "../../../db/stats_repo.ts";
import { periodContaining, periodInstants } from "../../../domain/stats.ts";
import { dayBounds, parseIsoDate } from "../../../domain/time.ts";
import { anonymiseName } from "../../../domain/validation.ts";
import { codec, int } from "../../../ui/callback_data.ts";
import { formatDate, formatNumber, formatShortDate, shorten } from "../../../ui/format.ts";
import { scoped } from "../../../ui/i18n.ts";
import { pageInfo, pagerRow, paginate } from "../../../ui/paging.ts";
import type { BotContext } from "../../context.ts";
import { button, type Buttons, show } from "../../ui.ts";
import type { FeedbackInput } from "./input.ts";
import type { AdminSection, InputRoutes } from "./kit.ts";
import { awaitInput, backToAdminRow, endInput, onButton, today, typedPeriod } from "./kit.ts";

/** The composer of the feedback section. */
export const adminFeedback = new LeanComposer<BotContext>();

const dateOrDash = z.string().regex(/^(\d{4}-\d{2}-\d{2}|-)$/);

/** Periods the feedback list can be filtered by (visit date). */
const FEEDBACK_PERIODS = ["all", "month", "d30", "range"] as const;
type FeedbackPeriod = typeof FEEDBACK_PERIODS[number];

/**
 * The section's one button: `op` v = list, svc = choose service, per = choose period,
 * dates = ask for dates; s = service id (0 all), p = period, f/u = range dates ("-" none),
 * pg = page.
 */
export const feedbackCb = codec("af", {
  op: z.enum(["v", "svc", "per", "dates"]),
  s: int,
  p: z.enum(FEEDBACK_PERIODS),
  f: dateOrDash,
  u: dateOrDash,
  pg: int,
});

type FeedbackState = Omit<NonNullable<ReturnType<typeof feedbackCb.unpack>>, "op">;

const FEEDBACK_START: FeedbackState = { s: 0, p: "all", f: "-", u: "-", pg: 0 };
const PAGE_SIZE = 5;

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

function periodLabel(ctx: BotContext, st: FeedbackState): string {
  const t = scoped(ctx.t, "admin_insight");
  if (st.p !== "range") return t(`fb_period_${st.p}`);
  const from = parseIsoDate(st.f);
  const to = parseIsoDate(st.u);
  if (!from || !to) return t("fb_period_all");
  return t("fb_period_range", {
    from: formatShortDate(from, ctx.lang),
    to: formatShortDate(to, ctx.lang),
  });
}

function stars(rating: number): string {
  return "★".repeat(rating) + "☆".repeat(5 - rating);
}

/** The average and one bar per rating, 5★ first. */
function summaryLines(ctx: BotContext, summary: ReturnType<typeof feedbackSummary>): string[] {
  const t = scoped(ctx.t, "admin_insight");
  const lines = [t("fb_summary", {
    average: formatNumber(summary.average, ctx.lang, 2),
    total: summary.total,
  })];
  const max = Math.max(...summary.distribution);
  for (let rating = 5; rating >= 1; rating--) {
    const n = summary.distribution[rating - 1];
    lines.push(t("fb_distribution_line", {
      stars: `${rating}★`,
      bar: n > 0 ? "█".repeat(Math.max(1, Math.round((n / max) * 10))) : "·",
      n,
    }));
  }
  return lines;
}

/** One review: stars, service, visit date, anonymised name, and the comment if any. */
function reviewLines(ctx: BotContext, f: ReturnType<typeof listFeedback>[number]): string[] {
  const t = scoped(ctx.t, "admin_insight");
  const lines = [
    "",
    t("fb_item", {
      starsHtml: stars(f.rating),
      service: f.serviceName,
      date: formatDate(f.visitStart, ctx.lang, ctx.config.timeZone),
      name: anonymiseName(f.clientName),
    }),
  ];
  if (f.comment) lines.push(t("fb_comment", { comment: shorten(f.comment, 300) }));
  return lines;
}

/** Shows one page of feedback with the average and the 1–5 distribution of the filter. */
async function showFeedback(ctx: BotContext, st: FeedbackState): Promise<void> {
  const range = feedbackRange(ctx, st);
  if (!range) return showFeedback(ctx, { ...FEEDBACK_START, s: st.s });
  const t = scoped(ctx.t, "admin_insight");
  const filter: FeedbackFilter = { ...range, ...(st.s > 0 ? { serviceId: st.s } : {}) };
  const summary = feedbackSummary(ctx.deps.db, filter);
  const page = paginate(summary.total, st.pg, PAGE_SIZE);
  const serviceName = st.s > 0
    ? getService(ctx.deps.db, st.s)?.name ?? `#${st.s}`
    : t("fb_all_services");
  const parts = [
    t("fb_title"),
    t("fb_filters", { service: serviceName, period: periodLabel(ctx, st) }),
  ];
  if (summary.total === 0) parts.push("", t("fb_empty"));
  else {
    parts.push(...summaryLines(ctx, summary));
    const rows = listFeedback(ctx.deps.db, filter, PAGE_SIZE, page.offset);
    for (const f of rows) parts.push(...reviewLines(ctx, f));
    if (page.pages > 1) parts.push("", pageInfo(ctx.t, page));
  }
  const view = (patch: Partial<FeedbackState>, op: "v" | "svc" | "per" = "v") =>
    feedbackCb.pack({ ...st, pg: page.page, ...patch, op });
  const pager = pagerRow(page, (pg) => view({ pg }));
  const filterRow = [
    button(t("fb_service_button"), view({}, "svc")),
    button(t("fb_period_button"), view({}, "per")),
  ];
  await show(ctx, parts.join("\n"), [
    filterRow,
    ...(pager.length ? [pager] : []),
    backToAdminRow(ctx),
  ]);
}

async function chooseService(ctx: BotContext, st: FeedbackState): Promise<void> {
  const pick = (s: number) => feedbackCb.pack({ ...st, op: "v", s, pg: 0 });
  const buttons: Buttons = [[button(ctx.t("admin_insight.fb_all_services_button"), pick(0))]];
  for (const s of servicesWithFeedback(ctx.deps.db)) {
    buttons.push([button(`${s.id === st.s ? "• " : ""}${s.name} (${s.count})`, pick(s.id))]);
  }
  buttons.push([button(ctx.t("common.back_button"), feedbackCb.pack({ ...st, op: "v" }))]);
  await show(ctx, ctx.t("admin_insight.fb_choose_service"), buttons);
}

async function choosePeriod(ctx: BotContext, st: FeedbackState): Promise<void> {
  const t = scoped(ctx.t, "admin_insight");
  const pick = (p: FeedbackPeriod) =>
    button(
      `${p === st.p ? "• " : ""}${t(`fb_period_${p}`)}`,
      feedbackCb.pack({ ...st, op: "v", p, f: "-", u: "-", pg: 0 }),
    );
  const buttons: Buttons = [
    [pick("month"), pick("d30")],
    [pick("all")],
    [button(t("fb_dates_button"), feedbackCb.pack({ ...st, op: "dates", pg: 0 }))],
    [button(ctx.t("common.back_button"), feedbackCb.pack({ ...st, op: "v" }))],
  ];
  await show(ctx, t("fb_choose_period"), buttons);
}

onButton(adminFeedback, feedbackCb, "viewer", async (ctx, { op, ...st }) => {
  endInput(ctx);
  if (op === "svc") return chooseService(ctx, st);
  if (op === "per") return choosePeriod(ctx, st);
  if (op === "dates") {
    awaitInput(ctx, { kind: "af_dates", s: st.s });
    return show(ctx, ctx.t("admin_insight.fb_ask_dates"), [[
      button(ctx.t("common.back_button"), feedbackCb.pack({ ...st, op: "per" })),
    ]]);
  }
  await showFeedback(ctx, st);
});

/** The feedback entry of the admin menu. */
export const feedbackSection: AdminSection = {
  id: "feedback",
  need: "viewer",
  open: (ctx) => showFeedback(ctx, FEEDBACK_START),
};

/** The text the feedback section waits for: a visit period. */
export const feedbackInputs: InputRoutes<FeedbackInput["kind"]> = {
  af_dates: {
    need: "viewer",
    async handle(ctx, input, text) {
      const period = await typedPeriod(ctx, text, () => ctx.t("admin_insight.fb_bad_dates"));
      if (!period) return;
      const { from, to } = period;
      await showFeedback(ctx, {
        s: input.s,
        p: "range",
        f: from.toString(),
        u: to.toString(),
        pg: 0,
      });
    },
  },
};
