/**
 * Exports that know nothing of Telegram: the bookings of a period as CSV bytes, streamed a page
 * at a time, with local dates and times and prices a spreadsheet sums.
 */
import { depositOfBooking } from "../db/deposits_repo.ts";
import { CSV_BOM, csvLine, guardFormula } from "../domain/csv.ts";
import {
  type Booking,
  type BookingStatus,
  type DeletedRows,
  listBookingsBetween,
} from "../db/bookings_repo.ts";
import type { Db } from "../db/connection.ts";

/** The texts of an export in the admin's language. */
export interface ExportLabels {
  /**
   * Column titles: id, date, time, end, service, master, name, phone, status, reason, created,
   * duration and price (both as booked).
   */
  header: readonly string[];
  /** The word for a status. */
  status: (status: BookingStatus) => string;
  /** When set (payments configured), a column with this title: the deposit paid or kept. */
  deposit?: string;
  /** When set, a last column `title` flags each deleted booking with `yes` (else empty). */
  deleted?: { title: string; yes: string };
}

/** What to export. */
export interface ExportFilter {
  from: number;
  to: number;
  status?: BookingStatus;
  /** Soft-deleted bookings: left out (the default), included, or the only ones. */
  deleted?: DeletedRows;
}

/** Rows read from the database per query while exporting. */
export const EXPORT_PAGE_SIZE = 1000;

const DAY_MS = 86_400_000;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * Local "YYYY-MM-DD" and "HH:MM" of instants in one zone, fast enough for 100k rows: the
 * zone's UTC offset is looked up with Temporal once per (UTC) day and reused, except on a
 * day whose offset changes (a DST switch), where each instant is looked up.
 */
export class LocalTimeFormatter {
  private readonly offsets = new Map<number, number | null>();

  constructor(readonly timeZone: string) {}

  private exactOffset(instant: number): number {
    return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(this.timeZone)
      .offsetNanoseconds / 1e6;
  }

  private offset(instant: number): number {
    const day = Math.floor(instant / DAY_MS);
    let offset = this.offsets.get(day);
    if (offset === undefined) {
      if (this.offsets.size > 100_000) this.offsets.clear();
      const first = this.exactOffset(day * DAY_MS);
      offset = first === this.exactOffset(day * DAY_MS + DAY_MS - 1) ? first : null;
      this.offsets.set(day, offset);
    }
    return offset ?? this.exactOffset(instant);
  }

  /** The local date and time of an instant. */
  parts(instant: number): { date: string; time: string } {
    const local = new Date(instant + this.offset(instant));
    return {
      date: `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
      time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
    };
  }
}

/** One booking as a CSV record. */
export function bookingCsvLine(
  b: Booking,
  local: LocalTimeFormatter,
  labels: ExportLabels,
  depositMinor: number | null = null,
): string {
  const start = local.parts(b.start);
  const end = local.parts(b.end);
  const created = local.parts(b.createdAt);
  const flag = labels.deleted ? [b.deletedAt === null ? null : labels.deleted.yes] : [];
  return csvLine([
    b.id,
    start.date,
    start.time,
    end.time,
    guardFormula(b.serviceName),
    guardFormula(b.staffName),
    guardFormula(b.clientName),
    b.phone,
    labels.status(b.status),
    b.cancelReason === null ? null : guardFormula(b.cancelReason),
    `${created.date} ${created.time}`,
    b.durationMinutes,
    b.priceMinor === null ? null : csvAmount(b.priceMinor),
    ...(labels.deposit ? [depositMinor === null ? null : csvAmount(depositMinor)] : []),
    ...flag,
  ]);
}

/** The deposit of a booking that the salon has (paid or kept), or null. */
function depositKept(db: Db, bookingId: number): number | null {
  const d = depositOfBooking(db, bookingId);
  return d && (d.status === "paid" || d.status === "kept") ? d.amountMinor : null;
}

/**
 * A price in minor units as a number a spreadsheet sums: "1500", or "1500,50" with the decimal
 * comma of the Russian regional settings the semicolon-separated file is made for.
 */
export function csvAmount(priceMinor: number): string {
  const whole = Math.trunc(priceMinor / 100);
  const cents = Math.abs(priceMinor % 100);
  return cents === 0 ? String(whole) : `${whole},${String(cents).padStart(2, "0")}`;
}

/**
 * The bookings of a period as CSV bytes (BOM, header, one record per booking), produced a
 * page of EXPORT_PAGE_SIZE rows at a time so a large period never sits in memory as objects.
 * Each page starts at the last start time seen (skipping the rows of that start already
 * written) instead of a growing OFFSET, so every page costs the same; a booking that moves
 * while the export runs is still written at most once.
 */
export async function* bookingsCsv(
  db: Db,
  filter: ExportFilter,
  timeZone: string,
  labels: ExportLabels,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const local = new LocalTimeFormatter(timeZone);
  const header = [
    ...labels.header,
    ...(labels.deposit ? [labels.deposit] : []),
    ...(labels.deleted ? [labels.deleted.title] : []),
  ];
  yield encoder.encode(CSV_BOM + csvLine(header));
  const seen = new Set<number>();
  let from = filter.from;
  let skip = 0;
  for (;;) {
    const page = listBookingsBetween(db, { ...filter, from, limit: pageSize, offset: skip });
    let chunk = "";
    for (const b of page) {
      if (seen.has(b.id)) continue;
      seen.add(b.id);
      chunk += bookingCsvLine(b, local, labels, labels.deposit ? depositKept(db, b.id) : null);
    }
    if (chunk) yield encoder.encode(chunk);
    if (page.length < pageSize) return;
    const lastStart = page[page.length - 1].start;
    const atLastStart = page.filter((b) => b.start === lastStart).length;
    skip = lastStart === from ? skip + atLastStart : atLastStart;
    from = lastStart;
    // Let other updates run between pages.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
