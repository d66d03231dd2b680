/**
 * Admin section "stats", read-only (role "viewer"): the statistics of a day, a week, a
 * month, a typed range or all time as a PNG chart with the figures in its caption, compared
 * with the previous period of the same length; the peak hours as a weekday × hour heat map;
 * the booking funnel. Buttons "at" (calendar periods) and "atv" (any period and view).
 */
import { InputFile } from "grammy";
import { LeanComposer } from "../../../composer.ts";
import { z } from "zod";
import {
  type Period,
  PERIOD_KINDS,
  periodContaining,
  type PeriodKind,
  rangePeriod,
  shiftPeriod,
} from "../../../../domain/stats.ts";
import { parseIsoDate } from "../../../../domain/time.ts";
import { funnelOf } from "../../../../services/funnel.ts";
import { allTimePeriod, peakHours, periodStats } from "../../../../services/stats.ts";
import { codec } from "../../../../ui/callback_data.ts";
import { barChartPng } from "../../../../ui/chart.ts";
import { heatMapPng } from "../../../../ui/heatmap.ts";
import { scoped } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import { button, type Buttons, show } from "../../../ui.ts";
import type { StatsInput } from "../input.ts";
import type { AdminSection, InputRoutes } from "../kit.ts";
import {
  awaitInput,
  backToAdminRow,
  endInput,
  inputProblemText,
  onButton,
  today,
  typedPeriod,
} from "../kit.ts";
import { funnelText, heatHours, heatMapText, type Speech, statsText } from "./summary.ts";
import { retentionCb, retentionRows, retentionText } from "./retention.ts";
import { type LapsedWeeks, retentionStats } from "../../../../services/retention.ts";

/** The composer of the statistics section. */
export const adminStats = new LeanComposer<BotContext>();

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !!parseIsoDate(d));

/** Statistics of the calendar period of kind `k` containing date `d`. */
export const statsCb = codec("at", { k: z.enum(PERIOD_KINDS), d: isoDate });

/**
 * A view of any period: v sum = statistics, heat = peak hours, fun = funnel, ask = ask for
 * a typed range; k = the period's kind, f..u its first and last date (all time: recomputed).
 */
export const viewCb = codec("atv", {
  v: z.enum(["sum", "heat", "fun", "ask"]),
  k: z.enum([...PERIOD_KINDS, "range", "all"]),
  f: isoDate,
  u: isoDate,
});

type ViewName = "sum" | "heat" | "fun" | "ask";

const CHART_SIZE = { width: 960, height: 480 };

function speech(ctx: BotContext): Speech {
  return { t: ctx.t, lang: ctx.lang, timeZone: ctx.config.timeZone };
}

/** The button data of `view` over `period`. */
function viewOf(v: ViewName, period: Period): string {
  const last = period.end.subtract({ days: 1 });
  return viewCb.pack({ v, k: period.kind, f: period.start.toString(), u: last.toString() });
}

/** The button data of the retention view of `period`, with "gone for `w` weeks". */
function retentionOf(period: Period, w: LapsedWeeks): string {
  const u = period.end.subtract({ days: 1 }).toString();
  return retentionCb.pack({ k: period.kind, f: period.start.toString(), u, w });
}

/** The day / week / month row, and ◀️ [current] ▶️ to move by one period of the same kind. */
function calendarRows(ctx: BotContext, period: Period): Buttons {
  const now = today(ctx);
  const inPeriod = Temporal.PlainDate.compare(period.start, now) <= 0 &&
    Temporal.PlainDate.compare(now, period.end) < 0;
  const anchor = inPeriod ? now : period.start;
  const go = (k: PeriodKind, d: Temporal.PlainDate) => statsCb.pack({ k, d: d.toString() });
  const kinds = PERIOD_KINDS.map((k) =>
    button(`${k === period.kind ? "• " : ""}${ctx.t(`admin_insight.period_${k}`)}`, go(k, anchor))
  );
  if (period.kind === "all") return [kinds];
  if (period.kind === "range") {
    const back = button("◀️", viewOf("sum", shiftPeriod(period, -1)));
    return [kinds, [back, button("▶️", viewOf("sum", shiftPeriod(period, 1)))]];
  }
  const nav = [button("◀️", go(period.kind, shiftPeriod(period, -1).start))];
  if (!inPeriod) nav.push(button(ctx.t("admin_insight.period_current"), go(period.kind, now)));
  nav.push(button("▶️", go(period.kind, shiftPeriod(period, 1).start)));
  return [kinds, nav];
}

function statsButtons(ctx: BotContext, period: Period): Buttons {
  const t = scoped(ctx.t, "admin_insight");
  const all = rangePeriod(period.start, period.start, "all");
  return [
    ...calendarRows(ctx, period),
    [
      button(`${period.kind === "all" ? "• " : ""}${t("period_all")}`, viewOf("sum", all)),
      button(t("period_range"), viewOf("ask", period)),
    ],
    [
      button(t("heat_button"), viewOf("heat", period)),
      button(t("funnel_button"), viewOf("fun", period)),
    ],
    [button(t("retention_button"), retentionOf(period, 8))],
    backToAdminRow(ctx),
  ];
}

/** Sends the new screen first, then deletes the pressed message (a photo cannot be edited into text). */
async function replacePressed(ctx: BotContext, send: () => Promise<unknown>): Promise<void> {
  const pressed = ctx.callbackQuery?.message;
  await send();
  if (pressed) await ctx.api.deleteMessage(pressed.chat.id, pressed.message_id).catch(() => {});
}

/** A picture, or the text alone (with a note) when it could not be drawn. */
async function sendPicture(
  ctx: BotContext,
  draw: () => Promise<Uint8Array>,
  file: { name: string; caption: string; buttons: Buttons },
): Promise<void> {
  const reply_markup = { inline_keyboard: file.buttons };
  let png: Uint8Array | undefined;
  try {
    png = await draw();
  } catch (error) {
    ctx.deps.logger.warning("Could not render a statistics chart", { error: String(error) });
  }
  await replacePressed(
    ctx,
    () =>
      png
        ? ctx.replyWithPhoto(new InputFile(png, file.name), { caption: file.caption, reply_markup })
        : ctx.reply(`${file.caption}\n\n${ctx.t("admin_insight.stats_chart_failed")}`, {
          reply_markup,
        }),
  );
}

/** The statistics of `period`: the chart with the figures as its caption. */
async function sendStats(ctx: BotContext, period: Period): Promise<void> {
  const stats = periodStats(ctx.deps.db, ctx.config.timeZone, period);
  const funnel = funnelOf(ctx.deps.db, period.start, period.end.subtract({ days: 1 }));
  await sendPicture(
    ctx,
    () => barChartPng({ ...stats.chart, muted: stats.chart.cancelled, ...CHART_SIZE }),
    {
      name: "stats.png",
      caption: statsText(speech(ctx), stats, funnel),
      buttons: statsButtons(ctx, period),
    },
  );
}

/** The peak hours of `period` as a weekday × hour heat map. */
async function sendHeatMap(ctx: BotContext, period: Period): Promise<void> {
  const grid = peakHours(ctx.deps.db, ctx.config.timeZone, period);
  await sendPicture(ctx, () => heatMapPng({ grid, hours: heatHours(grid), ...CHART_SIZE }), {
    name: "heatmap.png",
    caption: heatMapText(speech(ctx), period, grid),
    buttons: [
      [button(ctx.t("admin_insight.back_to_stats"), viewOf("sum", period))],
      backToAdminRow(ctx),
    ],
  });
}

/** The booking funnel of `period`. */
async function sendFunnel(ctx: BotContext, period: Period): Promise<void> {
  const counts = funnelOf(ctx.deps.db, period.start, period.end.subtract({ days: 1 }));
  const back = [button(ctx.t("admin_insight.back_to_stats"), viewOf("sum", period))];
  await replacePressed(
    ctx,
    () => show(ctx, funnelText(speech(ctx), period, counts), [back], { fresh: true }),
  );
}

/** Retention over `period` and the clients gone for `w` weeks. */
async function sendRetention(ctx: BotContext, period: Period, w: LapsedWeeks): Promise<void> {
  const stats = retentionStats(ctx.deps.db, ctx.config.timeZone, period, ctx.deps.clock.now(), w);
  const rows = retentionRows(
    speech(ctx),
    stats,
    (n) => retentionOf(period, n),
    viewOf("sum", period),
  );
  await replacePressed(
    ctx,
    () => show(ctx, retentionText(speech(ctx), stats), rows, { fresh: true }),
  );
}

/** Asks for a typed range; Back returns to the period the admin came from. */
async function askRange(ctx: BotContext, period: Period): Promise<void> {
  awaitInput(ctx, { kind: "at_range" });
  const back = [button(ctx.t("admin_insight.back_to_stats"), viewOf("sum", period))];
  await replacePressed(
    ctx,
    () => show(ctx, ctx.t("admin_insight.ask_range"), [back], { fresh: true }),
  );
}

/** The period a view button stands for (all time is measured again, it grows). */
function periodOf(ctx: BotContext, data: { k: Period["kind"]; f: string; u: string }): Period {
  const from = parseIsoDate(data.f)!;
  if (data.k === "all") return allTimePeriod(ctx.deps.db, ctx.config.timeZone, today(ctx));
  if (data.k === "range") return rangePeriod(from, parseIsoDate(data.u)!);
  return periodContaining(data.k, from);
}

const VIEWS = { sum: sendStats, heat: sendHeatMap, fun: sendFunnel, ask: askRange };

onButton(adminStats, statsCb, "viewer", async (ctx, { k, d }) => {
  endInput(ctx);
  await sendStats(ctx, periodContaining(k, parseIsoDate(d)!));
});

onButton(adminStats, viewCb, "viewer", async (ctx, data) => {
  endInput(ctx);
  await VIEWS[data.v](ctx, periodOf(ctx, data));
});

onButton(adminStats, retentionCb, "viewer", async (ctx, data) => {
  endInput(ctx);
  await sendRetention(ctx, periodOf(ctx, data), data.w);
});

/** The statistics entry of the admin menu: this week. */
export const statsSection: AdminSection = {
  id: "stats",
  need: "viewer",
  open: (ctx) => sendStats(ctx, periodContaining("week", today(ctx))),
};

/** The text the statistics wait for: a typed period ("01.09.2026-30.11.2026"). */
export const statsInputs: InputRoutes<StatsInput["kind"]> = {
  at_range: {
    need: "viewer",
    async handle(ctx, _input, text) {
      const example = ctx.t("admin_insight.range_example");
      const period = await typedPeriod(ctx, text, (p) => `${inputProblemText(ctx, p)}\n${example}`);
      if (period) await sendStats(ctx, rangePeriod(period.from, period.to));
    },
  },
};
