/** Text messages: send, copy, edit (text, caption, keyboard), delete, chat actions. */
import { checkText } from "../html.ts";
import { checkMarkup, emptyToUndef } from "../markup.ts";
import { type BotMessage, FakeApiError, type Markup, type Payload } from "../types.ts";
import { normChatId, sameJson, toNum } from "../util.ts";
import type { Builtin, MethodDeps } from "./table.ts";

const ERR_NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

/** sendMessage, copyMessage, the edit methods, deleteMessage(s) and sendChatAction. */
export function messageMethods(d: MethodDeps): Record<string, Builtin> {
  const check = (text: string, p: Payload, max: number, what: "text" | "caption") =>
    checkText(text, p.parse_mode, max, what, d.validateHtml);
  return {
    sendMessage: (p) => {
      const text = typeof p.text === "string" ? p.text : p.text === undefined ? "" : String(p.text);
      check(text, p, 4096, "text");
      const m = d.chats.newBotMessage(p, "text", { text });
      if (Array.isArray(p.entities)) m.entities = p.entities;
      return d.chats.toTelegramMessage(m);
    },
    sendChatAction: (p) => {
      if (normChatId(p.chat_id) === undefined) {
        throw new FakeApiError(400, "Bad Request: chat_id is empty");
      }
      return true;
    },
    copyMessage: (p) => copyMessage(d, p),
    editMessageText: (p) => editText(d, p),
    editMessageCaption: (p) => editCaption(d, p),
    editMessageReplyMarkup: (p) => editReplyMarkup(d, p),
    deleteMessage: (p) => deleteMessage(d, p),
    deleteMessages: (p) => {
      const chatKey = normChatId(p.chat_id);
      const st = chatKey === undefined ? undefined : d.chats.get(chatKey);
      if (st && Array.isArray(p.message_ids)) {
        for (const id of p.message_ids) {
          const m = st.byId.get(Number(id));
          if (m) m.deleted = true;
          else st.userMsgs.delete(Number(id));
        }
      }
      return true;
    },
  };
}

function copyMessage(d: MethodDeps, p: Payload): { message_id: number } {
  const from = normChatId(p.from_chat_id);
  const id = toNum(p.message_id);
  const st = from === undefined ? undefined : d.chats.get(from);
  const src = id === undefined ? undefined : (st?.byId.get(id) ?? st?.userMsgs.get(id));
  if (!src || (src as BotMessage).deleted) {
    throw new FakeApiError(400, "Bad Request: message to copy not found");
  }
  const s = src as Partial<BotMessage> & { text?: string; caption?: string };
  const m = d.chats.newBotMessage(p, "copy", {
    text: s.text,
    caption: p.caption !== undefined ? String(p.caption) : s.caption,
    document: s.document,
    photo: s.photo,
  });
  return { message_id: m.message_id };
}

function deleteMessage(d: MethodDeps, p: Payload): true {
  const chatKey = normChatId(p.chat_id);
  const id = toNum(p.message_id);
  const st = chatKey === undefined ? undefined : d.chats.get(chatKey);
  if (!st || id === undefined) {
    throw new FakeApiError(400, "Bad Request: message to delete not found");
  }
  const m = st.byId.get(id);
  if (m && !m.deleted) {
    m.deleted = true;
    return true;
  }
  if (!m && st.userMsgs.delete(id)) return true;
  throw new FakeApiError(400, "Bad Request: message to delete not found");
}

function editText(d: MethodDeps, p: Payload): unknown {
  const found = d.chats.findForEdit(p);
  if (!found) return true;
  const [st, m] = found;
  if (m.text === undefined) {
    throw new FakeApiError(400, "Bad Request: there is no text in the message to edit");
  }
  const text = typeof p.text === "string" ? p.text : "";
  checkText(text, p.parse_mode, 4096, "text", d.validateHtml);
  const markup = p.reply_markup as Markup | undefined;
  if (markup !== undefined) checkMarkup(markup);
  if (
    text === m.text && p.parse_mode === m.parse_mode &&
    sameJson(markup, m.reply_markup?.inline_keyboard ? m.reply_markup : undefined)
  ) {
    throw new FakeApiError(400, ERR_NOT_MODIFIED);
  }
  m.text = text;
  m.parse_mode = p.parse_mode as string | undefined;
  m.entities = Array.isArray(p.entities) ? p.entities : undefined;
  m.reply_markup = markup; // Telegram drops the inline keyboard when reply_markup is omitted
  return d.chats.edited(st, m);
}

function editCaption(d: MethodDeps, p: Payload): unknown {
  const found = d.chats.findForEdit(p);
  if (!found) return true;
  const [st, m] = found;
  if (m.kind === "text") {
    throw new FakeApiError(400, "Bad Request: there is no caption in the message to edit");
  }
  const caption = p.caption === undefined ? undefined : String(p.caption);
  if (caption !== undefined) checkText(caption, p.parse_mode, 1024, "caption", d.validateHtml);
  const markup = p.reply_markup as Markup | undefined;
  if (markup !== undefined) checkMarkup(markup);
  if (caption === m.caption && sameJson(markup, m.reply_markup)) {
    throw new FakeApiError(400, ERR_NOT_MODIFIED);
  }
  m.caption = caption;
  m.parse_mode = p.parse_mode as string | undefined;
  m.reply_markup = markup;
  return d.chats.edited(st, m);
}

function editReplyMarkup(d: MethodDeps, p: Payload): unknown {
  const found = d.chats.findForEdit(p);
  if (!found) return true;
  const [st, m] = found;
  const markup = p.reply_markup as Markup | undefined;
  if (markup !== undefined) checkMarkup(markup);
  const cur = m.reply_markup?.inline_keyboard ? m.reply_markup : undefined;
  if (sameJson(emptyToUndef(markup), emptyToUndef(cur))) {
    throw new FakeApiError(400, ERR_NOT_MODIFIED);
  }
  m.reply_markup = markup;
  return d.chats.edited(st, m);
}
