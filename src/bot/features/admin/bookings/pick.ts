/**
 * Group cancel of chosen bookings: the active bookings of a day or a period with a checkbox on
 * each button, "select all", a count on the confirm button and one reason for all. The ticks
 * live in the session (`adminPick`), keyed by the list; the confirm button carries the count,
 * and a selection that no longer matches the active bookings is shown again instead of done.
 */
import { type Booking, listBookingsBetween } from "../../../../db/bookings_repo.ts";
import type { DatePeriod } from "../../../../domain/date_input.ts";
import { periodBounds } from "../../../../domain/period_presets.ts";
import { localDate } from "../../../../domain/time.ts";
import { confirmRows } from "../../../../ui/confirm.ts";
import { formatTime } from "../../../../ui/format.ts";
import { paginate } from "../../../../ui/paging.ts";
import type { BotContext } from "../../../context.ts";
import { button, type Buttons, show } from "../../../ui.ts";
import { awaitInput, endInput, withNotice } from "../kit.ts";
import { abCb, PAGE_SIZE } from "./codecs.ts";
import { cancelAndTell } from "./group_cancel.ts";
import { showDay, showList } from "./lists.ts";
import { tz } from "./screen.ts";
import { dayMonth, listPager, periodText } from "./views.ts";

/** The list a selection belongs to. */
function listKey(period: DatePeriod): string {
  return `${period.from}_${period.to}`;
}

function range(period: DatePeriod) {
  return { from: period.from.toString(), to: period.to.toString() };
}

/** The active bookings of the period, in time order. */
function activeOf(ctx: BotContext, period: DatePeriod): Booking[] {
  const [from, to] = periodBounds(period, tz(ctx));
  return listBookingsBetween(ctx.deps.db, { from, to, status: "active" });
}

/** The ticked ids of this list (another list's ticks are dropped). */
export function picked(ctx: BotContext, period: DatePeriod): number[] {
  const key = listKey(period);
  if (ctx.session.adminPick?.list !== key) ctx.session.adminPick = { list: key, ids: [] };
  return ctx.session.adminPick.ids;
}

function setPicked(ctx: BotContext, period: DatePeriod, ids: number[]): void {
  ctx.session.adminPick = { list: listKey(period), ids };
}

/** The way back to the list the choice was made from (a day's agenda or a period list). */
function backRow(ctx: BotContext, period: DatePeriod) {
  const data = period.from.equals(period.to)
    ? abCb.day.pack({ date: period.from.toString(), page: 0 })
    : abCb.list.pack({ st: "active", ...range(period), page: 0 });
  return [button(ctx.t("admin_bookings.btn_no"), data)];
}

/** The pick screen: a checkbox button per active booking, select all/none, the confirm. */
export async function showPick(
  ctx: BotContext,
  period: DatePeriod,
  page: number,
  notice?: string,
): Promise<void> {
  const bookings = activeOf(ctx, period);
  const ids = picked(ctx, period);
  const p = paginate(bookings.length, page, PAGE_SIZE);
  const t = ctx.t;
  const r = range(period);
  const withDate = !period.from.equals(period.to);
  const rows: Buttons = bookings.slice(p.offset, p.offset + p.size).map((b) => {
    const box = ids.includes(b.id) ? "☑️" : "⬜️";
    const day = withDate ? `${dayMonth(localDate(b.start, tz(ctx)))} ` : "";
    const label = `${box} ${day}${formatTime(b.start, tz(ctx))} ${b.clientName} · ${b.serviceName}`;
    return [button(label, abCb.pickOne.pack({ ...r, page: p.page, id: b.id }))];
  });
  const pager = listPager(t, p, (n) => abCb.pick.pack({ ...r, page: n }));
  if (pager.length) rows.push(pager);
  if (bookings.length) {
    rows.push([
      button(t("admin_bookings.btn_pick_all"), abCb.pickAll.pack({ ...r, page: p.page, on: 1 })),
      button(t("admin_bookings.btn_pick_none"), abCb.pickAll.pack({ ...r, page: p.page, on: 0 })),
    ]);
  }
  if (ids.length) {
    const n = ids.length;
    rows.push([
      button(t("admin_bookings.btn_pick_go", { n }), abCb.pickGo.pack({ ...r, n, ok: 0 })),
    ]);
  }
  rows.push(backRow(ctx, period));
  const title = t("admin_bookings.pick_title", {
    period: periodText(period),
    n: ids.length,
    total: bookings.length,
  });
  const body = bookings.length ? title : `${title}\n\n${t("admin_bookings.pick_empty")}`;
  await show(ctx, withNotice(notice, body), rows);
}

/** Ticks or unticks one booking (only an active one of the list can be ticked). */
export async function pickOne(ctx: BotContext, period: DatePeriod, page: number, id: number) {
  const ids = picked(ctx, period);
  const active = activeOf(ctx, period).some((b) => b.id === id);
  const next = ids.includes(id) ? ids.filter((x) => x !== id) : active ? [...ids, id] : ids;
  setPicked(ctx, period, next);
  await showPick(ctx, period, page);
}

/** Ticks every active booking of the list, or none. */
export async function pickAll(ctx: BotContext, period: DatePeriod, page: number, on: number) {
  setPicked(ctx, period, on ? activeOf(ctx, period).map((b) => b.id) : []);
  await showPick(ctx, period, page);
}

/**
 * The ticked bookings when they are still exactly `n` active bookings of the list; otherwise
 * the selection is narrowed to those still active and shown again with a warning.
 */
async function checkedSelection(ctx: BotContext, period: DatePeriod, n: number) {
  const ids = picked(ctx, period);
  const active = new Set(activeOf(ctx, period).map((b) => b.id));
  const still = ids.filter((id) => active.has(id));
  if (ids.length === n && still.length === n && n > 0) return ids;
  endInput(ctx);
  setPicked(ctx, period, still);
  await showPick(ctx, period, 0, ctx.t("admin_bookings.pick_changed", { n: still.length }));
  return undefined;
}

/** Asks for the one reason of cancelling the `n` ticked bookings (or none, with a button). */
export async function askPickCancel(ctx: BotContext, period: DatePeriod, n: number) {
  if (!(await checkedSelection(ctx, period, n))) return;
  const r = range(period);
  awaitInput(ctx, { kind: "ab_pick_reason", ...r, n });
  await show(
    ctx,
    ctx.t("admin_bookings.pick_ask", { n }),
    confirmRows(
      {
        text: ctx.t("admin_bookings.btn_pick_yes", { n }),
        data: abCb.pickGo.pack({ ...r, n, ok: 1 }),
      },
      { text: ctx.t("admin_bookings.btn_pick_back"), data: abCb.pick.pack({ ...r, page: 0 }) },
    ),
  );
}

/** Cancels the ticked bookings (each through the engine, audited), tells each client. */
export async function pickCancel(
  ctx: BotContext,
  period: DatePeriod,
  n: number,
  reason: string | null,
): Promise<void> {
  const ids = await checkedSelection(ctx, period, n);
  if (!ids) return;
  endInput(ctx);
  setPicked(ctx, period, []);
  const report = await cancelAndTell(ctx, ids, reason, "Chosen bookings cancelled by admin", {
    ...range(period),
  });
  await (period.from.equals(period.to)
    ? showDay(ctx, period.from, 0, report)
    : showList(ctx, "all", period, 0, report));
}
