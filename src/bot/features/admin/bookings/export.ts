/** The CSV export of bookings: a menu of periods, a typed period, a day or a list as shown. */
import { InputFile } from "grammy";
import { type BookingStatus, countBookingsBetween } from "../../../../db/bookings_repo.ts";
import type { DatePeriod } from "../../../../domain/date_input.ts";
import { PERIOD_PRESETS, periodBounds, presetPeriod } from "../../../../domain/period_presets.ts";
import { bookingsCsv, type ExportLabels } from "../../../../services/export.ts";
import type { Translate } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import { button, show } from "../../../ui.ts";
import { today } from "../kit.ts";
import { abCb, filterOf, type StatusFilter } from "./codecs.ts";
import { backToBookingsRow, tz } from "./screen.ts";
import { periodText, statusWord } from "./views.ts";

/** The columns of the export, in order (titles admin_bookings.csv_<column>). */
const COLUMNS = [
  "id",
  "date",
  "time",
  "end",
  "service",
  "staff",
  "name",
  "phone",
  "status",
  "reason",
  "created",
  "duration",
  "price",
] as const;

/** The export's column titles and status words in one language (and the deleted flag). */
export function exportLabels(
  t: Translate,
  withDeleted = false,
  withDeposits = false,
): ExportLabels {
  return {
    header: COLUMNS.map((c) => t(`admin_bookings.csv_${c}`)),
    deposit: withDeposits ? t("admin_bookings.csv_deposit") : undefined,
    status: (s: BookingStatus) => statusWord(t, s),
    deleted: withDeleted
      ? { title: t("admin_bookings.csv_deleted"), yes: t("admin_bookings.csv_deleted_yes") }
      : undefined,
  };
}

/** The export menu: this day, week or month, or a typed period; deleted ones left out or in. */
export async function showExportMenu(ctx: BotContext, del: number): Promise<void> {
  const presetButtons = PERIOD_PRESETS.map((preset) => {
    const p = presetPeriod(preset, today(ctx));
    const range = { from: p.from.toString(), to: p.to.toString() };
    const data = del ? abCb.exportAll.pack(range) : abCb.exportDo.pack({ st: "all", ...range });
    return button(ctx.t(`admin_bookings.period_${preset}`), data);
  });
  const toggle = del ? "btn_export_deleted_on" : "btn_export_deleted_off";
  await show(ctx, ctx.t("admin_bookings.export_title"), [
    presetButtons,
    [button(ctx.t("admin_bookings.period_custom"), abCb.exportAsk.pack({ del: del ? 1 : 0 }))],
    [button(ctx.t(`admin_bookings.${toggle}`), abCb.exportMenu.pack({ del: del ? 0 : 1 }))],
    backToBookingsRow(ctx),
  ]);
}

/**
 * Sends the bookings of a period as a CSV document (streamed in pages). With `withDeleted`
 * (or the "deleted" filter) the deleted bookings are in it, flagged in a last column.
 */
export async function exportPeriod(
  ctx: BotContext,
  period: DatePeriod,
  st: StatusFilter,
  withDeleted = false,
): Promise<void> {
  const [from, to] = periodBounds(period, tz(ctx));
  const filter = { from, to, ...filterOf(st) };
  if (withDeleted) filter.deleted = "include";
  const count = countBookingsBetween(ctx.deps.db, filter);
  const periodLabel = periodText(period);
  if (count === 0) {
    await ctx.reply(ctx.t("admin_bookings.export_empty", { period: periodLabel }), {});
    return;
  }
  const suffix = st === "all" ? (withDeleted ? "-with-deleted" : "") : `-${st}`;
  const filename = `bookings-${period.from}_${period.to}${suffix}.csv`;
  const { db } = ctx.deps;
  const labels = exportLabels(
    ctx.t,
    filter.deleted !== undefined,
    ctx.config.paymentProviderToken !== undefined,
  );
  const timeZone = tz(ctx);
  ctx.deps.logger.info("Bookings exported", {
    adminId: ctx.from!.id,
    from: period.from.toString(),
    to: period.to.toString(),
    count,
  });
  await ctx.replyWithDocument(
    new InputFile(() => bookingsCsv(db, filter, timeZone, labels), filename),
    {
      caption: ctx.t("admin_bookings.export_caption", {
        period: periodLabel,
        filter: ctx.t(`admin_bookings.filter_${st}`),
        count,
      }),
    },
  );
}
