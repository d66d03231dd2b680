/** The buttons of the admin bookings section (prefixes "ab…" for bookings, "ax…" for export). */
import { z } from "zod";
import { parseIsoDate } from "../../../../domain/time.ts";
import { cb, codec } from "../../../../ui/callback_data.ts";
import type { BookingStatus, DeletedRows } from "../../../../db/bookings_repo.ts";

const int = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const isoDate = z.string().refine((s) => parseIsoDate(s) !== undefined);
/** The confirmation flag of an action: 0 = ask, 1 = do. */
const ok = z.coerce.number().int().min(0).max(1);
const statusFilter = z.enum(["all", "active", "cancelled", "completed", "no_show", "deleted"]);
const editField = z.enum(["date", "time", "service", "staff", "name", "phone", "status"]);

/** Which bookings a list shows ("deleted": the soft-deleted ones, of any status). */
export type StatusFilter = z.output<typeof statusFilter>;

/** The period filter a status filter reads. */
export function filterOf(st: StatusFilter): { status?: BookingStatus; deleted?: DeletedRows } {
  if (st === "deleted") return { deleted: "only" };
  return st === "all" ? {} : { status: st };
}
/** The status filters in the order their buttons show. */
export const STATUS_FILTERS: readonly StatusFilter[] = statusFilter.options;
/** A field of a booking the universal editor changes. */
export type EditField = z.output<typeof editField>;

/** Bookings per page in every list. */
export const PAGE_SIZE = 8;
/** The longest cancel reason kept. */
export const MAX_REASON = 300;

/** The buttons of this section. */
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
  card: cb.adminBooking,
  /** A client's bookings. */
  history: codec("abh", { uid: int, page: int }),
  /** Start editing one field of a booking. */
  edit: codec("abe", { id: int, f: editField }),
  /** Free time of a day to move a booking to. */
  moveDay: codec("abv", { id: int, date: isoDate }),
  /** Move a booking to a start (epoch seconds) with a staff member: ask (ok 0) or do (ok 1). */
  moveSlot: codec("abt", { id: int, start: int, staff: int, ok }),
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
  /**
   * Delete (soft) a booking: ask first (ok 0), then do (ok 1). The prefix is the old "do"
   * button's, so such a button still in a chat is refused by role, never misread.
   */
  remove: codec("abxd", { id: int, ok }),
  /**
   * Cancel every active booking of a day without a reason: ask (ok 0), then do (ok 1) the `n`
   * counted when asking; a different count means the day changed meanwhile.
   */
  group: codec("abgd", { date: isoDate, n: int, ok }),
  /** The card of a soft-deleted booking. */
  deletedCard: codec("abcd", { id: int }),
  /** Restore a soft-deleted booking. */
  restore: codec("abrs", { id: int }),
  /** Pick active bookings of a period (a day: from = to) to cancel, one page. */
  pick: codec("abp", { from: isoDate, to: isoDate, page: int }),
  /** Tick or untick one booking of the pick list (the selection is in the session). */
  pickOne: codec("abpt", { from: isoDate, to: isoDate, page: int, id: int }),
  /** Tick all (on 1) or none (on 0) of the pick list. */
  pickAll: codec("abpa", { from: isoDate, to: isoDate, page: int, on: ok }),
  /**
   * Cancel the `n` ticked bookings: ask for a reason (ok 0), or do it without one (ok 1); a
   * selection that no longer matches the active bookings is refused.
   */
  pickGo: codec("abpg", { from: isoDate, to: isoDate, n: int, ok }),
  /** The export menu; `del` 1 includes deleted bookings. */
  exportMenu: codec("axm", { del: ok }),
  /** Ask for a custom export period; `del` 1 includes deleted bookings. */
  exportAsk: codec("axc", { del: ok }),
  /** Export a period as CSV. */
  exportDo: codec("axe", { st: statusFilter, from: isoDate, to: isoDate }),
  /** Export a period as CSV with its deleted bookings (flagged in a column). */
  exportAll: codec("axw", { from: isoDate, to: isoDate }),
} as const;
