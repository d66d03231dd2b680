/** The buttons of the admin bookings section (prefixes "ab…" for bookings, "ax…" for export). */
import { z } from "zod";
import { parseIsoDate } from "../../../../domain/time.ts";
import { cb, codec } from "../../../../ui/callback_data.ts";

const int = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const isoDate = z.string().refine((s) => parseIsoDate(s) !== undefined);
/** The confirmation flag of an action: 0 = ask, 1 = do. */
const ok = z.coerce.number().int().min(0).max(1);
const statusFilter = z.enum(["all", "active", "cancelled", "completed", "no_show"]);
const editField = z.enum(["date", "time", "service", "staff", "name", "phone", "status"]);

/** Which bookings a list shows. */
export type StatusFilter = z.output<typeof statusFilter>;
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
  /** The export menu. */
  exportMenu: codec("axm", {}),
  /** Ask for a custom export period. */
  exportAsk: codec("axc", {}),
  /** Export a period as CSV. */
  exportDo: codec("axe", { st: statusFilter, from: isoDate, to: isoDate }),
} as const;
