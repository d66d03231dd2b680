/** The buttons of the clients section (prefixes "ac…"). */
import { z } from "zod";
import { parseIsoDate } from "../../../../domain/time.ts";
import { codec, int } from "../../../../ui/callback_data.ts";

const isoDate = z.string().refine((s) => parseIsoDate(s) !== undefined);
/** The confirmation flag of an action: 0 = ask, 1 = do. */
const ok = z.coerce.number().int().min(0).max(1);

/** The buttons of this section. */
export const acCb = {
  /** A client's card. */
  card: codec("acc", { uid: int }),
  /** Ask for a search query. */
  search: codec("acs", {}),
  /** Ask for a private note about a client. */
  note: codec("acn", { uid: int }),
  /** Book for a client: choose the service. */
  book: codec("acb", { uid: int }),
  /** Book for a client: choose the day of service `svc`. */
  bookService: codec("acbs", { uid: int, svc: int }),
  /** Book for a client: the free starts of a day. */
  bookDay: codec("acbd", { uid: int, svc: int, d: isoDate }),
  /** Book for a client at a start (epoch seconds) with a master: ask (ok 0) or do (ok 1). */
  bookSlot: codec("acbt", { uid: int, svc: int, start: int, staff: int, ok }),
} as const;
