/** FakeBotApi: the fake Telegram Bot API server tests start, act on and inspect. */
import type { Update, UserFromGetMe } from "grammy/types";
import type { ChatState } from "./chats.ts";
import type { Payments } from "./methods/payments.ts";
import { type Parts, wire } from "./parts.ts";
import {
  type AllowedUpdatesRecord,
  type BlockedCall,
  type BotMessage,
  type CallbackAnswer,
  type ChatId,
  FakeApiError,
  type FakeBotApiOptions,
  type FakeStats,
  type FaultOptions,
  type HeldCall,
  type Hold,
  type MessagePredicate,
  type Payload,
  type PreCheckoutAnswer,
  type RecordedCall,
  type SetWebhookRecord,
  type UserProfile,
  type WebhookInfo,
} from "./types.ts";
import { FakeUser, memberStatusUpdate } from "./users.ts";
import { isObj, keyOf, privateChat } from "./util.ts";

/** A custom implementation of a Bot API method (see `onMethod`). */
export type MethodHandler = (payload: Payload, ctx: { token: string; fake: FakeBotApi }) => unknown;

const DEFAULT_BOT: UserFromGetMe = {
  id: 1000,
  is_bot: true,
  first_name: "Test Bot",
  username: "test_booking_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

/** A local fake of the Telegram Bot API (see ../fake_bot_api.ts for how to use it). */
export class FakeBotApi {
  /** Tokens seen in request paths. */
  readonly tokens = new Set<string>();
  /** Token of the latest request. */
  lastToken?: string;
  /** Counters kept even when `record: false`. */
  readonly stats: FakeStats = {
    calls: 0,
    sent: 0,
    rejected429: 0,
    injected: { "429": 0, "500": 0, timeout: 0, lost: 0 },
    blocked403: 0,
    delivered: 0,
    webhookFailures: 0,
  };
  /** Current webhook (url "" when polling). */
  readonly webhook: WebhookInfo = { url: "" };
  /** Every setWebhook call with its url, secret_token and allowed_updates, oldest first. */
  readonly webhookLog: SetWebhookRecord[] = [];
  /** Commands last set via setMyCommands (by JSON of scope+language_code). */
  readonly commands = new Map<string, unknown>();
  /** The getMe result. */
  readonly botInfo: UserFromGetMe;

  #httpServer!: Deno.HttpServer<Deno.NetAddr>;
  #port = 0;
  #stopped?: Promise<void>;
  #stopping = false;
  #users = new Map<number, FakeUser>();
  #overrides = new Map<string, MethodHandler>();
  #p: Parts;

  private constructor(options: FakeBotApiOptions) {
    this.botInfo = { ...DEFAULT_BOT, ...options.botInfo } as UserFromGetMe;
    this.#p = wire({
      fake: this,
      botInfo: this.botInfo,
      stats: this.stats,
      webhook: this.webhook,
      webhookLog: this.webhookLog,
      commands: this.commands,
      users: this.#users,
      overrides: this.#overrides,
      onToken: (token) => {
        this.tokens.add(token);
        this.lastToken = token;
      },
      lastToken: () => this.lastToken,
    }, options);
    if (options.faults) this.setFaults(options.faults);
  }

  /** Starts the fake server on 127.0.0.1 (random port unless `options.port`). */
  static start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const fake = new FakeBotApi(options);
    fake.#httpServer = Deno.serve({
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      onListen() {},
    }, (req) => fake.#p.server.handle(req));
    fake.#port = fake.#httpServer.addr.port;
    return Promise.resolve(fake);
  }

  /** `http://127.0.0.1:PORT` — use as grammY `apiRoot` / TELEGRAM_API_ROOT. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The port the fake listens on. */
  get port(): number {
    return this.#port;
  }

  /** Ends pending long polls and held requests, stops webhook delivery, shuts the server down. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= this.#doStop();
    return this.#stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #doStop(): Promise<void> {
    this.#stopping = true;
    this.#p.queue.stopping = true;
    this.#p.queue.finishPoll();
    this.#p.sleepers.wakeAll();
    this.#p.holds.failAll(new FakeApiError(503, "Service Unavailable: the fake Bot API stopped"));
    await this.#p.pump.stop();
    const stopped = new Error("FakeBotApi stopped");
    this.#p.chats.rejectWaiters(stopped);
    this.#p.activity.rejectWaiters(stopped);
    this.#p.log.rejectWaiters(stopped);
    await this.#httpServer.shutdown();
  }

  // Recorded calls -------------------------------------------------------------------------

  /** Every answered call (unless started with `record: false`). */
  get calls(): RecordedCall[] {
    return this.#p.log.calls;
  }

  /** Recorded calls of `method`, oldest first. */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Forgets the recorded calls. */
  clearCalls(): void {
    this.calls.length = 0;
  }

  /** Resolves with the next call (answered after now) of `method` matching `predicate`. */
  waitForCall(
    method: string,
    predicate?: (c: RecordedCall) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    return this.#p.log.next(method, predicate, timeoutMs);
  }

  /** Replaces (or adds) the implementation of a Bot API method. Pass undefined to remove the override. */
  onMethod(method: string, handler: MethodHandler | undefined): void {
    if (handler) this.#overrides.set(method.toLowerCase(), handler);
    else this.#overrides.delete(method.toLowerCase());
  }

  /** The allowed_updates in force (last passed to getUpdates or setWebhook; undefined = never). */
  get allowedUpdates(): string[] | undefined {
    return this.#p.queue.allowed;
  }

  /** Every change of allowed_updates by getUpdates or setWebhook, oldest first. */
  get allowedUpdatesLog(): AllowedUpdatesRecord[] {
    return this.#p.queue.allowedLog;
  }

  // Holding calls --------------------------------------------------------------------------

  /**
   * Holds calls of `method` (into `opts.chatId` only, when given) until released: they are
   * neither executed nor answered meanwhile. A held call whose client disconnects (the bot
   * was killed) is never executed and is recorded with error 499. Held calls count as in flight.
   */
  hold(method: string, opts: { chatId?: ChatId } = {}): Hold {
    return this.#p.holds.hold(method, opts.chatId);
  }

  /** Calls being held now, oldest first. */
  heldCalls(): HeldCall[] {
    return this.#p.holds.held();
  }

  /** Resolves with a held call of `method` (any method when omitted): one held now, or the next. */
  waitForHeld(method?: string, timeoutMs = 5000): Promise<HeldCall> {
    return this.#p.holds.waitForHeld(method, timeoutMs);
  }

  // Users, chats, updates ------------------------------------------------------------------

  /** Returns (creating or updating the profile of) a simulated user with a private chat id = user id. */
  user(id: number, profile?: Partial<UserProfile>): FakeUser {
    let u = this.#users.get(id);
    if (!u) {
      u = new FakeUser(this, id, { first_name: `User${id}`, ...profile });
      this.#users.set(id, u);
    } else if (profile) {
      Object.assign(u.profile, profile);
    }
    this.#p.chats.state(id).chat = privateChat(id, u.profile);
    return u;
  }

  /** Queues an arbitrary (possibly malformed) update; `update_id` is assigned. */
  pushUpdate(update: object): Update {
    const u = { ...update } as Record<string, unknown>;
    for (const key of ["message", "edited_message", "channel_post", "edited_channel_post"]) {
      this.#p.chats.noteUpdateMessage(key, u[key]);
    }
    const cq = u.callback_query;
    if (isObj(cq) && typeof cq.id === "string") {
      const from = cq.from;
      this.#p.callbacks.register(
        cq.id,
        isObj(from) && typeof from.id === "number" ? from.id : undefined,
        typeof cq.data === "string" ? cq.data : undefined,
      );
    }
    return this.#p.queue.enqueue(u);
  }

  /** Number of queued updates not yet confirmed (polling) / delivered (webhook). */
  get pendingUpdates(): number {
    return this.#p.queue.pending;
  }

  /** Bot messages in a chat (non-deleted unless includeDeleted). Returns a new array. */
  chatMessages(chatId: ChatId, includeDeleted = false): BotMessage[] {
    return this.#p.chats.messages(chatId, includeDeleted);
  }

  /** O(1) lookup of a bot message. */
  getMessage(chatId: ChatId, messageId: number): BotMessage | undefined {
    return this.#p.chats.get(chatId)?.byId.get(messageId);
  }

  /** Newest non-deleted bot message in a chat. */
  lastMessageIn(chatId: ChatId): BotMessage | undefined {
    return this.#p.chats.last(chatId);
  }

  /** Resolves with the first bot message sent/edited in the chat after this call (matching predicate). */
  nextMessageIn(
    chatId: ChatId,
    predicate?: MessagePredicate,
    timeoutMs = 5000,
  ): Promise<BotMessage> {
    if (this.#stopping) return Promise.reject(new Error("FakeBotApi stopped"));
    return this.#p.chats.next(chatId, predicate, timeoutMs);
  }

  /** Human-readable dump of the last `n` bot messages of a chat (for error messages). */
  describeChat(chatId: ChatId, n = 5): string {
    return this.#p.chats.describe(chatId, n);
  }

  /** Converts a stored bot message into a Telegram `Message` object (as the bot would see it). */
  toTelegramMessage(m: BotMessage): Record<string, unknown> {
    return this.#p.chats.toTelegramMessage(m);
  }

  // Blocking -------------------------------------------------------------------------------

  /** Sends into chat `id` get 403 "bot was blocked"; `notify` queues `my_chat_member` (kicked). */
  blockUser(id: ChatId, opts: { notify?: boolean } = {}): void {
    this.#p.blocking.block(id);
    if (opts.notify && typeof keyOf(id) === "number") this.#pushMemberStatus(+id, "kicked");
  }

  /** Sends into chat `id` work again; `notify` queues `my_chat_member` (member). */
  unblockUser(id: ChatId, opts: { notify?: boolean } = {}): void {
    this.#p.blocking.unblock(id);
    if (opts.notify && typeof keyOf(id) === "number") this.#pushMemberStatus(+id, "member");
  }

  /** Whether chat `id` blocked the bot. */
  isBlocked(id: ChatId): boolean {
    return this.#p.blocking.has(id);
  }

  /** Calls answered 403 because their chat blocked the bot (optionally for one chat), oldest first. */
  blockedCalls(chatId?: ChatId): BlockedCall[] {
    const key = chatId === undefined ? undefined : keyOf(chatId);
    return this.#p.blocking.calls.filter((c) => key === undefined || c.chat_id === key);
  }

  #pushMemberStatus(id: number, status: "kicked" | "member"): void {
    const from = this.#users.get(id)?.from ?? { id, is_bot: false, first_name: `User${id}` };
    this.#p.queue.enqueue(
      memberStatusUpdate(this.#p.chats.state(id).chat, from, this.botInfo, status),
    );
  }

  // Payments -------------------------------------------------------------------------------

  /** answerPreCheckoutQuery calls, oldest first. */
  get preCheckoutAnswers(): PreCheckoutAnswer[] {
    return this.#p.payments.answers;
  }

  /** Stars payments refunded by the bot (refundStarPayment), oldest first. */
  get refunds(): Payments["refunds"] {
    return this.#p.payments.refunds;
  }

  // Faults ---------------------------------------------------------------------------------

  /** Changes fault injection / limits at runtime; unspecified fields keep their value. */
  setFaults(f: FaultOptions): void {
    this.#p.faults.set(f);
  }

  /** Turns all faults and limits off (seed and blocked users are kept). */
  resetFaults(): void {
    this.#p.faults.reset();
  }

  /**
   * Resolves when every queued update has been taken by the bot (confirmed via
   * the getUpdates offset, or acknowledged by the webhook), no API call is in
   * flight and no API call arrived for `quietMs`. Rejects after `timeoutMs`.
   */
  waitForIdle(quietMs = 50, timeoutMs = 5000): Promise<void> {
    if (this.#stopping) return Promise.reject(new Error("FakeBotApi stopped"));
    return this.#p.activity.waitForIdle(quietMs, timeoutMs);
  }

  // Internal, used by FakeUser -------------------------------------------------------------

  /** @internal */
  _chat(key: ChatId): ChatState {
    return this.#p.chats.state(key);
  }

  /** @internal */
  _enqueue(u: Record<string, unknown>): Update {
    return this.#p.queue.enqueue(u);
  }

  /** @internal — queue a callback_query from `user` for `msg` (msg may be undefined for forged data). */
  _callback(user: FakeUser, data: string, msg: BotMessage | undefined): Update {
    const id = this.#p.callbacks.create(user.id, data);
    const cq: Record<string, unknown> = {
      id,
      from: user.from,
      chat_instance: `ci${msg ? msg.chat_id : user.id}`,
      data,
    };
    if (msg) cq.message = this.toTelegramMessage(msg);
    user._lastQueryId = id;
    return this.#p.queue.enqueue({ callback_query: cq });
  }

  /** @internal */
  _answers(userId: number): CallbackAnswer[] {
    return this.#p.callbacks.answersOf(userId);
  }

  /** @internal */
  _answerForQuery(id: string): CallbackAnswer | undefined {
    return this.#p.callbacks.answerFor(id);
  }

  /** @internal */
  _onAnswer(userId: number, fn: (a: CallbackAnswer) => void): () => void {
    return this.#p.callbacks.onAnswer(userId, fn);
  }

  /** @internal */
  _payments(): Payments {
    return this.#p.payments;
  }
}
