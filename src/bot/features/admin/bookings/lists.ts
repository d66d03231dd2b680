/** The bookings menu and its lists: a day's agenda, a filtered period, a search, a history. */
import {
  type Booking,
  countBookingsBetween,
  listBookingsBetween,
  listUserBookings,
  searchBookingsByClient,
} from "../../../../db/bookings_repo.ts";
import { getUser } from "../../../../db/users_repo.ts";
import type { DatePeriod } from "../../../../domain/date_input.ts";
import {
  PERIOD_PRESETS,
  periodBounds,
  presetPeriod,
  samePeriod,
} from "../../../../domain/period_presets.ts";
import { dayBounds } from "../../../../domain/time.ts";
import { formatDate, personName } from "../../../../ui/format.ts";
import { escapeHtml } from "../../../../ui/i18n.ts";
import { paginate } from "../../../../ui/paging.ts";
import { getService } from "../../../../db/services_repo.ts";
import type { BotContext } from "../../../context.ts";
import { button, type Buttons, show } from "../../../ui.ts";
import { hasRole } from "../access_control.ts";
import { backToAdminRow, today, withNotice } from "../kit.ts";
import { abCb, filterOf, PAGE_SIZE, STATUS_FILTERS, type StatusFilter } from "./codecs.ts";
import { backToBookingsRow, listStyle, tz } from "./screen.ts";
import { bookingPage, dayMonth, periodText } from "./views.ts";

/** The bookings section menu. */
export async function showBookingsMenu(ctx: BotContext): Promise<void> {
  const day = today(ctx);
  const [from, to] = dayBounds(day, tz(ctx));
  const active = countBookingsBetween(ctx.deps.db, { from, to, status: "active" });
  const week = presetPeriod("week", day);
  const t = ctx.t;
  await show(
    ctx,
    t("admin_bookings.menu_title", { date: formatDate(day, ctx.lang, tz(ctx)), active }),
    [
      [
        button(t("admin_bookings.btn_today"), abCb.day.pack({ date: day.toString(), page: 0 })),
        button(t("admin_bookings.btn_pick_date"), abCb.dayAsk.pack({})),
      ],
      [button(t("admin_bookings.btn_search"), abCb.searchAsk.pack({}))],
      [
        button(
          t("admin_bookings.btn_list"),
          abCb.list.pack({
            st: "all",
            from: week.from.toString(),
            to: week.to.toString(),
            page: 0,
          }),
        ),
      ],
      [button(t("admin_bookings.btn_export"), abCb.exportMenu.pack({ del: 0 }))],
      backToAdminRow(ctx),
    ],
  );
}

/** A day's agenda: every booking of the day with time, service, client, phone and status. */
export async function showDay(
  ctx: BotContext,
  date: Temporal.PlainDate,
  page: number,
  notice?: string,
): Promise<void> {
  const db = ctx.deps.db;
  const [from, to] = dayBounds(date, tz(ctx));
  const total = countBookingsBetween(db, { from, to });
  const active = countBookingsBetween(db, { from, to, status: "active" });
  const p = paginate(total, page, PAGE_SIZE);
  const iso = date.toString();
  const { text, rows } = bookingPage({
    title: ctx.t("admin_bookings.day_title", {
      date: formatDate(date, ctx.lang, tz(ctx)),
      total,
      active,
    }),
    page: p,
    bookings: listBookingsBetween(db, { from, to, limit: p.size, offset: p.offset }),
    style: listStyle(ctx, false),
    empty: ctx.t("admin_bookings.day_empty"),
    pack: (n) => abCb.day.pack({ date: iso, page: n }),
    noShowBefore: hasRole(ctx, "admin") ? ctx.deps.clock.now() : undefined,
  }, ctx.t);
  rows.push(...dayRows(ctx, date, total, active));
  await show(ctx, withNotice(notice, text + waitlistOfDay(ctx, iso)), rows);
}

/** Who waits for a time to free up on a day, in the order they joined (empty when nobody). */
function waitlistOfDay(ctx: BotContext, day: string): string {
  const waits = ctx.deps.services.waitlist.ofDay(day);
  if (waits.length === 0) return "";
  const lines = waits.map((w) =>
    ctx.t("waitlist.admin_line", {
      name: personName(getUser(ctx.deps.db, w.userId)) || String(w.userId),
      service: getService(ctx.deps.db, w.serviceId)?.name ?? "",
      part: ctx.t(`waitlist.part_${w.part}`),
    })
  );
  return `\n\n${ctx.t("waitlist.admin_day", { n: waits.length })}\n${lines.join("\n")}`;
}

/** Below a day's list: other days, a date, cancelling the day, its export, the way back. */
function dayRows(ctx: BotContext, date: Temporal.PlainDate, total: number, active: number) {
  const t = ctx.t;
  const iso = date.toString();
  const before = date.subtract({ days: 1 });
  const after = date.add({ days: 1 });
  const rows: Buttons = [[
    button(`◀️ ${dayMonth(before)}`, abCb.day.pack({ date: before.toString(), page: 0 })),
    button(
      t("admin_bookings.btn_today_short"),
      abCb.day.pack({ date: today(ctx).toString(), page: 0 }),
    ),
    button(`${dayMonth(after)} ▶️`, abCb.day.pack({ date: after.toString(), page: 0 })),
  ], [button(t("admin_bookings.btn_pick_date"), abCb.dayAsk.pack({}))]];
  if (active > 0 && hasRole(ctx, "admin")) {
    const label = t("admin_bookings.btn_cancel_day", { n: active });
    rows.push([button(label, abCb.group.pack({ date: iso, n: active, ok: 0 }))]);
    rows.push(pickRow(ctx, { from: date, to: date }));
  }
  if (total > 0) {
    const data = abCb.exportDo.pack({ st: "all", from: iso, to: iso });
    rows.push([button(t("admin_bookings.btn_export_day"), data)]);
  }
  rows.push(backToBookingsRow(ctx));
  return rows;
}

/** The button choosing bookings of a period to cancel. */
function pickRow(ctx: BotContext, period: DatePeriod) {
  const range = { from: period.from.toString(), to: period.to.toString() };
  return [button(ctx.t("admin_bookings.btn_pick"), abCb.pick.pack({ ...range, page: 0 }))];
}

/** Bookings of a period with a status filter, paginated, with filter and period buttons. */
export async function showList(
  ctx: BotContext,
  st: StatusFilter,
  period: DatePeriod,
  page: number,
  notice?: string,
): Promise<void> {
  const db = ctx.deps.db;
  const [from, to] = periodBounds(period, tz(ctx));
  const filter = filterOf(st);
  const total = countBookingsBetween(db, { from, to, ...filter });
  const p = paginate(total, page, PAGE_SIZE);
  const range = { from: period.from.toString(), to: period.to.toString() };
  const { text, rows } = bookingPage({
    title: ctx.t("admin_bookings.list_title", {
      period: periodText(period),
      filter: ctx.t(`admin_bookings.filter_${st}`),
      total,
    }),
    page: p,
    bookings: listBookingsBetween(db, { from, to, ...filter, limit: p.size, offset: p.offset }),
    style: listStyle(ctx, true),
    empty: ctx.t("admin_bookings.list_empty"),
    pack: (n) => abCb.list.pack({ st, ...range, page: n }),
  }, ctx.t);
  rows.push(...listRows(ctx, st, period));
  const pickable = st !== "deleted" && hasRole(ctx, "admin") &&
    countBookingsBetween(db, { from, to, status: "active" }) > 0;
  if (pickable) rows.push(pickRow(ctx, period));
  if (total > 0) {
    rows.push([
      button(ctx.t("admin_bookings.btn_export_list"), abCb.exportDo.pack({ st, ...range })),
    ]);
  }
  rows.push(backToBookingsRow(ctx));
  await show(ctx, withNotice(notice, text), rows);
}

/** The filter and period buttons of a list (the chosen ones ticked). */
function listRows(ctx: BotContext, st: StatusFilter, period: DatePeriod): Buttons {
  const range = { from: period.from.toString(), to: period.to.toString() };
  const tick = (on: boolean) => on ? "✅ " : "";
  const filterButton = (f: StatusFilter) =>
    button(
      `${tick(f === st)}${ctx.t(`admin_bookings.filter_${f}`)}`,
      abCb.list.pack({ st: f, ...range, page: 0 }),
    );
  const presetButtons = PERIOD_PRESETS.map((preset) => {
    const p = presetPeriod(preset, today(ctx));
    return button(
      `${tick(samePeriod(p, period))}${ctx.t(`admin_bookings.period_${preset}`)}`,
      abCb.list.pack({ st, from: p.from.toString(), to: p.to.toString(), page: 0 }),
    );
  });
  return [
    STATUS_FILTERS.slice(0, 3).map(filterButton),
    STATUS_FILTERS.slice(3).map(filterButton),
    presetButtons,
    [button(ctx.t("admin_bookings.period_custom"), abCb.periodAsk.pack({ st }))],
  ];
}

/** One page of the results of the client search kept in the session. */
export async function showSearch(ctx: BotContext, page: number): Promise<void> {
  const query = ctx.session.adminSearch;
  if (query === undefined) {
    await show(ctx, ctx.t("admin_bookings.search_expired"), [
      [button(ctx.t("admin_bookings.btn_search"), abCb.searchAsk.pack({}))],
      backToBookingsRow(ctx),
    ]);
    return;
  }
  // One more than a page tells whether a next page exists without counting.
  const found = searchBookingsByClient(ctx.deps.db, query, PAGE_SIZE + 1, page * PAGE_SIZE);
  const bookings = found.slice(0, PAGE_SIZE);
  const { text, rows } = bookingPage({
    title: ctx.t("admin_bookings.search_title", { query, page: page + 1 }),
    page: paginate((page + 1) * PAGE_SIZE + (found.length > PAGE_SIZE ? 1 : 0), page, PAGE_SIZE),
    bookings,
    style: listStyle(ctx, true),
    empty: ctx.t("admin_bookings.search_empty"),
    pack: (n) => abCb.searchPage.pack({ page: n }),
    noPageInfo: true,
  }, ctx.t);
  // A client's full history is one press away for each client on the page.
  const clients = new Map<number, Booking>();
  for (const b of bookings) if (!clients.has(b.userId)) clients.set(b.userId, b);
  for (const b of [...clients.values()].slice(0, 4)) {
    rows.push([
      button(
        ctx.t("admin_bookings.btn_history_of", { name: b.clientName, phone: b.phone }),
        abCb.history.pack({ uid: b.userId, page: 0 }),
      ),
    ]);
  }
  rows.push(
    [button(ctx.t("admin_bookings.btn_search_again"), abCb.searchAsk.pack({}))],
    backToBookingsRow(ctx),
  );
  await show(ctx, text, rows);
}

/** All bookings of one client, newest first. */
export async function showHistory(ctx: BotContext, userId: number, page: number): Promise<void> {
  // "Past" relative to the end of time is every booking of the client, newest first.
  const read = (offset: number) =>
    listUserBookings(ctx.deps.db, userId, "past", Number.MAX_SAFE_INTEGER, PAGE_SIZE, offset);
  let { rows: bookings, total } = read(page * PAGE_SIZE);
  const p = paginate(total, page, PAGE_SIZE);
  if (p.page !== page) ({ rows: bookings, total } = read(p.offset));
  const user = getUser(ctx.deps.db, userId);
  const { text, rows } = bookingPage({
    title: ctx.t("admin_bookings.history_title", {
      name: bookings[0]?.clientName ?? user?.firstName ?? String(userId),
      id: userId,
      usernameHtml: user?.username ? escapeHtml(` · @${user.username}`) : "",
      total,
    }),
    page: p,
    bookings,
    style: listStyle(ctx, true),
    empty: ctx.t("admin_bookings.list_empty"),
    pack: (n) => abCb.history.pack({ uid: userId, page: n }),
  }, ctx.t);
  rows.push(backToBookingsRow(ctx));
  await show(ctx, text, rows);
}
