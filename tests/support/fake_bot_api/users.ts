/** Simulated Telegram users: what they send (messages, presses, payments) and what they see. */
import type { Update, UserFromGetMe } from "grammy/types";
import type { FakeBotApi } from "./api.ts";
import { buttonsOf } from "./markup.ts";
import type {
  BotMessage,
  Button,
  CallbackAnswer,
  ChatId,
  ChatOpt,
  Markup,
  MessagePredicate,
  PayOptions,
  PayResult,
  PreCheckoutAnswer,
  SuccessfulPayment,
  UserProfile,
} from "./types.ts";
import { unixNow } from "./util.ts";

/** A simulated Telegram user talking to the bot in a private chat (chat id = user id). */
export class FakeUser {
  /** @internal */
  _lastQueryId?: string;

  constructor(
    readonly fake: FakeBotApi,
    readonly id: number,
    readonly profile: UserProfile,
  ) {}

  /** The `User` object used as `from`. */
  get from(): Record<string, unknown> {
    const u: Record<string, unknown> = {
      id: this.id,
      is_bot: false,
      first_name: this.profile.first_name,
    };
    if (this.profile.last_name !== undefined) u.last_name = this.profile.last_name;
    if (this.profile.username !== undefined) u.username = this.profile.username;
    if (this.profile.language_code !== undefined) u.language_code = this.profile.language_code;
    if (this.profile.is_premium) u.is_premium = true;
    return u;
  }

  /** Queues a `message` update with arbitrary extra message fields (text, photo, location, …). */
  send(fields: Record<string, unknown>, opts: ChatOpt = {}): Update {
    const st = this.fake._chat(opts.chatId ?? this.id);
    const msg: Record<string, unknown> = {
      message_id: st.nextId++,
      from: this.from,
      chat: st.chat,
      date: unixNow(),
      ...fields,
    };
    st.userMsgs.set(msg.message_id as number, msg);
    return this.fake._enqueue({ message: msg });
  }

  /** Queues a text message; a leading `/command` gets a bot_command entity. */
  sendText(text: string, opts: ChatOpt = {}): Update {
    const fields: Record<string, unknown> = { text };
    const cmd = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]+)?/.exec(text);
    if (cmd) fields.entities = [{ type: "bot_command", offset: 0, length: cmd[0].length }];
    return this.send(fields, opts);
  }

  /** Queues a message sharing a contact (own contact by default; `userId: null` omits user_id). */
  sendContact(phone: string, opts: { userId?: number | null; firstName?: string } = {}): Update {
    const contact: Record<string, unknown> = {
      phone_number: phone,
      first_name: opts.firstName ?? this.profile.first_name,
    };
    if (opts.firstName === undefined && this.profile.last_name) {
      contact.last_name = this.profile.last_name;
    }
    const uid = opts.userId === undefined ? this.id : opts.userId;
    if (uid !== null) contact.user_id = uid;
    return this.send({ contact });
  }

  /**
   * Presses an inline button in the newest non-deleted bot message (or `messageId`)
   * having a button whose text includes `match` (or matches the RegExp / predicate).
   */
  press(
    match: string | RegExp | ((b: Button) => boolean),
    opts: { messageId?: number; chatId?: ChatId } = {},
  ): Update {
    const chatId = opts.chatId ?? this.id;
    const st = this.fake._chat(chatId);
    const test = typeof match === "string"
      ? (b: Button) => b.text.includes(match)
      : match instanceof RegExp
      ? (b: Button) => match.test(b.text)
      : match;
    const candidates = opts.messageId !== undefined
      ? [st.byId.get(opts.messageId)]
      : st.bot.slice().reverse();
    for (const m of candidates) {
      const b = m && !m.deleted
        ? buttonsOf(m).find((b) => b.kind === "inline" && test(b))
        : undefined;
      if (!m || !b) continue;
      if (b.data === undefined) {
        throw new Error(
          `press(): button "${b.text}" in message #${m.message_id} has no callback_data (${
            b.url ? "url " + b.url : JSON.stringify(b.raw)
          })`,
        );
      }
      return this.fake._callback(this, b.data, m);
    }
    const what = typeof match === "string" ? JSON.stringify(match) : String(match);
    throw new Error(
      `press(): no inline button matching ${what}${
        opts.messageId !== undefined ? ` in message #${opts.messageId}` : ""
      } in chat ${chatId}. Last bot messages:\n${this.fake.describeChat(chatId)}`,
    );
  }

  /** Queues a callback_query with arbitrary (possibly forged) data, attached to `messageId` or the newest bot message. */
  pressData(data: string, messageId?: number, chatId?: ChatId): Update {
    const st = this.fake._chat(chatId ?? this.id);
    const m = messageId !== undefined
      ? st.byId.get(messageId)
      : this.fake.lastMessageIn(chatId ?? this.id);
    return this.fake._callback(this, data, m);
  }

  /** Newest non-deleted bot message in this chat. */
  lastMessage(): BotMessage | undefined {
    return this.fake.lastMessageIn(this.id);
  }

  /** Non-deleted bot messages in this chat, oldest first. */
  messages(): BotMessage[] {
    return this.fake.chatMessages(this.id);
  }

  /** Flat button list of `messageId` or of the newest bot message (inline, or reply-keyboard buttons). */
  buttons(messageId?: number): Button[] {
    const m = messageId !== undefined
      ? this.fake.getMessage(this.id, messageId)
      : this.lastMessage();
    return buttonsOf(m);
  }

  /** The reply keyboard currently shown to the user (last sent `keyboard` not removed since). */
  replyKeyboard(): Markup | undefined {
    return this.fake._chat(this.id).replyKeyboard;
  }

  /** First bot message sent or edited in this chat after the call (matching predicate). */
  nextMessage(predicate?: MessagePredicate, timeoutMs = 5000): Promise<BotMessage> {
    return this.fake.nextMessageIn(this.id, predicate, timeoutMs);
  }

  /** answerCallbackQuery calls for this user's callback queries, oldest first. */
  callbackAnswers(): CallbackAnswer[] {
    return this.fake._answers(this.id).slice();
  }

  /**
   * Answer to this user's most recent callback query: resolves immediately if
   * already answered, otherwise waits (if the user never pressed, the next answer).
   */
  waitForCallbackAnswer(timeoutMs = 5000): Promise<CallbackAnswer> {
    const qid = this._lastQueryId;
    if (qid !== undefined) {
      const a = this.fake._answerForQuery(qid);
      if (a) return Promise.resolve(a);
    }
    return new Promise((resolve, reject) => {
      const off = this.fake._onAnswer(this.id, (a) => {
        if (qid !== undefined && a.callback_query_id !== qid) return;
        clearTimeout(timer);
        off();
        resolve(a);
      });
      const timer = setTimeout(() => {
        off();
        reject(
          new Error(
            `waitForCallbackAnswer timed out after ${timeoutMs} ms for user ${this.id}${
              qid ? ` (callback query ${qid})` : ""
            }; answers so far: ${
              JSON.stringify(this.callbackAnswers().map((a) => a.text ?? null))
            }`,
          ),
        );
      }, timeoutMs);
    });
  }

  /** Blocks the bot: sends to this user get 403; `notify` also queues a `my_chat_member` (kicked) update. */
  block(opts?: { notify?: boolean }): void {
    this.fake.blockUser(this.id, opts);
  }

  /** Unblocks the bot; `notify` also queues a `my_chat_member` (member) update. */
  unblock(opts?: { notify?: boolean }): void {
    this.fake.unblockUser(this.id, opts);
  }

  /** Newest invoice the bot sent to this user. */
  lastInvoice(): BotMessage | undefined {
    return this.messages().findLast((m) => m.kind === "invoice");
  }

  /**
   * Pays like Telegram does: queues a `pre_checkout_query` for the invoice, waits for the
   * bot's answer and, if it said ok, queues the `successful_payment` message.
   */
  async pay(opts: PayOptions = {}): Promise<PayResult> {
    const invoice = opts.invoice?.invoice ?? this.lastInvoice()?.invoice;
    const fields = {
      currency: opts.currency ?? invoice?.currency,
      total_amount: opts.total_amount ?? invoice?.total_amount,
      invoice_payload: opts.invoice_payload ?? invoice?.payload,
    };
    if (
      !fields.currency || fields.total_amount === undefined || fields.invoice_payload === undefined
    ) {
      throw new Error(
        `pay(): no invoice in chat ${this.id}. Last bot messages:\n${
          this.fake.describeChat(this.id)
        }`,
      );
    }
    const f = fields as { currency: string; total_amount: number; invoice_payload: string };
    const queryId = this.sendPreCheckoutQuery(f);
    const answer = await this.waitForPreCheckoutAnswer(queryId, opts.timeoutMs);
    if (!answer.ok) return { answer };
    const payment = this.sendSuccessfulPayment(f);
    return { answer, payment };
  }

  /** Queues a `pre_checkout_query` update from this user; returns its id. */
  sendPreCheckoutQuery(
    fields:
      & { currency: string; total_amount: number; invoice_payload: string }
      & Record<string, unknown>,
  ): string {
    const id = this.fake._payments().createQuery(this.id);
    this.fake._enqueue({ pre_checkout_query: { id, from: this.from, ...fields } });
    return id;
  }

  /** Resolves with the bot's answerPreCheckoutQuery for query `id`. */
  waitForPreCheckoutAnswer(id: string, timeoutMs = 5000): Promise<PreCheckoutAnswer> {
    return this.fake._payments().waitForAnswer(id, timeoutMs);
  }

  /** Queues the `message` with `successful_payment` Telegram sends after a payment; returns the payment. */
  sendSuccessfulPayment(
    fields:
      & { currency: string; total_amount: number; invoice_payload: string }
      & Record<string, unknown>,
  ): SuccessfulPayment {
    const payment: SuccessfulPayment = {
      ...this.fake._payments().charge(this.id, fields.currency),
      ...fields,
    };
    this.send({ successful_payment: payment });
    return payment;
  }
}

/** The `my_chat_member` update Telegram sends when a user blocks ("kicked") or unblocks the bot. */
export function memberStatusUpdate(
  chat: Record<string, unknown>,
  from: Record<string, unknown>,
  bot: UserFromGetMe,
  status: "kicked" | "member",
): Record<string, unknown> {
  return {
    my_chat_member: {
      chat,
      from,
      date: unixNow(),
      old_chat_member: { user: bot, status: status === "kicked" ? "member" : "kicked" },
      new_chat_member: status === "kicked"
        ? { user: bot, status, until_date: 0 }
        : { user: bot, status },
    },
  };
}
