/**
 * The texts of the statistics section: the summary under the chart, the peak-hours caption
 * and the funnel. Pure views: figures and a translator in, HTML out.
 */
import { type FunnelCounts, funnelRows } from "../../../../domain/funnel.ts";
import {
  type Change,
  loadPercent,
  percentOf,
  type Period,
  visibleRange,
} from "../../../../domain/stats.ts";
import type { PeriodStats } from "../../../../services/stats.ts";
import {
  formatDate,
  formatMonth,
  formatNumber,
  formatPrice,
  weekdayNames,
} from "../../../../ui/format.ts";
import { intlLocale, type Lang, scoped, type Translate } from "../../../../ui/i18n.ts";

/** What a view needs to speak: the translator, the language and the business time zone. */
export interface Speech {
  t: Translate;
  lang: Lang;
  timeZone: string;
}

/** Telegram's limit for a photo caption, less a margin. */
const CAPTION_LIMIT = 1000;

function percentText(value: number | undefined): string {
  return value === undefined ? "—" : `${value}%`;
}

/** Text length as Telegram counts it for a caption: markup removed, entities as one char. */
function plainLength(html: string): number {
  return html.replace(/<[^>]*>/g, "").replace(/&(amp|lt|gt|quot);/g, "&").length;
}

/** "1 – 7 Dec 2026", "December 2026" or the day, as the period's kind reads best. */
export function periodLabel(sp: Speech, period: Period): string {
  if (period.kind === "day") return formatDate(period.start, sp.lang, sp.timeZone);
  if (period.kind === "month") return formatMonth(period.start.toPlainYearMonth(), sp.lang);
  const last = period.end.subtract({ days: 1 });
  const f = new Intl.DateTimeFormat(intlLocale(sp.lang), {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
  const utc = (d: Temporal.PlainDate) => Date.UTC(d.year, d.month - 1, d.day);
  return f.formatRange(utc(period.start), utc(last));
}

function totalLine(sp: Speech, s: PeriodStats): string {
  const t = scoped(sp.t, "admin_insight");
  const kind = s.period.kind;
  if (!s.compared || kind === "all") return t("stats_total_plain", { total: s.total });
  const change: Change = s.change;
  const previous = t(`previous_${kind}`);
  const changeHtml = change.kind === "up" || change.kind === "down"
    ? t(`change_${change.kind}`, { percent: change.percent, previous })
    : t(`change_${change.kind}`, { previous, previousIn: t(`previous_in_${kind}`) });
  return t("stats_total", { total: s.total, changeHtml });
}

/** The head of the statistics: title, counts by status, shares, load, revenue, conversion. */
function headLines(sp: Speech, s: PeriodStats, funnel: FunnelCounts): string[] {
  const t = scoped(sp.t, "admin_insight");
  const head = [
    t(`stats_title_${s.period.kind}`, { label: periodLabel(sp, s.period) }),
    "",
    totalLine(sp, s),
    t("stats_active", { n: s.counts.active }),
    t("stats_completed", { n: s.counts.completed }),
    t("stats_cancelled", { n: s.counts.cancelled }),
    t("stats_no_show", { n: s.counts.no_show }),
    t("stats_no_show_rate", { percent: percentText(s.noShowPercent) }),
    t("stats_deleted", { n: s.deleted }),
    t("stats_percents", {
      cancelled: percentText(s.cancelledPercent),
      completed: percentText(s.completedPercent),
    }),
    s.availableMinutes > 0
      ? t("stats_load", {
        percent: percentText(s.loadPercent),
        booked: formatNumber(s.bookedMinutes / 60, sp.lang),
        available: formatNumber(s.availableMinutes / 60, sp.lang),
      })
      : t("stats_load_none"),
  ];
  if (s.revenueMinor !== null) {
    head.push(t("stats_revenue", { amount: formatPrice(s.revenueMinor, sp.lang) }));
  }
  if (funnel.started > 0) {
    head.push(t("stats_conversion", {
      percent: percentText(percentOf(funnel.confirmed, funnel.started)),
      started: funnel.started,
      confirmed: funnel.confirmed,
    }));
  }
  return head;
}

/** One line per service: place, bookings, revenue and its share of the working time. */
function serviceLines(sp: Speech, s: PeriodStats): string[] {
  const t = scoped(sp.t, "admin_insight");
  return s.services.map((service, i) =>
    t("stats_service_line", {
      place: i + 1,
      name: service.name,
      bookings: service.bookings,
      revenue: service.revenueMinor === null
        ? t("stats_service_no_price")
        : formatPrice(service.revenueMinor, sp.lang),
      load: percentText(loadPercent(service.bookedMinutes, s.availableMinutes)),
    })
  );
}

/** The statistics text (HTML), kept under Telegram's caption limit by listing fewer services. */
export function statsText(sp: Speech, s: PeriodStats, funnel: FunnelCounts): string {
  const t = scoped(sp.t, "admin_insight");
  const head = headLines(sp, s, funnel);
  if (s.total === 0) return [...head, "", t("stats_no_bookings")].join("\n");
  const lines = serviceLines(sp, s);
  const legend = t("chart_legend", { unit: t(`chart_unit_${s.chart.unit}`) });
  const compose = (shown: number) => {
    const more = s.services.length - shown;
    return [
      ...head,
      "",
      t("stats_services_title"),
      ...lines.slice(0, shown),
      ...(more > 0 ? [t("stats_services_more", { n: more })] : []),
      "",
      legend,
      t("stats_revenue_note"),
    ].join("\n");
  };
  let shown = lines.length;
  let text = compose(shown);
  while (shown > 0 && plainLength(text) > CAPTION_LIMIT) text = compose(--shown);
  return text;
}

/** The caption of the peak-hours heat map: what the cells mean and the busiest hour. */
export function heatMapText(sp: Speech, period: Period, grid: number[][]): string {
  const t = scoped(sp.t, "admin_insight");
  const total = grid.flat().reduce((a, b) => a + b, 0);
  const lines = [t("heat_caption", { label: periodLabel(sp, period), n: total })];
  if (total === 0) return [...lines, "", t("stats_no_bookings")].join("\n");
  let best = { d: 0, h: 0, n: -1 };
  grid.forEach((row, d) => row.forEach((n, h) => n > best.n && (best = { d, h, n })));
  const weekday = weekdayNames(sp.lang)[best.d];
  const hour = String(best.h).padStart(2, "0");
  return [...lines, "", t("heat_busiest", { weekday, hour, n: best.n })].join("\n");
}

/** The funnel of a period: each step with its share of the started and its drop-off. */
export function funnelText(sp: Speech, period: Period, counts: FunnelCounts): string {
  const t = scoped(sp.t, "admin_insight");
  const lines = [t("funnel_title", { label: periodLabel(sp, period) }), ""];
  if (counts.started === 0) return [...lines, t("funnel_empty")].join("\n");
  funnelRows(counts).forEach((row, i) => {
    const step = t(`funnel_step_${row.step}`);
    lines.push(
      i === 0 ? t("funnel_line_first", { place: 1, step, n: row.count }) : t("funnel_line", {
        place: i + 1,
        step,
        n: row.count,
        share: percentText(row.ofStarted),
        drop: percentText(row.dropOff),
      }),
    );
  });
  const conversion = percentText(percentOf(counts.confirmed, counts.started));
  lines.push("", t("funnel_conversion", { percent: conversion }), "", t("funnel_note"));
  return lines.join("\n");
}

/** Hours to show on the heat map: those with bookings, widened to at least 9–18. */
export function heatHours(grid: number[][]): [number, number] {
  const byHour = Array.from({ length: 24 }, (_, h) => grid.reduce((sum, row) => sum + row[h], 0));
  return visibleRange(byHour, 9, 18);
}
