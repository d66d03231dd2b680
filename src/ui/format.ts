/** Rendering dates, times, prices and bookings for people, in their language. */
import type { Booking } from "../db/bookings_repo.ts";
import type { BusinessProfile } from "../db/profile_repo.ts";
import { escapeHtml, intlLocale, type Lang, type Translate } from "./i18n.ts";
import { salonBlock } from "./profile.ts";
import { wallClockInstant } from "../domain/time.ts";

// Intl formatters are costly to build and immutable: one per language, zone and style.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

/** "Tue, 1 December 2026" style date of an instant or a plain date. */
export function formatDate(
  value: number | Temporal.PlainDate,
  lang: Lang,
  timeZone: string,
): string {
  // Noon of a plain date: the cached wall clock when it exists (it always does but for a DST
  // gap at noon, where Temporal's own rule decides), as Temporal's "compatible" would pick.
  const instant = typeof value === "number" ? value : wallClockInstant(value, 720, timeZone) ??
    value.toZonedDateTime({ timeZone, plainTime: "12:00" }).epochMilliseconds;
  return cached(`date|${lang}|${timeZone}`, () =>
    new Intl.DateTimeFormat(intlLocale(lang), {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "long",
      year: "numeric",
    })).format(instant);
}

/** "14:30" of an instant in the business zone. */
export function formatTime(instant: number, timeZone: string): string {
  return cached(`time|${timeZone}`, () =>
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })).format(instant);
}

/** "Tue, 1 December 2026 14:30": the date and time of an instant, in one call. */
export function formatWhen(instant: number, lang: Lang, timeZone: string): string {
  return `${formatDate(instant, lang, timeZone)} ${formatTime(instant, timeZone)}`;
}

/** "12 KB", "3.4 MB": a file size in the reader's language. */
export function formatBytes(bytes: number, lang: Lang): string {
  const mega = bytes >= 1_000_000;
  return cached(`bytes|${lang}|${mega}`, () =>
    new Intl.NumberFormat(intlLocale(lang), {
      style: "unit",
      unit: mega ? "megabyte" : "kilobyte",
      maximumFractionDigits: 1,
    })).format(Math.max(mega ? bytes / 1_000_000 : bytes / 1000, 0.1));
}

/** The icon of a booking's status in lists. */
export function statusIcon(status: Booking["status"]): string {
  return STATUS_ICONS[status];
}

const STATUS_ICONS: Record<Booking["status"], string> = {
  active: "🟢",
  cancelled: "❌",
  completed: "✅",
  no_show: "⚪️",
};

/** "Anna Petrova (@anna)" of a Telegram user as the bot saw them; undefined when unknown. */
export function personName(
  user: { firstName: string; lastName: string | null; username: string | null } | undefined,
): string | undefined {
  if (!user) return undefined;
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  if (!name) return user.username ? `@${user.username}` : undefined;
  return user.username ? `${name} (@${user.username})` : name;
}

/** "December 2026" of a year-month. */
export function formatMonth(month: Temporal.PlainYearMonth, lang: Lang): string {
  const text = cached(`month|${lang}`, () =>
    new Intl.DateTimeFormat(intlLocale(lang), {
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    })).format(Date.UTC(month.year, month.month - 1, 15));
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Short weekday names Monday..Sunday. */
export function weekdayNames(lang: Lang): string[] {
  const f = cached(
    `weekday|${lang}`,
    () => new Intl.DateTimeFormat(intlLocale(lang), { weekday: "short", timeZone: "UTC" }),
  );
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => f.format(Date.UTC(2024, 0, 1 + i)));
}

/** A price in minor units as money, e.g. "1 500 ₽". */
export function formatPrice(priceMinor: number, lang: Lang, currency = "RUB"): string {
  const fraction = priceMinor % 100 === 0 ? 0 : 2;
  return cached(
    `price|${lang}|${currency}|${fraction}`,
    () =>
      new Intl.NumberFormat(intlLocale(lang), {
        style: "currency",
        currency,
        maximumFractionDigits: fraction,
        minimumFractionDigits: fraction,
      }),
  ).format(priceMinor / 100);
}

/** Service, date and time of a visit, as HTML lines. */
export function visitLines(b: Booking, t: Translate, lang: Lang, timeZone: string): string[] {
  return [
    t("booking.card_service", { service: b.serviceName }),
    t("booking.card_date", { date: formatDate(b.start, lang, timeZone) }),
    t("booking.card_time", {
      start: formatTime(b.start, timeZone),
      end: formatTime(b.end, timeZone),
    }),
  ];
}

/** The details of a booking as an HTML block; a client's card ends with the salon's contacts. */
export function bookingCard(
  b: Booking,
  t: Translate,
  lang: Lang,
  timeZone: string,
  options: { showStaff: boolean; salon?: BusinessProfile },
): string {
  const lines = [
    ...visitLines(b, t, lang, timeZone),
    t("booking.card_duration", { minutes: b.durationMinutes }),
  ];
  if (options.showStaff) lines.push(t("booking.card_staff", { staff: b.staffName }));
  if (b.priceMinor !== null) {
    lines.push(t("booking.card_price", { price: formatPrice(b.priceMinor, lang) }));
  }
  lines.push(
    t("booking.card_name", { name: b.clientName }),
    t("booking.card_phone", { phone: b.phone }),
    t("booking.card_status", { statusHtml: escapeHtml(t(`booking.status_${b.status}`)) }),
  );
  if (b.status === "cancelled" && b.cancelReason) {
    lines.push(t("booking.card_reason", { reason: b.cancelReason }));
  }
  const salon = options.salon && salonBlock(options.salon, t, { hours: false });
  if (salon) lines.push("", salon);
  return lines.join("\n");
}

/** "03.12.2026" (ru) or "03/12/2026" (en): a short numeric date in the person's language. */
export function formatShortDate(date: Temporal.PlainDate, lang: Lang): string {
  return cached(`short|${lang}`, () =>
    new Intl.DateTimeFormat(intlLocale(lang), {
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      timeZone: "UTC",
    })).format(Date.UTC(date.year, date.month - 1, date.day));
}

/** "01.12.2026, 09:00": a short numeric date and time of an instant, for logs and lists. */
export function formatStamp(instant: number, lang: Lang, timeZone: string): string {
  return cached(`stamp|${lang}|${timeZone}`, () =>
    new Intl.DateTimeFormat(intlLocale(lang), {
      timeZone,
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })).format(instant);
}

/** A number for reading ("1,5" in ru), with at most `digits` decimals. */
export function formatNumber(value: number, lang: Lang, digits = 1): string {
  return cached(
    `number|${lang}|${digits}`,
    () => new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: digits }),
  ).format(value);
}

/** `text` cut to `max` characters with "…" at the end when longer. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}
