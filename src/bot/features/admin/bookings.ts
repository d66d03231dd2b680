/**
 * Admin section "bookings": a day's agenda, search by client, filtered lists, the booking
 * card with its universal editor (every change goes through the booking engine, is audited
 * there and told to the client), cancel, group cancel, soft delete and the CSV export.
 * Viewers may look and export; changes need the "admin" role.
 */
import { Composer, InputFile } from "grammy";
import { z } from "zod";
import type { AdminRole } from "../../../db/admins_repo.ts";
import {
  type Booking,
  type BookingStatus,
  countBookingsBetween,
  listBookingsBetween,
  listUserBookings,
  searchBookingsByClient,
} from "../../../db/bookings_repo.ts";
import { listBookableServices } from "../../../db/services_repo.ts";
import { listActiveStaff } from "../../../db/staff_repo.ts";
import { getUser } from "../../../db/users_repo.ts";
import { dayBounds, localDate, parseIsoDate } from "../../../domain/time.ts";
import {
  activeBookingsOfDay,
  AdminBookingError,
  bookingsCsv,
  cancelMany,
  periodBounds,
  type PeriodPreset,
  presetPeriod,
  softDeleteBooking,
  throttledEach,
} from "../../../services/admin_bookings.ts";
import { type Actor, BookingError, type StaffSlot } from "../../../services/booking_service.ts";
import { type CallbackCodec, cb, codec } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { today } from "./kit.ts";
import { type DatePeriod, parseDay, parsePeriod } from "../../../domain/date_input.ts";
import type { LocaleKey } from "../../../ui/locale_keys.ts";
import { bookingCard, formatDate, formatTime, formatWhen, statusIcon } from "../../../ui/format.ts";
import { escapeHtml, type Lang, type Translate } from "../../../ui/i18n.ts";
import { sendToUser, userLanguage } from "../../notify.ts";
import { sendCalendarFile } from "../../calendar_notice.ts";
import { ack, button, type Buttons, show } from "../../ui.ts";
import { staffVisibleToClients } from "../../../db/staff_repo.ts";
import { hasRole, requireRole } from "./access_control.ts";

/** The composer of the admin bookings section. */
export const adminBookings = new Composer<BotContext>();

/** Bookings per page in every list. */
export const PAGE_SIZE = 8;
/** The longest cancel reason kept. */
const MAX_REASON = 300;

const int = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const isoDate = z.string().refine((s) => parseIsoDate(s) !== undefined);
const statusFilter = z.enum(["all", "active", "cancelled", "completed", "no_show"]);
/** Which bookings a list shows. */
type StatusFilter = z.output<typeof statusFilter>;
const STATUS_FILTERS: readonly StatusFilter[] = statusFilter.options;
const editField = z.enum(["date", "time", "service", "staff", "name", "phone", "status"]);

/** The buttons of this section (prefixes "ab…" for bookings, "ax…" for the export). */
export const abCb = {
  /** A day's agenda, one page. */
  day: codec("abd", { date: isoDate, page: int }),
  /** Ask for a date to show. */
  dayAsk: codec("abda", {}),
  /** Ask for a client search query. */
  searchAsk: codec("abs", {}),
  /** A page of the last search's results. */
  searchPage: codec("absp", { page: int }),
  /** A filtered list of a period (dates inclusive). */
  list: codec("abl", { st: statusFilter, from: isoDate, to: isoDate, page: int }),
  /** Ask for a custom period of the list. */
  periodAsk: codec("ablp", { st: statusFilter }),
  /** The card of one booking. */
  card: codec("abc", { id: int }),
  /** A client's bookings. */
  history: codec("abh", { uid: int, page: int }),
  /** Start editing one field of a booking. */
  edit: codec("abe", { id: int, f: editField }),
  /** Free time of a day to move a booking to. */
  moveDay: codec("abv", { id: int, date: isoDate }),
  /** Move a booking to a start (epoch seconds) with a staff member. */
  moveSlot: codec("abt", { id: int, start: int, staff: int }),
  /** Change the service (same start). */
  setService: codec("abr", { id: int, svc: int }),
  /** Change the staff member (same start). */
  setStaff: codec("abst", { id: int, staff: int }),
  /** Change the status (cancelling has its own flow). */
  setStatus: codec("abu", { id: int, st: z.enum(["active", "completed", "no_show"]) }),
  /** Ask to cancel a booking (reason as text). */
  cancelAsk: codec("abk", { id: int }),
  /** Cancel without a reason. */
  cancelNoReason: codec("abn", { id: int }),
  /** Ask to delete (soft) a booking. */
  deleteAsk: codec("abx", { id: int }),
  /** Delete (soft) a booking. */
  deleteDo: codec("abxd", { id: int }),
  /** Ask to cancel every active booking of a day. */
  groupAsk: codec("abg", { date: isoDate }),
  /** Cancel the `n` active bookings of a day without a reason. */
  groupDo: codec("abgd", { date: isoDate, n: int }),
  /** The export menu. */
  exportMenu: codec("axm", {}),
  /** Ask for a custom export period. */
  exportAsk: codec("axc", {}),
  /** Export a period as CSV. */
  exportDo: codec("axe", { st: statusFilter, from: isoDate, to: isoDate }),
} as const;

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function actor(ctx: BotContext): Actor {
  return { userId: ctx.from!.id, isAdmin: true };
}

function tz(ctx: BotContext): string {
  return ctx.config.timeZone;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "31.12.2026". */
function shortDate(d: Temporal.PlainDate): string {
  return `${pad(d.day)}.${pad(d.month)}.${d.year}`;
}

function periodText(p: DatePeriod): string {
  return p.from.equals(p.to) ? shortDate(p.from) : `${shortDate(p.from)} – ${shortDate(p.to)}`;
}

/** "Tue, 1 December 2026 10:00". */

function statusWord(t: Translate, status: BookingStatus): string {
  return t(`booking.status_${status}`);
}

function pageInfo(ctx: BotContext, page: number, total: number): string {
  return total > PAGE_SIZE
    ? `\n${ctx.t("admin_bookings.page", { page: page + 1, pages: Math.ceil(total / PAGE_SIZE) })}`
    : "";
}

function lastPage(total: number): number {
  return Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
}

function pager(
  ctx: BotContext,
  page: number,
  hasNext: boolean,
  pack: (page: number) => string,
): Buttons {
  const row = [];
  if (page > 0) {
    row.push(button(ctx.t("admin_bookings.page_prev", { page }), pack(page - 1)));
  }
  if (hasNext) {
    row.push(button(ctx.t("admin_bookings.page_next", { page: page + 2 }), pack(page + 1)));
  }
  return row.length ? [row] : [];
}

/** One line of a list: status, time, service, client, phone, status word. */
function bookingLine(ctx: BotContext, b: Booking, withDate: boolean, withStaff: boolean): string {
  const start = formatTime(b.start, tz(ctx));
  const day = withDate ? `${shortDate(localDate(b.start, tz(ctx)))} ` : "";
  return ctx.t("admin_bookings.line", {
    icon: statusIcon(b.status),
    when: `${day}${start}–${formatTime(b.end, tz(ctx))}`,
    service: b.serviceName,
    staffHtml: withStaff ? escapeHtml(` · ${b.staffName}`) : "",
    name: b.clientName,
    phone: b.phone,
    status: statusWord(ctx.t, b.status),
    id: b.id,
  });
}

function bookingButton(ctx: BotContext, b: Booking, withDate: boolean) {
  const day = withDate ? `${shortDate(localDate(b.start, tz(ctx))).slice(0, 5)} ` : "";
  return [
    button(
      `${statusIcon(b.status)} ${day}${
        formatTime(b.start, tz(ctx))
      } ${b.clientName} · ${b.serviceName}`,
      abCb.card.pack({ id: b.id }),
    ),
  ];
}

function backToMenuRow(ctx: BotContext) {
  return [
    button(ctx.t("admin_bookings.btn_back_menu"), cb.adminSection.pack({ section: "bookings" })),
  ];
}

function clearInput(ctx: BotContext): void {
  if (ctx.session.step === "admin_input") {
    ctx.session.step = "idle";
    ctx.session.admin = undefined;
  }
}

function askInput(ctx: BotContext, admin: Record<string, string | number>): void {
  ctx.session.step = "admin_input";
  ctx.session.admin = admin;
}

function withNotice(notice: string | undefined, text: string): string {
  return notice ? `${notice}\n\n${text}` : text;
}

/**
 * Registers a button handler: the role is checked first (a forged button from someone
 * without it changes nothing and is answered), then the data is parsed, then the button is
 * answered and the handler runs.
 */
function onButton<T extends Record<string, unknown>>(
  c: CallbackCodec<T>,
  need: AdminRole,
  handler: (ctx: BotContext, data: T) => Promise<void>,
): void {
  adminBookings.callbackQuery(c.filter, async (ctx) => {
    if (!(await requireRole(ctx, need))) return;
    const data = c.unpack(ctx.callbackQuery.data);
    if (!data) return ack(ctx, ctx.t("common.button_outdated"));
    await ack(ctx);
    await handler(ctx, data);
  });
}

/** Loads a booking for the card; shows "not found" when it is gone. */
async function loadBooking(ctx: BotContext, id: number): Promise<Booking | undefined> {
  try {
    return ctx.deps.bookings.bookingFor(id, actor(ctx));
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    await show(ctx, ctx.t(`errors.${error.code}`), [backToMenuRow(ctx)]);
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// Menu, day agenda, lists
// ---------------------------------------------------------------------------

/** The bookings section menu. */
export async function showBookingsMenu(ctx: BotContext): Promise<void> {
  const today = ctx.deps.bookings.today();
  const [from, to] = dayBounds(today, tz(ctx));
  const active = countBookingsBetween(ctx.deps.db, { from, to, status: "active" });
  const week = presetPeriod("week", today);
  const rows: Buttons = [
    [
      button(ctx.t("admin_bookings.btn_today"), abCb.day.pack({ date: today.toString(), page: 0 })),
      button(ctx.t("admin_bookings.btn_pick_date"), abCb.dayAsk.pack({})),
    ],
    [button(ctx.t("admin_bookings.btn_search"), abCb.searchAsk.pack({}))],
    [
      button(
        ctx.t("admin_bookings.btn_list"),
        abCb.list.pack({ st: "all", from: week.from.toString(), to: week.to.toString(), page: 0 }),
      ),
    ],
    [button(ctx.t("admin_bookings.btn_export"), abCb.exportMenu.pack({}))],
    [button(ctx.t("admin.back_to_admin"), cb.adminSection.pack({ section: "menu" }))],
  ];
  await show(
    ctx,
    ctx.t("admin_bookings.menu_title", { date: formatDate(today, ctx.lang, tz(ctx)), active }),
    rows,
  );
}

/** A day's agenda: every booking of the day with time, service, client, phone and status. */
async function showDay(
  ctx: BotContext,
  date: Temporal.PlainDate,
  page: number,
  notice?: string,
): Promise<void> {
  const db = ctx.deps.db;
  const [from, to] = dayBounds(date, tz(ctx));
  const total = countBookingsBetween(db, { from, to });
  const active = countBookingsBetween(db, { from, to, status: "active" });
  page = Math.min(page, lastPage(total));
  const bookings = listBookingsBetween(db, {
    from,
    to,
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
  });
  const withStaff = staffVisibleToClients(ctx.deps.db);
  const lines = bookings.map((b) => bookingLine(ctx, b, false, withStaff));
  const text = [
    ctx.t("admin_bookings.day_title", {
      date: formatDate(date, ctx.lang, tz(ctx)),
      total,
      active,
    }) +
    pageInfo(ctx, page, total),
    lines.length ? lines.join("\n") : ctx.t("admin_bookings.day_empty"),
  ].join("\n\n");
  const iso = date.toString();
  const rows: Buttons = bookings.map((b) => bookingButton(ctx, b, false));
  rows.push(
    ...pager(
      ctx,
      page,
      (page + 1) * PAGE_SIZE < total,
      (p) => abCb.day.pack({ date: iso, page: p }),
    ),
  );
  rows.push([
    button(
      `◀️ ${shortDate(date.subtract({ days: 1 })).slice(0, 5)}`,
      abCb.day.pack({ date: date.subtract({ days: 1 }).toString(), page: 0 }),
    ),
    button(
      ctx.t("admin_bookings.btn_today_short"),
      abCb.day.pack({ date: ctx.deps.bookings.today().toString(), page: 0 }),
    ),
    button(
      `${shortDate(date.add({ days: 1 })).slice(0, 5)} ▶️`,
      abCb.day.pack({ date: date.add({ days: 1 }).toString(), page: 0 }),
    ),
  ]);
  rows.push([button(ctx.t("admin_bookings.btn_pick_date"), abCb.dayAsk.pack({}))]);
  if (active > 0 && hasRole(ctx, "admin")) {
    rows.push([
      button(
        ctx.t("admin_bookings.btn_cancel_day", { n: active }),
        abCb.groupAsk.pack({ date: iso }),
      ),
    ]);
  }
  if (total > 0) {
    rows.push([
      button(
        ctx.t("admin_bookings.btn_export_day"),
        abCb.exportDo.pack({ st: "all", from: iso, to: iso }),
      ),
    ]);
  }
  rows.push(backToMenuRow(ctx));
  await show(ctx, withNotice(notice, text), rows);
}

function filterName(ctx: BotContext, st: StatusFilter): string {
  return ctx.t(`admin_bookings.filter_${st}`);
}

/** Bookings of a period with a status filter, paginated, with filter and period buttons. */
async function showList(
  ctx: BotContext,
  st: StatusFilter,
  period: DatePeriod,
  page: number,
): Promise<void> {
  const db = ctx.deps.db;
  const [from, to] = periodBounds(period, tz(ctx));
  const status = st === "all" ? undefined : st;
  const total = countBookingsBetween(db, { from, to, status });
  page = Math.min(page, lastPage(total));
  const bookings = listBookingsBetween(db, {
    from,
    to,
    status,
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
  });
  const withStaff = staffVisibleToClients(ctx.deps.db);
  const text = [
    ctx.t("admin_bookings.list_title", {
      period: periodText(period),
      filter: filterName(ctx, st),
      total,
    }) +
    pageInfo(ctx, page, total),
    bookings.length
      ? bookings.map((b) => bookingLine(ctx, b, true, withStaff)).join("\n")
      : ctx.t("admin_bookings.list_empty"),
  ].join("\n\n");
  const fromIso = period.from.toString();
  const toIso = period.to.toString();
  const rows: Buttons = bookings.map((b) => bookingButton(ctx, b, true));
  rows.push(
    ...pager(
      ctx,
      page,
      (page + 1) * PAGE_SIZE < total,
      (p) => abCb.list.pack({ st, from: fromIso, to: toIso, page: p }),
    ),
  );
  const filterButton = (f: StatusFilter) =>
    button(
      `${f === st ? "✅ " : ""}${filterName(ctx, f)}`,
      abCb.list.pack({ st: f, from: fromIso, to: toIso, page: 0 }),
    );
  rows.push(
    STATUS_FILTERS.slice(0, 3).map(filterButton),
    STATUS_FILTERS.slice(3).map(filterButton),
  );
  const today = ctx.deps.bookings.today();
  const presetButton = (preset: PeriodPreset) => {
    const p = presetPeriod(preset, today);
    const current = p.from.equals(period.from) && p.to.equals(period.to);
    return button(
      `${current ? "✅ " : ""}${ctx.t(`admin_bookings.period_${preset}`)}`,
      abCb.list.pack({ st, from: p.from.toString(), to: p.to.toString(), page: 0 }),
    );
  };
  rows.push([presetButton("today"), presetButton("week"), presetButton("month")]);
  rows.push([button(ctx.t("admin_bookings.period_custom"), abCb.periodAsk.pack({ st }))]);
  if (total > 0) {
    rows.push([
      button(
        ctx.t("admin_bookings.btn_export_list"),
        abCb.exportDo.pack({ st, from: fromIso, to: toIso }),
      ),
    ]);
  }
  rows.push(backToMenuRow(ctx));
  await show(ctx, text, rows);
}

/** One page of the results of the client search kept in the session. */
async function showSearch(ctx: BotContext, page: number): Promise<void> {
  const query = ctx.session.admin?.query;
  if (typeof query !== "string") {
    await show(ctx, ctx.t("admin_bookings.search_expired"), [
      [button(ctx.t("admin_bookings.btn_search"), abCb.searchAsk.pack({}))],
      backToMenuRow(ctx),
    ]);
    return;
  }
  const found = searchBookingsByClient(ctx.deps.db, query, PAGE_SIZE + 1, page * PAGE_SIZE);
  const bookings = found.slice(0, PAGE_SIZE);
  const withStaff = staffVisibleToClients(ctx.deps.db);
  const text = [
    ctx.t("admin_bookings.search_title", { query, page: page + 1 }),
    bookings.length
      ? bookings.map((b) => bookingLine(ctx, b, true, withStaff)).join("\n")
      : ctx.t("admin_bookings.search_empty"),
  ].join("\n\n");
  const rows: Buttons = bookings.map((b) => bookingButton(ctx, b, true));
  rows.push(
    ...pager(ctx, page, found.length > PAGE_SIZE, (p) => abCb.searchPage.pack({ page: p })),
  );
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
    backToMenuRow(ctx),
  );
  await show(ctx, text, rows);
}

/** All bookings of one client, newest first. */
async function showHistory(ctx: BotContext, userId: number, page: number): Promise<void> {
  // "Past" relative to the end of time is every booking of the client, newest first.
  const all = (offset: number) =>
    listUserBookings(ctx.deps.db, userId, "past", Number.MAX_SAFE_INTEGER, PAGE_SIZE, offset);
  let { rows: bookings, total } = all(page * PAGE_SIZE);
  if (bookings.length === 0 && page > 0) {
    page = lastPage(total);
    ({ rows: bookings, total } = all(page * PAGE_SIZE));
  }
  const user = getUser(ctx.deps.db, userId);
  const name = bookings[0]?.clientName ?? user?.firstName ?? String(userId);
  const withStaff = staffVisibleToClients(ctx.deps.db);
  const text = [
    ctx.t("admin_bookings.history_title", {
      name,
      id: userId,
      usernameHtml: user?.username ? escapeHtml(` · @${user.username}`) : "",
      total,
    }) + pageInfo(ctx, page, total),
    bookings.length
      ? bookings.map((b) => bookingLine(ctx, b, true, withStaff)).join("\n")
      : ctx.t("admin_bookings.list_empty"),
  ].join("\n\n");
  const rows: Buttons = bookings.map((b) => bookingButton(ctx, b, true));
  rows.push(
    ...pager(
      ctx,
      page,
      (page + 1) * PAGE_SIZE < total,
      (p) => abCb.history.pack({ uid: userId, page: p }),
    ),
  );
  rows.push(backToMenuRow(ctx));
  await show(ctx, text, rows);
}

// ---------------------------------------------------------------------------
// The booking card and its editor
// ---------------------------------------------------------------------------

function clientLink(ctx: BotContext, b: Booking): string {
  const user = getUser(ctx.deps.db, b.userId);
  const name = escapeHtml(
    user ? [user.firstName, user.lastName].filter(Boolean).join(" ") : b.clientName,
  );
  const link = `<a href="tg://user?id=${b.userId}">${name || b.userId}</a>`;
  return user?.username ? `${link} (@${escapeHtml(user.username)})` : link;
}

/** The card of a booking with the editor's buttons (for admins) and navigation. */
async function showCard(ctx: BotContext, b: Booking, notice?: string): Promise<void> {
  const t = ctx.t;
  const withStaff = staffVisibleToClients(ctx.deps.db);
  const lines = [
    t("admin_bookings.card_title", { id: b.id }),
    bookingCard(b, t, ctx.lang, tz(ctx), { showStaff: withStaff }),
    t("admin_bookings.card_client", { clientHtml: clientLink(ctx, b), userId: b.userId }),
    t("admin_bookings.card_created", { when: formatWhen(b.createdAt, ctx.lang, tz(ctx)) }),
  ];
  if (b.confirmedAt !== null && b.status === "active") {
    lines.push(t("admin_bookings.card_confirmed"));
  }
  if (b.status === "cancelled" && b.cancelledAt !== null) {
    lines.push(
      t("admin_bookings.card_cancelled", { when: formatWhen(b.cancelledAt, ctx.lang, tz(ctx)) }),
    );
  }
  const rows: Buttons = [];
  if (hasRole(ctx, "admin")) {
    const edit = (f: z.output<typeof editField>) =>
      button(t(`admin_bookings.btn_edit_${f}`), abCb.edit.pack({ id: b.id, f }));
    if (b.status === "active") {
      rows.push([edit("date"), edit("time"), edit("service")]);
      if (withStaff) rows.push([edit("staff")]);
    }
    rows.push([edit("name"), edit("phone"), edit("status")]);
    const last = [];
    if (b.status === "active") {
      last.push(button(t("admin_bookings.btn_cancel"), abCb.cancelAsk.pack({ id: b.id })));
    }
    last.push(button(t("admin_bookings.btn_delete"), abCb.deleteAsk.pack({ id: b.id })));
    rows.push(last);
  }
  rows.push([
    button(t("admin_bookings.btn_client_history"), abCb.history.pack({ uid: b.userId, page: 0 })),
  ]);
  rows.push([
    button(
      t("admin_bookings.btn_back_day"),
      abCb.day.pack({ date: localDate(b.start, tz(ctx)).toString(), page: 0 }),
    ),
    ...backToMenuRow(ctx),
  ]);
  await show(ctx, withNotice(notice, lines.join("\n")), rows);
}

/** Shows the card again with the reason a change was refused. */
async function refused(ctx: BotContext, id: number, error: unknown): Promise<void> {
  if (!(error instanceof BookingError) && !(error instanceof AdminBookingError)) throw error;
  const notice = error instanceof BookingError
    ? ctx.t(`errors.${error.code}`)
    : ctx.t(`admin_bookings.error_${error.code}`);
  const b = await loadBooking(ctx, id);
  if (b) await showCard(ctx, b, notice);
}

/** The fields whose change the client is told about. */
type ChangeField = "when" | "service" | "staff" | "name" | "phone" | "status";

/** The lines "what: old → new" for everything that differs, in one language. */
export function describeChanges(
  before: Booking,
  after: Booking,
  t: Translate,
  lang: Lang,
  timeZone: string,
): string[] {
  const lines: string[] = [];
  const add = (key: ChangeField, oldValue: string, newValue: string) => {
    if (oldValue !== newValue) {
      lines.push(t(`admin_bookings.change_${key}`, { old: oldValue, new: newValue }));
    }
  };
  add("when", formatWhen(before.start, lang, timeZone), formatWhen(after.start, lang, timeZone));
  add("service", before.serviceName, after.serviceName);
  add("staff", before.staffName, after.staffName);
  add("name", before.clientName, after.clientName);
  add("phone", before.phone, after.phone);
  add("status", statusWord(t, before.status), statusWord(t, after.status));
  return lines;
}

/** Tells the client what an admin changed; returns whether the message was delivered. */
async function tellClientChanged(
  ctx: BotContext,
  before: Booking,
  after: Booking,
): Promise<boolean> {
  const showStaff = staffVisibleToClients(ctx.deps.db);
  const { t: clientT } = userLanguage(ctx.deps, after.userId);
  const moved = before.start !== after.start || before.end !== after.end;
  if (moved) await sendCalendarFile(ctx.api, ctx.deps, after, "moved", ctx.me.username);
  return await sendToUser(
    ctx.api,
    ctx.deps,
    after.userId,
    (t, lang) =>
      t("admin_bookings.client_changed", {
        id: after.id,
        changesHtml: describeChanges(before, after, t, lang, tz(ctx)).join("\n"),
        cardHtml: bookingCard(after, t, lang, tz(ctx), { showStaff }),
      }),
    {
      reply_markup: {
        inline_keyboard: [[
          button(clientT("admin_bookings.client_btn_open"), cb.myBooking.pack({ id: after.id })),
        ]],
      },
    },
  );
}

/** Tells the client their booking was cancelled (with the reason on the card). */
async function tellClientCancelled(ctx: BotContext, b: Booking): Promise<boolean> {
  const showStaff = staffVisibleToClients(ctx.deps.db);
  const { t: clientT } = userLanguage(ctx.deps, b.userId);
  await sendCalendarFile(ctx.api, ctx.deps, b, "cancelled", ctx.me.username);
  return sendToUser(ctx.api, ctx.deps, b.userId, (t, lang) =>
    t("admin_bookings.client_cancelled", {
      id: b.id,
      cardHtml: bookingCard(b, t, lang, tz(ctx), { showStaff }),
    }), {
    reply_markup: {
      inline_keyboard: [[
        button(clientT("admin_bookings.client_btn_book"), cb.menu.pack({ item: "book" })),
      ]],
    },
  });
}

/**
 * Runs one change of a booking through the engine; on success tells the client what changed
 * and shows the card with a confirmation, on refusal shows the card with the reason.
 */
async function applyChange(
  ctx: BotContext,
  id: number,
  change: (before: Booking) => Booking,
  onRefused?: (error: BookingError, before: Booking) => Promise<void>,
): Promise<void> {
  const before = await loadBooking(ctx, id);
  if (!before) return;
  let after: Booking;
  try {
    after = change(before);
  } catch (error) {
    if (error instanceof BookingError && onRefused) return onRefused(error, before);
    return refused(ctx, id, error);
  }
  await finishChange(ctx, before, after);
}

/** After a change: tell the client what changed and show the card with a confirmation. */
async function finishChange(ctx: BotContext, before: Booking, after: Booking): Promise<void> {
  if (describeChanges(before, after, ctx.t, ctx.lang, tz(ctx)).length === 0) {
    return showCard(ctx, after, ctx.t("admin_bookings.nothing_changed"));
  }
  ctx.deps.logger.info("Booking changed by admin", { bookingId: after.id, adminId: ctx.from!.id });
  const delivered = await tellClientChanged(ctx, before, after);
  await showCard(
    ctx,
    after,
    ctx.t(delivered ? "admin_bookings.saved_notified" : "admin_bookings.saved_not_notified"),
  );
}

/** The days an admin may move a booking to: the next two weeks, plus typing a date. */
async function showMoveDates(ctx: BotContext, b: Booking): Promise<void> {
  const today = ctx.deps.bookings.today();
  const rows: Buttons = [];
  for (let week = 0; week < 2; week++) {
    const row = [];
    for (let i = 0; i < 7; i++) {
      const d = today.add({ days: week * 7 + i });
      row.push(
        button(
          `${pad(d.day)}.${pad(d.month)}`,
          abCb.moveDay.pack({ id: b.id, date: d.toString() }),
        ),
      );
    }
    rows.push(row.slice(0, 4), row.slice(4));
  }
  rows.push([button(ctx.t("admin_bookings.btn_back_card"), abCb.card.pack({ id: b.id }))]);
  askInput(ctx, { kind: "ab_move_date", id: b.id });
  await show(
    ctx,
    ctx.t("admin_bookings.choose_day", { id: b.id, service: b.serviceName, name: b.clientName }),
    rows,
  );
}

/** The free starts of one day for a booking (its service and staff member), as buttons. */
async function showMoveDay(
  ctx: BotContext,
  b: Booking,
  date: Temporal.PlainDate,
  notice?: string,
): Promise<void> {
  let slots: StaffSlot[] = [];
  let problem: string | undefined;
  try {
    slots = ctx.deps.bookings.freeSlots(b.serviceId, b.staffId, date, b.id);
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    problem = ctx.t(`errors.${error.code}`);
  }
  const params = {
    id: b.id,
    service: b.serviceName,
    name: b.clientName,
    date: formatDate(date, ctx.lang, tz(ctx)),
  };
  const title = slots.length
    ? ctx.t("admin_bookings.move_day_title", params)
    : ctx.t("admin_bookings.move_day_empty", params);
  const rows: Buttons = [];
  for (let i = 0; i < slots.length; i += 4) {
    rows.push(
      slots.slice(i, i + 4).map((s) =>
        button(
          s.label,
          abCb.moveSlot.pack({ id: b.id, start: Math.floor(s.start / 1000), staff: s.staffId }),
        )
      ),
    );
  }
  rows.push([
    button(
      `◀️ ${shortDate(date.subtract({ days: 1 })).slice(0, 5)}`,
      abCb.moveDay.pack({ id: b.id, date: date.subtract({ days: 1 }).toString() }),
    ),
    button(
      `${shortDate(date.add({ days: 1 })).slice(0, 5)} ▶️`,
      abCb.moveDay.pack({ id: b.id, date: date.add({ days: 1 }).toString() }),
    ),
  ]);
  rows.push([
    button(ctx.t("admin_bookings.btn_other_day"), abCb.edit.pack({ id: b.id, f: "date" })),
  ]);
  rows.push([button(ctx.t("admin_bookings.btn_back_card"), abCb.card.pack({ id: b.id }))]);
  const text = [notice, problem, title].filter(Boolean).join("\n\n");
  await show(ctx, text, rows);
}

/** The editor of one field: a choice of values, or a prompt for typed input. */
function showEditor(
  ctx: BotContext,
  b: Booking,
  f: z.output<typeof editField>,
): Promise<void> {
  const t = ctx.t;
  const back = [button(t("admin_bookings.btn_back_card"), abCb.card.pack({ id: b.id }))];
  const start = formatWhen(b.start, ctx.lang, tz(ctx));
  switch (f) {
    case "date":
      if (b.status !== "active") return showCard(ctx, b, t("errors.not_active"));
      return showMoveDates(ctx, b);
    case "time":
      if (b.status !== "active") return showCard(ctx, b, t("errors.not_active"));
      return showMoveDay(ctx, b, localDate(b.start, tz(ctx)));
    case "service": {
      if (b.status !== "active") return showCard(ctx, b, t("errors.not_active"));
      const services = listBookableServices(ctx.deps.db).filter((s) => s.id !== b.serviceId);
      const rows: Buttons = services.map((s) => [
        button(
          `${s.name} · ${s.durationMinutes} ${t("admin_bookings.minutes")}`,
          abCb.setService.pack({ id: b.id, svc: s.id }),
        ),
      ]);
      rows.push(back);
      const title = t("admin_bookings.choose_service", { id: b.id, start });
      return show(
        ctx,
        services.length ? title : `${title}\n\n${t("admin_bookings.no_other_services")}`,
        rows,
      );
    }
    case "staff": {
      if (b.status !== "active") return showCard(ctx, b, t("errors.not_active"));
      const staff = listActiveStaff(ctx.deps.db).filter((s) => s.id !== b.staffId);
      const rows: Buttons = staff.map((
        s,
      ) => [button(s.name, abCb.setStaff.pack({ id: b.id, staff: s.id }))]);
      rows.push(back);
      const title = t("admin_bookings.choose_staff", { id: b.id, start });
      return show(
        ctx,
        staff.length ? title : `${title}\n\n${t("admin_bookings.no_other_staff")}`,
        rows,
      );
    }
    case "name":
    case "phone":
      askInput(ctx, { kind: f === "name" ? "ab_name" : "ab_phone", id: b.id });
      return show(
        ctx,
        t(`admin_bookings.ask_${f}`, { id: b.id, name: b.clientName, phone: b.phone }),
        [back],
      );
    case "status": {
      const choices = (["active", "completed", "no_show"] as const).filter((s) => s !== b.status);
      const rows: Buttons = choices.map((s) => [
        button(`${statusIcon(s)} ${statusWord(t, s)}`, abCb.setStatus.pack({ id: b.id, st: s })),
      ]);
      if (b.status === "active") {
        rows.push([
          button(
            `${statusIcon("cancelled")} ${statusWord(t, "cancelled")}`,
            abCb.cancelAsk.pack({ id: b.id }),
          ),
        ]);
      }
      rows.push(back);
      return show(
        ctx,
        t("admin_bookings.choose_status", { id: b.id, status: statusWord(t, b.status) }),
        rows,
      );
    }
  }
}

/** Cancels one booking (with an optional reason), tells the client, shows the card. */
async function cancelOne(ctx: BotContext, id: number, reason: string | null): Promise<void> {
  clearInput(ctx);
  let cancelled: Booking;
  try {
    cancelled = ctx.deps.bookings.cancelBooking(id, actor(ctx), reason);
  } catch (error) {
    return refused(ctx, id, error);
  }
  ctx.deps.metrics.bookingsCancelledTotal.inc();
  ctx.deps.logger.info("Booking cancelled by admin", { bookingId: id, adminId: ctx.from!.id });
  const delivered = await tellClientCancelled(ctx, cancelled);
  await showCard(
    ctx,
    cancelled,
    ctx.t(
      delivered ? "admin_bookings.cancelled_notified" : "admin_bookings.cancelled_not_notified",
    ),
  );
}

async function askGroupCancel(
  ctx: BotContext,
  date: Temporal.PlainDate,
  notice?: string,
): Promise<void> {
  const n = activeBookingsOfDay(ctx.deps.db, date, tz(ctx)).length;
  if (n === 0) {
    clearInput(ctx);
    return showDay(ctx, date, 0, ctx.t("admin_bookings.group_none"));
  }
  const iso = date.toString();
  askInput(ctx, { kind: "ab_group_reason", date: iso, n });
  await show(
    ctx,
    withNotice(
      notice,
      ctx.t("admin_bookings.group_ask", { date: formatDate(date, ctx.lang, tz(ctx)), n }),
    ),
    [
      [button(ctx.t("admin_bookings.btn_group_yes", { n }), abCb.groupDo.pack({ date: iso, n }))],
      [button(ctx.t("admin_bookings.btn_no"), abCb.day.pack({ date: iso, page: 0 }))],
    ],
  );
}

/**
 * Cancels every active booking of a day (each through the engine, each audited), then tells
 * the clients one by one through a throttled loop and reports the counts.
 */
async function groupCancel(
  ctx: BotContext,
  date: Temporal.PlainDate,
  expected: number,
  reason: string | null,
): Promise<void> {
  const ids = activeBookingsOfDay(ctx.deps.db, date, tz(ctx)).map((b) => b.id);
  if (ids.length !== expected) {
    return askGroupCancel(ctx, date, ctx.t("admin_bookings.group_changed", { n: ids.length }));
  }
  clearInput(ctx);
  const { cancelled, skipped } = cancelMany(ctx.deps.bookings, ids, actor(ctx), reason);
  ctx.deps.metrics.bookingsCancelledTotal.inc(undefined, cancelled.length);
  ctx.deps.logger.info("Day cancelled by admin", {
    date: date.toString(),
    cancelled: cancelled.length,
    adminId: ctx.from!.id,
  });
  const notified = await throttledEach(cancelled, (b) => tellClientCancelled(ctx, b));
  const report = [ctx.t("admin_bookings.group_done", { cancelled: cancelled.length, notified })];
  if (skipped) report.push(ctx.t("admin_bookings.group_skipped", { n: skipped }));
  await showDay(ctx, date, 0, report.join("\n"));
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

async function showExportMenu(ctx: BotContext): Promise<void> {
  const today = ctx.deps.bookings.today();
  const presetButton = (preset: PeriodPreset) => {
    const p = presetPeriod(preset, today);
    return button(
      ctx.t(`admin_bookings.period_${preset}`),
      abCb.exportDo.pack({ st: "all", from: p.from.toString(), to: p.to.toString() }),
    );
  };
  await show(ctx, ctx.t("admin_bookings.export_title"), [
    [presetButton("today"), presetButton("week"), presetButton("month")],
    [button(ctx.t("admin_bookings.period_custom"), abCb.exportAsk.pack({}))],
    backToMenuRow(ctx),
  ]);
}

/** Sends the bookings of a period as a CSV document (streamed in pages). */
async function exportPeriod(ctx: BotContext, period: DatePeriod, st: StatusFilter): Promise<void> {
  const [from, to] = periodBounds(period, tz(ctx));
  const status = st === "all" ? undefined : st;
  const count = countBookingsBetween(ctx.deps.db, { from, to, status });
  const periodLabel = periodText(period);
  if (count === 0) {
    await ctx.reply(ctx.t("admin_bookings.export_empty", { period: periodLabel }), {});
    return;
  }
  const t = ctx.t;
  const labels = {
    header: ([
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
    ] as const)
      .map((c) => t(`admin_bookings.csv_${c}`)),
    status: (s: BookingStatus) => statusWord(t, s),
  };
  const filename = `bookings-${period.from}_${period.to}${status ? `-${status}` : ""}.csv`;
  const db = ctx.deps.db;
  const timeZone = tz(ctx);
  ctx.deps.logger.info("Bookings exported", {
    adminId: ctx.from!.id,
    from: period.from.toString(),
    to: period.to.toString(),
    count,
  });
  await ctx.replyWithDocument(
    new InputFile(() => bookingsCsv(db, { from, to, status }, timeZone, labels), filename),
    {
      caption: t("admin_bookings.export_caption", {
        period: periodLabel,
        filter: filterName(ctx, st),
        count,
      }),
    },
  );
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

adminBookings.callbackQuery(cb.adminSection.filter, async (ctx, next) => {
  if (cb.adminSection.unpack(ctx.callbackQuery.data)?.section !== "bookings") return next();
  if (!(await requireRole(ctx, "viewer"))) return;
  await ack(ctx);
  clearInput(ctx);
  await showBookingsMenu(ctx);
});

onButton(abCb.day, "viewer", async (ctx, { date, page }) => {
  clearInput(ctx);
  await showDay(ctx, parseIsoDate(date)!, page);
});

onButton(abCb.dayAsk, "viewer", async (ctx) => {
  askInput(ctx, { kind: "ab_date" });
  await show(ctx, ctx.t("admin_bookings.ask_date"), [backToMenuRow(ctx)]);
});

onButton(abCb.searchAsk, "viewer", async (ctx) => {
  askInput(ctx, { kind: "ab_search" });
  await show(ctx, ctx.t("admin_bookings.ask_search"), [backToMenuRow(ctx)]);
});

onButton(abCb.searchPage, "viewer", async (ctx, { page }) => {
  await showSearch(ctx, page);
});

onButton(abCb.list, "viewer", async (ctx, { st, from, to, page }) => {
  clearInput(ctx);
  const a = parseIsoDate(from)!;
  const b = parseIsoDate(to)!;
  const period = Temporal.PlainDate.compare(a, b) <= 0 ? { from: a, to: b } : { from: b, to: a };
  await showList(ctx, st, period, page);
});

onButton(abCb.periodAsk, "viewer", async (ctx, { st }) => {
  askInput(ctx, { kind: "ab_period", st });
  await show(ctx, ctx.t("admin_bookings.ask_period"), [backToMenuRow(ctx)]);
});

onButton(abCb.card, "viewer", async (ctx, { id }) => {
  clearInput(ctx);
  const b = await loadBooking(ctx, id);
  if (b) await showCard(ctx, b);
});

onButton(abCb.history, "viewer", async (ctx, { uid, page }) => {
  clearInput(ctx);
  await showHistory(ctx, uid, page);
});

onButton(abCb.edit, "admin", async (ctx, { id, f }) => {
  clearInput(ctx);
  const b = await loadBooking(ctx, id);
  if (b) await showEditor(ctx, b, f);
});

onButton(abCb.moveDay, "admin", async (ctx, { id, date }) => {
  clearInput(ctx);
  const b = await loadBooking(ctx, id);
  if (!b) return;
  if (b.status !== "active") return showCard(ctx, b, ctx.t("errors.not_active"));
  await showMoveDay(ctx, b, parseIsoDate(date)!);
});

onButton(abCb.moveSlot, "admin", async (ctx, { id, start, staff }) => {
  await applyChange(
    ctx,
    id,
    () => ctx.deps.bookings.rescheduleBooking(id, actor(ctx), { start: start * 1000, staff }),
    async (error, before) => {
      if (error.code === "not_found" || error.code === "not_active") return refused(ctx, id, error);
      // Show why, with the free time of the day that was asked for.
      await showMoveDay(
        ctx,
        before,
        localDate(start * 1000, tz(ctx)),
        ctx.t(`errors.${error.code}`),
      );
    },
  );
});

onButton(abCb.setService, "admin", async (ctx, { id, svc }) => {
  await applyChange(
    ctx,
    id,
    (b) => ctx.deps.bookings.rescheduleBooking(id, actor(ctx), { start: b.start, serviceId: svc }),
  );
});

onButton(abCb.setStaff, "admin", async (ctx, { id, staff }) => {
  await applyChange(
    ctx,
    id,
    (b) => ctx.deps.bookings.rescheduleBooking(id, actor(ctx), { start: b.start, staff }),
  );
});

onButton(abCb.setStatus, "admin", async (ctx, { id, st }) => {
  await applyChange(ctx, id, () => ctx.deps.bookings.setStatus(id, actor(ctx), st));
});

onButton(abCb.cancelAsk, "admin", async (ctx, { id }) => {
  const b = await loadBooking(ctx, id);
  if (!b) return;
  if (b.status !== "active") return showCard(ctx, b, ctx.t("errors.not_active"));
  askInput(ctx, { kind: "ab_reason", id });
  await show(
    ctx,
    ctx.t("admin_bookings.cancel_ask", {
      id,
      cardHtml: bookingCard(b, ctx.t, ctx.lang, tz(ctx), {
        showStaff: staffVisibleToClients(ctx.deps.db),
      }),
    }),
    [
      [button(ctx.t("admin_bookings.btn_cancel_no_reason"), abCb.cancelNoReason.pack({ id }))],
      [button(ctx.t("admin_bookings.btn_back_card"), abCb.card.pack({ id }))],
    ],
  );
});

onButton(abCb.cancelNoReason, "admin", async (ctx, { id }) => {
  await cancelOne(ctx, id, null);
});

onButton(abCb.deleteAsk, "admin", async (ctx, { id }) => {
  clearInput(ctx);
  const b = await loadBooking(ctx, id);
  if (!b) return;
  if (b.status === "active" && b.end > ctx.deps.clock.now()) {
    return showCard(ctx, b, ctx.t("admin_bookings.error_cancel_first"));
  }
  await show(ctx, ctx.t("admin_bookings.delete_ask", { id }), [
    [button(ctx.t("admin_bookings.btn_delete_yes"), abCb.deleteDo.pack({ id }))],
    [button(ctx.t("admin_bookings.btn_no"), abCb.card.pack({ id }))],
  ]);
});

onButton(abCb.deleteDo, "admin", async (ctx, { id }) => {
  let deleted: Booking;
  try {
    deleted = softDeleteBooking(ctx.deps.db, id, ctx.from!.id, ctx.deps.clock.now());
  } catch (error) {
    return refused(ctx, id, error);
  }
  ctx.deps.logger.info("Booking deleted (soft) by admin", { bookingId: id, adminId: ctx.from!.id });
  await showDay(ctx, localDate(deleted.start, tz(ctx)), 0, ctx.t("admin_bookings.deleted", { id }));
});

onButton(abCb.groupAsk, "admin", async (ctx, { date }) => {
  await askGroupCancel(ctx, parseIsoDate(date)!);
});

onButton(abCb.groupDo, "admin", async (ctx, { date, n }) => {
  await groupCancel(ctx, parseIsoDate(date)!, n, null);
});

onButton(abCb.exportMenu, "viewer", async (ctx) => {
  clearInput(ctx);
  await showExportMenu(ctx);
});

onButton(abCb.exportAsk, "viewer", async (ctx) => {
  askInput(ctx, { kind: "ab_export" });
  await show(ctx, ctx.t("admin_bookings.ask_period"), [backToMenuRow(ctx)]);
});

onButton(abCb.exportDo, "viewer", async (ctx, { st, from, to }) => {
  const a = parseIsoDate(from)!;
  const b = parseIsoDate(to)!;
  const period = Temporal.PlainDate.compare(a, b) <= 0 ? { from: a, to: b } : { from: b, to: a };
  await exportPeriod(ctx, period, st);
});

/** Typed input kinds and the role each needs. */
const INPUT_ROLES: Record<string, AdminRole> = {
  ab_date: "viewer",
  ab_search: "viewer",
  ab_period: "viewer",
  ab_export: "viewer",
  ab_move_date: "admin",
  ab_name: "admin",
  ab_phone: "admin",
  ab_reason: "admin",
  ab_group_reason: "admin",
};

adminBookings.on("message:text", async (ctx, next) => {
  const state = ctx.session.admin;
  const kind = state?.kind;
  if (
    ctx.session.step !== "admin_input" || typeof kind !== "string" ||
    !Object.hasOwn(INPUT_ROLES, kind) ||
    ctx.message.text.startsWith("/")
  ) {
    return next();
  }
  if (!(await requireRole(ctx, INPUT_ROLES[kind]))) {
    clearInput(ctx);
    return;
  }
  const text = ctx.message.text.trim();
  const id = Number(state?.id ?? 0);
  const again = async (key: LocaleKey, params?: Record<string, string | number>) => {
    await ctx.reply(ctx.t(key, params));
  };
  switch (kind) {
    case "ab_date": {
      const date = parseDay(text, today(ctx));
      if (!date.ok) return again("admin_bookings.bad_date");
      clearInput(ctx);
      return showDay(ctx, date.value, 0);
    }
    case "ab_search": {
      if ([...text].length < 2 || [...text].length > 100) {
        return again("admin_bookings.search_too_short");
      }
      ctx.session.step = "idle";
      ctx.session.admin = { query: text };
      return showSearch(ctx, 0);
    }
    case "ab_period":
    case "ab_export": {
      const parsed = parsePeriod(text, { today: today(ctx) });
      if (!parsed.ok) return again("admin_bookings.bad_period");
      const period = parsed.value;
      const st = statusFilter.safeParse(state?.st).data ?? "all";
      clearInput(ctx);
      return kind === "ab_period" ? showList(ctx, st, period, 0) : exportPeriod(ctx, period, st);
    }
    case "ab_move_date": {
      const date = parseDay(text, today(ctx));
      if (!date.ok) return again("admin_bookings.bad_date");
      clearInput(ctx);
      const b = await loadBooking(ctx, id);
      if (!b) return;
      if (b.status !== "active") return showCard(ctx, b, ctx.t("errors.not_active"));
      return showMoveDay(ctx, b, date.value);
    }
    case "ab_name":
    case "ab_phone": {
      const contact = kind === "ab_name" ? { clientName: text } : { phone: text };
      try {
        // Validate first so a typo keeps the dialog open for another try.
        const before = ctx.deps.bookings.bookingFor(id, actor(ctx));
        const after = ctx.deps.bookings.updateContact(id, actor(ctx), contact);
        clearInput(ctx);
        await finishChange(ctx, before, after);
      } catch (error) {
        if (
          error instanceof BookingError &&
          ["name_length", "name_chars", "phone_format"].includes(error.code)
        ) {
          return again(`errors.${error.code}`);
        }
        clearInput(ctx);
        return refused(ctx, id, error);
      }
      return;
    }
    case "ab_reason": {
      if ([...text].length > MAX_REASON) {
        return again("admin_bookings.reason_too_long", { max: MAX_REASON });
      }
      return cancelOne(ctx, id, text || null);
    }
    case "ab_group_reason": {
      if ([...text].length > MAX_REASON) {
        return again("admin_bookings.reason_too_long", { max: MAX_REASON });
      }
      const date = parseIsoDate(String(state?.date ?? ""));
      if (!date) {
        clearInput(ctx);
        return showBookingsMenu(ctx);
      }
      return groupCancel(ctx, date, Number(state?.n ?? 0), text || null);
    }
  }
});
