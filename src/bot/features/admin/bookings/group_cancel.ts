/**
 * Cancelling every active booking of a day (a master is ill): the admin confirms the count
 * shown, may type a reason, and each client is told through the throttled sender.
 */
import { activeBookingsOfDay } from "../../../../services/admin_bookings.ts";
import { confirmRows } from "../../../../ui/confirm.ts";
import { formatDate } from "../../../../ui/format.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import { awaitInput, endInput, withNotice } from "../kit.ts";
import { abCb } from "./codecs.ts";
import { tellClientsCancelled } from "./client_notice.ts";
import { showDay } from "./lists.ts";
import { actor, tz } from "./screen.ts";

/** Asks to cancel the day's active bookings (a reason may be typed instead of pressing). */
export async function askGroupCancel(
  ctx: BotContext,
  date: Temporal.PlainDate,
  notice?: string,
): Promise<void> {
  const n = activeBookingsOfDay(ctx.deps.db, date, tz(ctx)).length;
  if (n === 0) {
    endInput(ctx);
    return showDay(ctx, date, 0, ctx.t("admin_bookings.group_none"));
  }
  const iso = date.toString();
  awaitInput(ctx, { kind: "ab_group_reason", date: iso, n });
  await show(
    ctx,
    withNotice(
      notice,
      ctx.t("admin_bookings.group_ask", { date: formatDate(date, ctx.lang, tz(ctx)), n }),
    ),
    confirmRows(
      {
        text: ctx.t("admin_bookings.btn_group_yes", { n }),
        data: abCb.group.pack({ date: iso, n, ok: 1 }),
      },
      { text: ctx.t("admin_bookings.btn_no"), data: abCb.day.pack({ date: iso, page: 0 }) },
    ),
  );
}

/**
 * Cancels every active booking of a day (each through the engine, each audited) when there
 * are still `expected` of them (else asks again with the new count), tells the clients and
 * reports the counts.
 */
export async function groupCancel(
  ctx: BotContext,
  date: Temporal.PlainDate,
  expected: number,
  reason: string | null,
): Promise<void> {
  const ids = activeBookingsOfDay(ctx.deps.db, date, tz(ctx)).map((b) => b.id);
  if (ids.length !== expected) {
    return askGroupCancel(ctx, date, ctx.t("admin_bookings.group_changed", { n: ids.length }));
  }
  endInput(ctx);
  const report = await cancelAndTell(ctx, ids, reason, "Day cancelled by admin", {
    date: date.toString(),
  });
  await showDay(ctx, date, 0, report);
}

/**
 * Cancels bookings by id (each through the engine, each audited), tells each client through
 * the throttled sender, logs `what` and returns the report for the admin.
 */
export async function cancelAndTell(
  ctx: BotContext,
  ids: readonly number[],
  reason: string | null,
  what: string,
  fields: Record<string, string>,
): Promise<string> {
  const result = ctx.deps.services.adminBookings.cancelMany(ids, actor(ctx), reason);
  const { cancelled, skipped } = result;
  ctx.deps.metrics.bookingsCancelledTotal.inc(undefined, cancelled.length);
  ctx.deps.logger.info(what, { ...fields, cancelled: cancelled.length, adminId: ctx.from!.id });
  const notified = await tellClientsCancelled(ctx, cancelled);
  const report = [ctx.t("admin_bookings.group_done", { cancelled: cancelled.length, notified })];
  if (skipped) report.push(ctx.t("admin_bookings.group_skipped", { n: skipped }));
  return report.join("\n");
}
