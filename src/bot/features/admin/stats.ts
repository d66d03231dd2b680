/**
 * Admin section "stats", read-only (role "viewer"): the statistics of a day, a week or a
 * month as a PNG chart with the figures in its caption. Buttons "at".
 */
import { Composer, InputFile } from "grammy";
import { z } from "zod";
import {
  type Change,
  loadPercent,
  type Period,
  PERIOD_KINDS,
  periodContaining,
  type PeriodKind,
  shiftPeriod,
} from "../../../domain/stats.ts";
import { parseIsoDate } from "../../../domain/time.ts";
import { type PeriodStats, periodStats } from "../../../services/stats.ts";
import { codec } from "../../../ui/callback_data.ts";
import { barChartPng } from "../../../ui/chart.ts";
import { formatDate, formatMonth, formatNumber, formatPrice } from "../../../ui/format.ts";
import { intlLocale, scoped } from "../../../ui/i18n.ts";
import type { BotContext } from "../../context.ts";
import { button, type Buttons } from "../../ui.ts";
import { type AdminSection, backToAdminRow, endInput, onButton, today } from "./kit.ts";

/** The composer of the statistics section. */
export const adminStats = new Composer<BotContext>();

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !!parseIsoDate(d));

/** Statistics of the period of kind `k` containing date `d`. */
export const statsCb = codec("at", { k: z.enum(PERIOD_KINDS), d: isoDate });

/** Telegram's limit for a photo caption, less a margin. */
const CAPTION_LIMIT = 1000;
const CHART_SIZE = { width: 960, height: 480 };

function percentText(value: number | undefined): string {
  return value === undefined ? "—" : `${value}%`;
}

/** Text length as Telegram counts it for a caption: markup removed, entities as one char. */
function plainLength(html: string): number {
  return html.replace(/<[^>]*>/g, "").replace(/&(amp|lt|gt|quot);/g, "&").length;
}

function periodLabel(ctx: BotContext, period: Period): string {
  if (period.kind === "day") return formatDate(period.start, ctx.lang, ctx.config.timeZone);
  if (period.kind === "month") return formatMonth(period.start.toPlainYearMonth(), ctx.lang);
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
  const t = scoped(ctx.t, "admin_insight");
  const previous = t(`previous_${kind}`);
  if (change.kind === "up" || change.kind === "down") {
    return t(`change_${change.kind}`, { percent: change.percent, previous });
  }
  return t(`change_${change.kind}`, { previous, previousIn: t(`previous_in_${kind}`) });
}

/** The head of the statistics: title, counts by status, shares, load and revenue. */
function headLines(ctx: BotContext, s: PeriodStats): string[] {
  const t = scoped(ctx.t, "admin_insight");
  const head = [
    t(`stats_title_${s.period.kind}`, { label: periodLabel(ctx, s.period) }),
    "",
    t("stats_total", { total: s.total, changeHtml: changeHtml(ctx, s.change, s.period.kind) }),
    t("stats_active", { n: s.counts.active }),
    t("stats_completed", { n: s.counts.completed }),
    t("stats_cancelled", { n: s.counts.cancelled }),
    t("stats_no_show", { n: s.counts.no_show }),
    t("stats_percents", {
      cancelled: percentText(s.cancelledPercent),
      completed: percentText(s.completedPercent),
    }),
    s.availableMinutes > 0
      ? t("stats_load", {
        percent: percentText(s.loadPercent),
        booked: formatNumber(s.bookedMinutes / 60, ctx.lang),
        available: formatNumber(s.availableMinutes / 60, ctx.lang),
      })
      : t("stats_load_none"),
  ];
  if (s.revenueMinor !== null) {
    head.push(t("stats_revenue", { amount: formatPrice(s.revenueMinor, ctx.lang) }));
  }
  return head;
}

/** One line per service: place, bookings, revenue and its share of the working time. */
function serviceLines(ctx: BotContext, s: PeriodStats): string[] {
  const t = scoped(ctx.t, "admin_insight");
  return s.services.map((service, i) =>
    t("stats_service_line", {
      place: i + 1,
      name: service.name,
      bookings: service.bookings,
      revenue: service.revenueMinor === null
        ? t("stats_service_no_price")
        : formatPrice(service.revenueMinor, ctx.lang),
      load: percentText(loadPercent(service.bookedMinutes, s.availableMinutes)),
    })
  );
}

/** The statistics text (HTML), kept under Telegram's caption limit by listing fewer services. */
export function statsText(ctx: BotContext, s: PeriodStats): string {
  const t = scoped(ctx.t, "admin_insight");
  const head = headLines(ctx, s);
  if (s.total === 0) return [...head, "", t("stats_no_bookings")].join("\n");
  const lines = serviceLines(ctx, s);
  const compose = (shown: number) => {
    const more = s.services.length - shown;
    return [
      ...head,
      "",
      t("stats_services_title"),
      ...lines.slice(0, shown),
      ...(more > 0 ? [t("stats_services_more", { n: more })] : []),
      "",
      t("stats_revenue_note"),
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
  const go = (k: PeriodKind, d: Temporal.PlainDate) => statsCb.pack({ k, d: d.toString() });
  const kinds = PERIOD_KINDS.map((k) =>
    button(`${k === period.kind ? "• " : ""}${ctx.t(`admin_insight.period_${k}`)}`, go(k, anchor))
  );
  const nav = [button("◀️", go(period.kind, shiftPeriod(period, -1).start))];
  if (!inPeriod) nav.push(button(ctx.t("admin_insight.period_current"), go(period.kind, now)));
  nav.push(button("▶️", go(period.kind, shiftPeriod(period, 1).start)));
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
    await ctx.replyWithPhoto(new InputFile(png, "stats.png"), { caption: text, reply_markup });
  } else {
    const failed = ctx.t("admin_insight.stats_chart_failed");
    await ctx.reply(`${text}\n\n${failed}`, { reply_markup });
  }
  if (pressed) await ctx.api.deleteMessage(pressed.chat.id, pressed.message_id).catch(() => {});
}

onButton(adminStats, statsCb, "viewer", async (ctx, { k, d }) => {
  endInput(ctx);
  await sendStats(ctx, periodContaining(k, parseIsoDate(d)!));
});

/** The statistics entry of the admin menu: this week. */
export const statsSection: AdminSection = {
  id: "stats",
  need: "viewer",
  open: (ctx) => sendStats(ctx, periodContaining("week", today(ctx))),
};
