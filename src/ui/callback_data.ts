/**
 * Callback data is user input. Every button is built and parsed by one typed codec:
 * "<prefix>:<field>:<field>", each field checked with zod. A button and its handler share
 * the codec, so they cannot drift; anything that does not parse is "out of date".
 */
import { z } from "zod";
import { LANGUAGES } from "./i18n.ts";

/** A whole, non-negative number field. */
export const int = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const yearMonth = z.string().regex(/^\d{4}-\d{2}$/);
const word = z.string().regex(/^[a-z_]{1,24}$/);

const utf8 = new TextEncoder();

/** A codec for one kind of button. */
export interface CallbackCodec<T extends Record<string, unknown>> {
  prefix: string;
  /** Encodes the fields (throws if the result exceeds Telegram's 64 bytes). */
  pack(data: T): string;
  /** Decodes, or undefined when the string is not this button or a field is invalid. */
  unpack(data: string): T | undefined;
  /** Matches callback data of this prefix (for bot.callbackQuery). */
  filter: RegExp;
}

/** Defines the codec of one kind of button (prefixes must be unique across the bot). */
export function codec<S extends Record<string, z.ZodType>>(
  prefix: string,
  shape: S,
): CallbackCodec<{ [K in keyof S]: z.output<S[K]> }> {
  type T = { [K in keyof S]: z.output<S[K]> };
  const keys = Object.keys(shape) as (keyof S & string)[];
  const schema = z.object(shape);
  return {
    prefix,
    filter: new RegExp(`^${prefix}(:|$)`),
    pack(data: T): string {
      let packed = prefix;
      for (const k of keys) packed += `:${data[k]}`;
      // A UTF-16 unit is at most 3 UTF-8 bytes: a short string needs no encoding (every button
      // of a calendar is packed on every render).
      if (packed.length > 21 && utf8.encode(packed).length > 64) {
        throw new Error(`Callback data too long: ${packed}`);
      }
      return packed;
    },
    unpack(data: string): T | undefined {
      const parts = data.split(":");
      if (parts[0] !== prefix || parts.length !== keys.length + 1) return undefined;
      const object = Object.fromEntries(keys.map((k, i) => [k, parts[i + 1]]));
      const result = schema.safeParse(object);
      return result.success ? (result.data as T) : undefined;
    },
  };
}

/** Every button of the bot. */
export const cb = {
  /** Main menu entries. */
  menu: codec("m", { item: word }),
  /** Cancel the current dialog. */
  cancelDialog: codec("x", {}),
  /** Go one step back in the booking dialog. */
  back: codec("bk", { step: word }),
  /** Booking: a service was chosen. */
  service: codec("bs", { id: int }),
  /** Booking: a staff member was chosen (0 = any). */
  staff: codec("bm", { id: int }),
  /** Booking: calendar month shown. */
  month: codec("bc", { ym: yearMonth }),
  /** Booking: a day was chosen. */
  day: codec("bd", { date: isoDate }),
  /** A calendar cell that cannot be chosen. */
  noop: codec("n", {}),
  /** Booking: a slot was chosen (epoch seconds of the start, staff id). */
  slot: codec("bt", { start: int, staff: int }),
  /** Booking: use the offered name. */
  useName: codec("bn", { which: word }),
  /** Booking: use the remembered phone. */
  usePhone: codec("bp", {}),
  /** Booking: confirm the summary. */
  confirm: codec("bo", {}),
  /** My bookings list page. */
  myList: codec("ml", { kind: z.enum(["up", "past"]), page: int }),
  /** One of my bookings. */
  myBooking: codec("mb", { id: int }),
  /** Cancel my booking (asks for confirmation). */
  cancelAsk: codec("ca", { id: int }),
  /** Confirmed cancel of my booking. */
  cancelDo: codec("cd", { id: int }),
  /** Reschedule my booking: start choosing a new day. */
  reschedule: codec("rs", { id: int }),
  /** Edit the contact data of my booking. */
  editContact: codec("ec", { id: int, field: z.enum(["name", "phone"]) }),
  /** Book the same service (and master) again. */
  again: codec("ag", { id: int }),
  /** "I'm coming" from a reminder. */
  coming: codec("ic", { id: int }),
  /** Feedback rating 1..5 for a booking. */
  rate: codec("fr", { id: int, stars: z.coerce.number().int().min(1).max(5) }),
  /** Client: write to the admins about a booking they can no longer change in the bot. */
  askAdmin: codec("wa", { id: int }),
  /** Client: "My details" (name and phone for future bookings): show, or change one. */
  profile: codec("pf", { field: z.enum(["show", "name", "phone"]) }),
  /** Skip the feedback comment. */
  skipComment: codec("fs", { id: int }),
  /** Client: join the waitlist of the day on screen, with a part of the day. */
  waitJoin: codec("wj", { part: z.enum(["any", "morning", "afternoon", "evening", "ask"]) }),
  /** Client: take the time a waitlist offer holds. */
  waitClaim: codec("wc", { id: int }),
  /** Client: leave the waitlist of one day. */
  waitLeave: codec("wl", { id: int }),
  /** Admin: open a section of the admin menu. */
  adminSection: codec("ad", { section: word }),
  /** The admin card of one booking (bookings section; owner notices link to it). */
  adminBooking: codec("abc", { id: int }),
  /** Language choice: any language the bot speaks. */
  lang: codec("lg", { code: z.enum(LANGUAGES) }),
} as const;
