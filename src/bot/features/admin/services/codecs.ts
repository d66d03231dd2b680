/** The buttons of the services section (prefix "as") and the choices they offer. */
import { z } from "zod";
import { codec } from "../../../../ui/callback_data.ts";

const id = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const flag = z.coerce.number().int().min(0).max(1);

/** Editable fields as they appear in callback data. */
export const FIELDS = ["name", "desc", "dur", "price", "order", "active"] as const;

/** The list filters: everything (deleted included) or only the active services. */
export type Filter = "all" | "act";

/** The buttons of this section. */
export const servicesCb = {
  /** The list: "all" (deleted included) or "act" (active only), page. */
  list: codec("asl", { f: z.enum(["all", "act"]), p: id }),
  /** One service's card. */
  view: codec("asv", { id }),
  /** Start editing a field (asks for the value). */
  edit: codec("ase", { id, f: z.enum(FIELDS) }),
  /** Set a value by button: duration minutes, active 0/1, remove price or description. */
  set: codec("ass", { id, f: z.enum(["dur", "active", "noprice", "nodesc"]), v: id }),
  /** Delete: ask (ok 0) or do (ok 1). */
  del: codec("asd", { id, ok: flag }),
  /** Restore a deleted service. */
  restore: codec("asr", { id }),
  /** Who does the service: the masters screen. */
  masters: codec("asm", { id }),
  /** Master `m` does (on 1) or no longer does (on 0) the service. */
  master: codec("asw", { id, m: id, on: flag }),
  /** A master's own terms: ask them (reset 0) or go back to the service's own (reset 1). */
  terms: codec("ast", { id, m: id, reset: flag }),
  /** Start creating a service. */
  create: codec("asn", {}),
  /** A button answer in the creation dialog. */
  step: codec("asc", {
    k: z.enum(["desc_skip", "dur", "dur_other", "price_skip", "order_skip", "active"]),
    v: id,
  }),
} as const;

/** Services on one page of the list. */
export const PAGE_SIZE = 8;

/** The durations offered as buttons, in minutes. */
export const DURATION_CHOICES = [30, 60, 90, 120];
