/** Chats that blocked the bot: every send to them is answered 403 and recorded. */
import {
  type BlockedCall,
  type ChatId,
  FakeApiError,
  type FakeStats,
  type Payload,
} from "./types.ts";
import { keyOf, normChatId } from "./util.ts";

// Methods that deliver something to a chat (Telegram answers 403 to all of them when blocked).
const SENDING = /^(send|edit|copy|forward|stop)/i;

/** The set of chats that blocked the bot and the calls refused because of it. */
export class Blocking {
  /** Calls answered 403, oldest first (kept even when recording is off). */
  readonly calls: BlockedCall[] = [];
  #chats = new Set<ChatId>();

  constructor(readonly stats: FakeStats) {}

  /** Starts answering 403 to sends into `chatId`. */
  block(chatId: ChatId): void {
    this.#chats.add(keyOf(chatId));
  }

  /** Stops answering 403 to sends into `chatId`. */
  unblock(chatId: ChatId): void {
    this.#chats.delete(keyOf(chatId));
  }

  /** Whether `chatId` blocked the bot. */
  has(chatId: ChatId): boolean {
    return this.#chats.has(keyOf(chatId));
  }

  /** Throws (and records) Telegram's 403 when a sending call targets a blocked chat. */
  check(method: string, payload: Payload): void {
    if (!this.#chats.size || !SENDING.test(method)) return;
    const chatId = normChatId(payload.chat_id);
    if (chatId === undefined || !this.#chats.has(chatId)) return;
    this.stats.blocked403++;
    this.calls.push({ method, chat_id: chatId, payload, at: Date.now() });
    throw new FakeApiError(403, "Forbidden: bot was blocked by the user");
  }
}
