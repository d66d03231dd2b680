/** Chats and the messages in them: what the bot sent (edits applied in place) and who waits for it. */
import type { UserFromGetMe } from "grammy/types";
import { visible } from "./html.ts";
import { checkMarkup } from "./markup.ts";
import {
  type BotMessage,
  type ChatId,
  FakeApiError,
  type FakeStats,
  type Markup,
  type MessagePredicate,
  type Payload,
} from "./types.ts";
import {
  defaultChat,
  fileObj,
  isObj,
  keyOf,
  normChatId,
  type Timer,
  toNum,
  unixNow,
} from "./util.ts";

/** One chat: its `Chat` object, the bot's messages, the users' messages and waiters. */
export interface ChatState {
  key: ChatId;
  chat: Record<string, unknown>;
  nextId: number;
  bot: BotMessage[];
  byId: Map<number, BotMessage>;
  userMsgs: Map<number, Record<string, unknown>>;
  waiters: Set<MessageWaiter>;
  replyKeyboard?: Markup;
}

interface MessageWaiter {
  predicate?: MessagePredicate;
  resolve: (m: BotMessage) => void;
  reject: (e: Error) => void;
  timer: Timer;
}

/** A message event waiting to be dispatched once its call is recorded. */
export type Emit = [ChatState, BotMessage, "sent" | "edited"];

/** Every chat the fake knows, keyed by chat id. */
export class Chats {
  #map = new Map<ChatId, ChatState>();
  #sink?: Emit[];

  constructor(readonly botInfo: UserFromGetMe, readonly stats: FakeStats) {}

  /** The chat, created on first use. */
  state(key: ChatId): ChatState {
    let st = this.#map.get(key);
    if (!st) {
      st = {
        key,
        chat: defaultChat(key),
        nextId: 1,
        bot: [],
        byId: new Map(),
        userMsgs: new Map(),
        waiters: new Set(),
      };
      this.#map.set(key, st);
    }
    return st;
  }

  /** The chat if it exists. */
  get(chatId: ChatId): ChatState | undefined {
    return this.#map.get(keyOf(chatId));
  }

  /** Bot messages in a chat (non-deleted unless includeDeleted). Returns a new array. */
  messages(chatId: ChatId, includeDeleted = false): BotMessage[] {
    const st = this.get(chatId);
    if (!st) return [];
    return includeDeleted ? st.bot.slice() : st.bot.filter((m) => !m.deleted);
  }

  /** Newest non-deleted bot message in a chat. */
  last(chatId: ChatId): BotMessage | undefined {
    const st = this.get(chatId);
    if (!st) return undefined;
    for (let i = st.bot.length - 1; i >= 0; i--) if (!st.bot[i].deleted) return st.bot[i];
    return undefined;
  }

  /** Remembers the chat and message id of a message in a pushed update. */
  noteUpdateMessage(key: string, m: unknown): void {
    if (!isObj(m) || !isObj(m.chat) || typeof m.chat.id !== "number") return;
    const st = this.state(m.chat.id);
    if (typeof m.chat.type === "string") st.chat = m.chat;
    if (typeof m.message_id === "number") {
      if (m.message_id >= st.nextId) st.nextId = m.message_id + 1;
      if (key === "message" || key === "channel_post") st.userMsgs.set(m.message_id, m);
    }
  }

  /** Stores a new bot message from the call parameters `p` (chat_id, reply_markup, reply_to). */
  newBotMessage(p: Payload, kind: BotMessage["kind"], fields: Partial<BotMessage>): BotMessage {
    const chatKey = normChatId(p.chat_id);
    if (chatKey === undefined || chatKey === "") {
      throw new FakeApiError(400, "Bad Request: chat_id is empty");
    }
    const st = this.state(chatKey);
    const markup = p.reply_markup as Markup | undefined;
    if (markup !== undefined) checkMarkup(markup);
    const m: BotMessage = {
      chat_id: chatKey,
      message_id: st.nextId++,
      date: unixNow(),
      kind,
      parse_mode: p.parse_mode as string | undefined,
      reply_markup: markup,
      deleted: false,
      edit_count: 0,
      payload: p,
      ...fields,
    };
    const replyTo = toNum(p.reply_to_message_id) ??
      (isObj(p.reply_parameters) ? toNum(p.reply_parameters.message_id) : undefined);
    if (replyTo !== undefined) m.reply_to_message_id = replyTo;
    if (markup?.keyboard) st.replyKeyboard = markup;
    else if (markup?.remove_keyboard) st.replyKeyboard = undefined;
    st.bot.push(m);
    st.byId.set(m.message_id, m);
    this.stats.sent++;
    this.#emit(st, m, "sent");
    return m;
  }

  /** The message an edit call targets; undefined for inline messages; 400 when not found. */
  findForEdit(p: Payload): [ChatState, BotMessage] | undefined {
    if (p.inline_message_id !== undefined) return undefined;
    const chatKey = normChatId(p.chat_id);
    if (chatKey === undefined) throw new FakeApiError(400, "Bad Request: chat_id is empty");
    const id = toNum(p.message_id);
    if (id === undefined) {
      throw new FakeApiError(400, "Bad Request: message identifier is not specified");
    }
    const st = this.#map.get(chatKey);
    const m = st?.byId.get(id);
    if (!st || !m || m.deleted) {
      throw new FakeApiError(400, "Bad Request: message to edit not found");
    }
    return [st, m];
  }

  /** Marks a message edited, tells the waiters, returns it as Telegram would. */
  edited(st: ChatState, m: BotMessage): Record<string, unknown> {
    m.edit_count++;
    m.edit_date = unixNow();
    this.#emit(st, m, "edited");
    return this.toTelegramMessage(m);
  }

  /** Converts a stored bot message into a Telegram `Message` object (as the bot would see it). */
  toTelegramMessage(m: BotMessage): Record<string, unknown> {
    const st = this.state(m.chat_id);
    const out: Record<string, unknown> = {
      message_id: m.message_id,
      from: this.botInfo,
      chat: st.chat,
      date: m.date,
    };
    if (m.edit_date) out.edit_date = m.edit_date;
    if (m.text !== undefined) out.text = visible(m.text, m.parse_mode);
    if (m.caption !== undefined) out.caption = visible(m.caption, m.parse_mode);
    if (m.entities) out.entities = m.entities;
    if (m.document) out.document = fileObj(m.document);
    if (m.photo) {
      out.photo = [{ ...fileObj(m.photo), width: m.photo.width ?? 0, height: m.photo.height ?? 0 }];
    }
    if (m.invoice) {
      const { title, description, currency, total_amount, start_parameter } = m.invoice;
      out.invoice = {
        title,
        description,
        currency,
        total_amount,
        start_parameter: start_parameter ?? "",
      };
    }
    if (m.reply_markup?.inline_keyboard) {
      out.reply_markup = { inline_keyboard: m.reply_markup.inline_keyboard };
    }
    return out;
  }

  /** Runs `fn` holding back message events in `emits` (dispatched after the call is recorded). */
  collect<T>(emits: Emit[], fn: () => T): T {
    this.#sink = emits;
    try {
      return fn();
    } finally {
      this.#sink = undefined;
    }
  }

  /** Resolves the waiters matching a message event. */
  dispatch(st: ChatState, m: BotMessage, event: "sent" | "edited"): void {
    for (const w of st.waiters) {
      if (w.predicate && !w.predicate(m, event)) continue;
      clearTimeout(w.timer);
      st.waiters.delete(w);
      w.resolve(m);
    }
  }

  #emit(st: ChatState, m: BotMessage, event: "sent" | "edited"): void {
    if (!st.waiters.size) return;
    if (this.#sink) this.#sink.push([st, m, event]);
    else this.dispatch(st, m, event);
  }

  /** Resolves with the first bot message sent/edited in the chat after this call (matching predicate). */
  next(
    chatId: ChatId,
    predicate: MessagePredicate | undefined,
    timeoutMs: number,
  ): Promise<BotMessage> {
    const st = this.state(keyOf(chatId));
    return new Promise((resolve, reject) => {
      const w: MessageWaiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          st.waiters.delete(w);
          reject(
            new Error(
              `nextMessage timed out after ${timeoutMs} ms in chat ${st.key}${
                predicate ? " (with predicate)" : ""
              }. Last bot messages:\n${this.describe(st.key)}`,
            ),
          );
        }, timeoutMs),
      };
      st.waiters.add(w);
    });
  }

  /** Rejects every message waiter (the fake is stopping). */
  rejectWaiters(err: Error): void {
    for (const st of this.#map.values()) {
      for (const w of st.waiters) {
        clearTimeout(w.timer);
        w.reject(err);
      }
      st.waiters.clear();
    }
  }

  /** Human-readable dump of the last `n` bot messages of a chat (for error messages). */
  describe(chatId: ChatId, n = 5): string {
    const st = this.get(chatId);
    const lines: string[] = [];
    for (let i = (st?.bot.length ?? 0) - 1; i >= 0 && lines.length < n; i--) {
      const m = st!.bot[i];
      if (!m.deleted) lines.unshift(describeMessage(m));
    }
    return lines.length ? lines.join("\n") : "  (no bot messages in this chat)";
  }
}

function describeMessage(m: BotMessage): string {
  const body = m.text ?? m.caption ?? m.invoice?.title ?? "";
  let line = `  #${m.message_id}${m.edit_count ? " (edited)" : ""} [${m.kind}${
    m.document?.file_name ? " " + m.document.file_name : ""
  }] ${JSON.stringify(body.length > 160 ? body.slice(0, 160) + "…" : body)}`;
  const rows = m.reply_markup?.inline_keyboard;
  if (Array.isArray(rows)) {
    line += "\n      buttons: " +
      rows.map((r) => "[" + r.map((b) => b?.text).join(" | ") + "]").join(" ");
  }
  return line;
}
