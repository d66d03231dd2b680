/** The buttons of a master's own screens ("w…": work). */
import { z } from "zod";
import { codec, int } from "./callback_data.ts";

/** How many days ahead a master sees besides today. */
export const DAYS_AHEAD = 7;

/** Buttons of the "My day" screens. */
export const masterCb = {
  /** The master's bookings on day `d` (0 = today … DAYS_AHEAD). */
  day: codec("mxd", { d: z.coerce.number().int().min(0).max(DAYS_AHEAD) }),
  /** One of the master's bookings. */
  booking: codec("mxb", { id: int }),
  /** Mark booking `id`: s "done" (came, done) or "no_show" (didn't come). */
  mark: codec("mxm", { id: int, s: z.enum(["done", "no_show"]) }),
  /** Free times of the master on day `d` (offset from today) to move booking `id` to. */
  moveDay: codec("mxr", { id: int, d: z.coerce.number().int().min(0).max(DAYS_AHEAD) }),
  /** Move booking `id` to `start` (epoch ms). */
  moveTo: codec("mxt", { id: int, start: int }),
  /** Cancel booking `id` (asks for the reason). */
  cancel: codec("mxc", { id: int }),
  /** Choose a day off (today … DAYS_OFF_AHEAD). */
  dayOff: codec("mxo", {}),
  /** Take day `d` (offset from today) off, or ask the owners for it. */
  dayOffPick: codec("mxp", { d: z.coerce.number().int().min(0).max(13) }),
  /** Owners: approve master `s`'s request for day off `d`. */
  approveDayOff: codec("mxy", { s: int, d: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  /** Owners: masters set their days off themselves (on 1) or ask for them (on 0). */
  policy: codec("mxq", { on: z.coerce.number().int().min(0).max(1) }),
} as const;

/** How many days ahead a master may pick a day off from (today counts as 0). */
export const DAYS_OFF_AHEAD = 13;
