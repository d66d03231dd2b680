/**
 * Pure pieces of the bookings screens: a booking's line and button in a list, and a page of
 * a list with its pager. No Telegram here, so a unit test renders them.
 */
import type { InlineKeyboardButton } from "grammy/types";
import type { Booking, BookingStatus } from "../../../../db/bookings_repo.ts";
import type { DatePeriod } from "../../../../domain/date_input.ts";
import { localDate } from "../../../../domain/time.ts";
import { button, type Buttons } from "../../../../ui/buttons.ts";
import { formatTime, statusIcon } from "../../../../ui/format.ts";
import { escapeHtml, type Translate } from "../../../../ui/i18n.ts";
import { type Page, pageInfo, pagerRow } from "../../../../ui/paging.ts";
import { abCb } from "./codecs.ts";

/** How the bookings of a list are shown. */
export interface ListStyle {
  timeZone: string;
  /** Lists of more than one day show each booking's date. */
  withDate: boolean;
  /** Masters are named when more than one is active. */
  withStaff: boolean;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "31.12.2026". */
export function shortDate(d: Temporal.PlainDate): string {
  return `${pad(d.day)}.${pad(d.month)}.${d.year}`;
}

/** "31.12": a day on a button. */
export function dayMonth(d: Temporal.PlainDate): string {
  return shortDate(d).slice(0, 5);
}

/** "01.12.2026" or "01.12.2026 – 31.12.2026". */
export function periodText(p: DatePeriod): string {
  return p.from.equals(p.to) ? shortDate(p.from) : `${shortDate(p.from)} – ${shortDate(p.to)}`;
}

/** The word for a status ("Active"). */
export function statusWord(t: Translate, status: BookingStatus): string {
  return t(`booking.status_${status}`);
}

/** One line of a list: status, time, service, master, client, phone, status word. */
export function bookingLine(b: Booking, t: Translate, style: ListStyle): string {
  const start = formatTime(b.start, style.timeZone);
  const day = style.withDate ? `${shortDate(localDate(b.start, style.timeZone))} ` : "";
  return t("admin_bookings.line", {
    icon: statusIcon(b.status),
    when: `${day}${start}–${formatTime(b.end, style.timeZone)}`,
    service: b.serviceName,
    staffHtml: style.withStaff ? escapeHtml(` · ${b.staffName}`) : "",
    name: b.clientName,
    phone: b.phone,
    status: statusWord(t, b.status),
    id: b.id,
  });
}

/** The button opening a booking's card (the deleted ones' card for a deleted booking). */
export function bookingButton(b: Booking, style: ListStyle): InlineKeyboardButton[] {
  const open = b.deletedAt === null ? abCb.card : abCb.deletedCard;
  const day = style.withDate ? `${dayMonth(localDate(b.start, style.timeZone))} ` : "";
  const time = formatTime(b.start, style.timeZone);
  return [
    button(
      `${statusIcon(b.status)} ${day}${time} ${b.clientName} · ${b.serviceName}`,
      open.pack({ id: b.id }),
    ),
  ];
}

/** The pager row of a list of bookings ("◀️ Page 1", "Page 3 ▶️"), empty for one page. */
export function listPager(t: Translate, page: Page, pack: (page: number) => string) {
  return pagerRow(page, pack, {
    prev: (n) => t("admin_bookings.page_prev", { page: n + 1 }),
    next: (n) => t("admin_bookings.page_next", { page: n + 1 }),
  });
}

/** What one page of a list of bookings shows. */
export interface BookingPage {
  /** The title above the list (HTML). */
  title: string;
  /** The page; "Page 2 of 5" is added to the title when there is more than one. */
  page: Page;
  bookings: readonly Booking[];
  style: ListStyle;
  /** The text shown instead of an empty list. */
  empty: string;
  /** Encodes the button of another page. */
  pack: (page: number) => string;
  /** Leave out "Page 2 of 5" (the search does not count its results). */
  noPageInfo?: boolean;
  /** Admins' day agenda: visits ended before this instant get "⚪️ Didn't come" beside them. */
  noShowBefore?: number;
}

/** Whether a visit has ended unmarked (active or completed) before `now`: a no-show can be set. */
export function mayMarkNoShow(b: Booking, now: number): boolean {
  return b.deletedAt === null && (b.status === "active" || b.status === "completed") &&
    b.end <= now;
}

/** The text and the rows (a button per booking, then the pager) of a page of bookings. */
export function bookingPage(m: BookingPage, t: Translate): { text: string; rows: Buttons } {
  const info = m.noPageInfo ? "" : pageInfo(t, m.page);
  const body = m.bookings.length
    ? m.bookings.map((b) => bookingLine(b, t, m.style)).join("\n")
    : m.empty;
  const rows: Buttons = m.bookings.map((b) => {
    const row = bookingButton(b, m.style);
    if (m.noShowBefore !== undefined && mayMarkNoShow(b, m.noShowBefore)) {
      const data = abCb.setStatus.pack({ id: b.id, st: "no_show" });
      row.push(button(t("admin_bookings.btn_no_show"), data));
    }
    return row;
  });
  const pager = listPager(t, m.page, m.pack);
  if (pager.length) rows.push(pager);
  return { text: `${m.title}${info ? `\n${info}` : ""}\n\n${body}`, rows };
}
