/** Keyboards: validation of reply_markup like Telegram, and the flat button list tests press. */
import { type BotMessage, type Button, FakeApiError, type Markup } from "./types.ts";
import { isObj } from "./util.ts";

const enc = new TextEncoder();

/** Flat list of buttons of a message (inline keyboard, or reply keyboard). */
export function buttonsOf(m: BotMessage | undefined): Button[] {
  const rm = m?.reply_markup;
  if (!rm) return [];
  const out: Button[] = [];
  if (Array.isArray(rm.inline_keyboard)) {
    rm.inline_keyboard.forEach((row, r) => {
      if (!Array.isArray(row)) return;
      row.forEach((b, c) => {
        if (!isObj(b)) return;
        const btn: Button = { text: String(b.text), kind: "inline", row: r, col: c, raw: b };
        if (typeof b.callback_data === "string") btn.data = b.callback_data;
        if (typeof b.url === "string") btn.url = b.url;
        out.push(btn);
      });
    });
  } else if (Array.isArray(rm.keyboard)) {
    rm.keyboard.forEach((row, r) => {
      if (!Array.isArray(row)) return;
      row.forEach((b, c) => {
        if (typeof b === "string") {
          out.push({ text: b, kind: "reply", row: r, col: c, raw: { text: b } });
        } else if (isObj(b)) {
          out.push({ text: String(b.text), kind: "reply", row: r, col: c, raw: b });
        }
      });
    });
  }
  return out;
}

/** A file part of a multipart request; appears in recorded payloads (e.g. `payload.document`). */

/** A keyboard with no buttons counts as no keyboard. */
export function emptyToUndef(m: Markup | undefined): Markup | undefined {
  if (!m || !Array.isArray(m.inline_keyboard)) return m;
  return m.inline_keyboard.every((r) => !r?.length) ? undefined : m;
}

function utf8Len(s: string): number {
  // fast path: each UTF-16 unit is at most 3 UTF-8 bytes
  return s.length * 3 <= 64 ? s.length : enc.encode(s).length;
}

/** Throws the 400 Telegram answers for a malformed reply_markup. */
export function checkMarkup(m: unknown): void {
  if (!isObj(m)) {
    throw new FakeApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
  }
  if (m.inline_keyboard !== undefined) {
    if (!Array.isArray(m.inline_keyboard)) {
      throw new FakeApiError(
        400,
        'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array',
      );
    }
    for (const row of m.inline_keyboard) {
      if (!Array.isArray(row)) {
        throw new FakeApiError(
          400,
          "Bad Request: can't parse inline keyboard button: InlineKeyboardButton should be an Object",
        );
      }
      for (const b of row) {
        if (!isObj(b) || typeof b.text !== "string") {
          throw new FakeApiError(
            400,
            'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String',
          );
        }
        const cd = b.callback_data;
        if (cd !== undefined) {
          if (typeof cd !== "string" || cd.length === 0 || utf8Len(cd) > 64) {
            throw new FakeApiError(400, "Bad Request: BUTTON_DATA_INVALID");
          }
        } else if (
          !("url" in b || "web_app" in b || "login_url" in b || "switch_inline_query" in b ||
            "switch_inline_query_current_chat" in b || "switch_inline_query_chosen_chat" in b ||
            "callback_game" in b || "pay" in b || "copy_text" in b)
        ) {
          throw new FakeApiError(
            400,
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
          );
        }
      }
    }
  }
}
