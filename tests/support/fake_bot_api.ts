/**
 * A local fake of the Telegram Bot API for end-to-end tests and benchmarks.
 *
 * Start it with `await FakeBotApi.start()`, point the bot at `fake.apiRoot`
 * (grammY: `new Bot(token, { client: { apiRoot: fake.apiRoot } })`, or the
 * `TELEGRAM_API_ROOT` environment variable of the real bot), act as users via
 * `fake.user(id, profile)` and inspect what the bot sent.
 *
 * Only Deno built-ins are used so the module has no dependencies besides the
 * `grammy/types` type declarations.
 */
import type { Update, UserFromGetMe } from "grammy/types";

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export type ChatId = number | string;
export type Payload = Record<string, unknown>;

export interface ApiOk {
  ok: true;
  result: unknown;
}
export interface ApiErr {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}
export type ApiResponse = ApiOk | ApiErr;

/** One recorded Bot API call (recorded when its answer is sent). */
export interface RecordedCall {
  method: string;
  payload: Payload;
  /** `Date.now()` when the request arrived. */
  at: number;
  response: ApiResponse;
  token: string;
}

/** A file uploaded by (or referenced in) a bot call. */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  /** Guessed from the file extension, like Telegram does; falls back to the part's content type. */
  mime_type?: string;
  file_size: number;
  /** Raw bytes of an uploaded file (undefined when the bot sent a file_id or URL). */
  bytes?: Uint8Array;
  /** Set when the bot sent a URL instead of uploading. */
  url?: string;
  width?: number;
  height?: number;
}

/** An inline keyboard / reply keyboard markup as the bot sent it. */
export interface Markup {
  inline_keyboard?: Array<Array<InlineButton>>;
  keyboard?: Array<Array<string | { text: string; [k: string]: unknown }>>;
  remove_keyboard?: boolean;
  force_reply?: boolean;
  [k: string]: unknown;
}
export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [k: string]: unknown;
}

/** A message the bot sent (edits are applied in place). */
export interface BotMessage {
  chat_id: ChatId;
  message_id: number;
  /** Unix seconds. */
  date: number;
  kind: "text" | "document" | "photo" | "copy";
  /** Text as sent by the bot (still containing HTML/Markdown markup); see {@link plainText}. */
  text?: string;
  caption?: string;
  parse_mode?: string;
  entities?: unknown[];
  reply_markup?: Markup;
  document?: StoredFile;
  photo?: StoredFile;
  reply_to_message_id?: number;
  deleted: boolean;
  edit_count: number;
  edit_date?: number;
  /** The payload of the call that created the message. */
  payload: Payload;
}

export interface Button {
  text: string;
  /** callback_data of an inline button. */
  data?: string;
  url?: string;
  kind: "inline" | "reply";
  row: number;
  col: number;
  raw: Record<string, unknown>;
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  /** `data` of the answered callback query. */
  data?: string;
  at: number;
}

export interface UserProfile {
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: boolean;
}

export type FaultKind = "429" | "500" | "timeout" | "lost";

export interface LimitOptions {
  /** Sends per sliding second over all chats (Telegram: ~30). 0 disables. */
  perBotPerSecond?: number;
  /** Sends per sliding second per chat (Telegram: ~1). 0 disables. */
  perChatPerSecond?: number;
  /** Methods counted; default: the same sending methods as faults. */
  methods?: string[];
}

export interface FaultOptions {
  /** Probability (0..1) that a sending call fails. */
  failRate?: number;
  /**
   * Kinds of failure chosen uniformly: "429" (with retry_after), "500",
   * "timeout" (held for timeoutMs, then 504, not delivered), "lost" (delivered,
   * then held and answered 504 — the client cannot know it was delivered).
   * Default ["429", "500"].
   */
  kinds?: FaultKind[];
  /** retry_after seconds for injected 429s. Default 1. */
  retryAfter?: number;
  /** How long "timeout"/"lost" requests are held. Default 1000 ms. */
  timeoutMs?: number;
  /** PRNG seed; setting it (re)seeds the generator. Default 1. */
  seed?: number;
  /** Methods faults apply to. Default sendMessage, sendDocument, sendPhoto, editMessageText, editMessageReplyMarkup. */
  methods?: string[];
  /** Telegram-like flood limits; `true` = 30/s per bot, 1/s per chat; `false` disables. */
  enforceLimits?: boolean | LimitOptions;
}

export interface FakeBotApiOptions {
  /** Port to bind on 127.0.0.1; default 0 (random). */
  port?: number;
  /** Keep the `calls` log (default true). Set false for benchmarks. */
  record?: boolean;
  /** Upper bound for holding a getUpdates long poll, whatever `timeout` the bot asks for. Default 1000 ms. */
  pollCapMs?: number;
  /** When set, any other token gets 401 Unauthorized. By default every token is accepted. */
  token?: string;
  /** Validate HTML parse_mode text like Telegram (unsupported/unclosed tags → 400). Default true. */
  validateHtml?: boolean;
  /** Delay before re-trying a failed webhook delivery. Default 50 ms. */
  webhookRetryMs?: number;
  /** Attempts per update before a failing webhook delivery is dropped. Default 5. */
  webhookMaxAttempts?: number;
  /** Overrides for the getMe result. */
  botInfo?: Partial<UserFromGetMe>;
  /** Initial fault configuration (same as `setFaults`). */
  faults?: FaultOptions;
}

export interface FakeStats {
  /** API calls answered (all methods). */
  calls: number;
  /** Bot messages created (sendMessage/sendDocument/sendPhoto/copyMessage). */
  sent: number;
  /** Sends rejected by enforceLimits. */
  rejected429: number;
  /** Injected faults by kind. */
  injected: Record<FaultKind, number>;
  /** Sends answered 403 because the user blocked the bot. */
  blocked403: number;
  /** Updates delivered to the bot (getUpdates results or successful webhook posts; re-deliveries count). */
  delivered: number;
  webhookFailures: number;
}

export interface WebhookInfo {
  url: string;
  secret_token?: string;
  max_connections?: number;
  allowed_updates?: string[];
  last_error_date?: number;
  last_error_message?: string;
}

/** Throw from a custom method handler (see `onMethod`) to answer an error envelope. */
export class FakeApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: ApiErr["parameters"],
  ) {
    super(description);
  }
}

export type MethodHandler = (payload: Payload, ctx: { token: string; fake: FakeBotApi }) => unknown;

/** Options of FakeUser actions: act in another chat (e.g. a group, negative id) instead of the private chat. */
export interface ChatOpt {
  chatId?: ChatId;
}

type MessagePredicate = (m: BotMessage, event: "sent" | "edited") => boolean;

// ---------------------------------------------------------------------------
// Internal types & constants
// ---------------------------------------------------------------------------

interface ChatState {
  key: ChatId;
  chat: Record<string, unknown>;
  nextId: number;
  bot: BotMessage[];
  byId: Map<number, BotMessage>;
  userMsgs: Map<number, Record<string, unknown>>;
  waiters: Set<MessageWaiter>;
  replyKeyboard?: Markup;
}

type Timer = ReturnType<typeof setTimeout>;

interface MessageWaiter {
  predicate?: MessagePredicate;
  resolve: (m: BotMessage) => void;
  reject: (e: Error) => void;
  timer: Timer;
}

type Emit = [ChatState, BotMessage, "sent" | "edited"];

interface Poller {
  limit: number;
  finish: (updates: Update[]) => void;
}

interface IdleWaiter {
  quietMs: number;
  resolve: () => void;
  reject: (e: Error) => void;
  quietTimer?: Timer;
  overallTimer: Timer;
}

interface CallWaiter {
  method: string;
  predicate?: (c: RecordedCall) => boolean;
  resolve: (c: RecordedCall) => void;
  reject: (e: Error) => void;
  timer: Timer;
}

interface QueryInfo {
  userId?: number;
  data?: string;
  answered?: CallbackAnswer;
}

interface Sleeper {
  timer: Timer;
  done: () => void;
}

const DEFAULT_FAULT_METHODS = [
  "sendMessage",
  "sendDocument",
  "sendPhoto",
  "editMessageText",
  "editMessageReplyMarkup",
];

const OBJECT_KEYS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "reply_parameters",
  "link_preview_options",
  "allowed_updates",
  "commands",
  "menu_button",
  "media",
  "scope",
  "message_ids",
]);
const NUMERIC_KEYS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "message_thread_id",
  "reply_to_message_id",
  "offset",
  "limit",
  "timeout",
  "max_connections",
  "cache_time",
  "duration",
  "width",
  "height",
]);
const BOOL_KEYS = new Set([
  "disable_notification",
  "protect_content",
  "show_alert",
  "drop_pending_updates",
  "allow_sending_without_reply",
  "disable_content_type_detection",
  "has_spoiler",
  "show_caption_above_media",
  "disable_web_page_preview",
]);

const ALLOWED_HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-emoji",
]);

const MIME_BY_EXT: Record<string, string> = {
  csv: "text/csv",
  txt: "text/plain",
  json: "application/json",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  ics: "text/calendar",
  zip: "application/zip",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  html: "text/html",
  db: "application/octet-stream",
  sqlite: "application/vnd.sqlite3",
  gz: "application/gzip",
};

const enc = new TextEncoder();
const dec = new TextDecoder();
const CRLF2 = enc.encode("\r\n\r\n");

const ERR_NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

// ---------------------------------------------------------------------------
// FakeBotApi
// ---------------------------------------------------------------------------

export class FakeBotApi {
  /** Every answered call (unless started with `record: false`). */
  readonly calls: RecordedCall[] = [];
  /** Tokens seen in request paths. */
  readonly tokens = new Set<string>();
  lastToken?: string;
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
  /** Commands last set via setMyCommands (by JSON of scope+language_code). */
  readonly commands = new Map<string, unknown>();
  readonly botInfo: UserFromGetMe;

  #server!: Deno.HttpServer<Deno.NetAddr>;
  #port = 0;
  #record: boolean;
  #pollCapMs: number;
  #requiredToken?: string;
  #validateHtml: boolean;
  #webhookRetryMs: number;
  #webhookMaxAttempts: number;
  #stopping = false;
  #stopped?: Promise<void>;

  // updates
  #queue: Update[] = [];
  #qHead = 0;
  #lastUpdateId = 0;
  #poller?: Poller;
  #pumpPromise?: Promise<void>;
  #pumping = false;
  #abort = new AbortController();

  // chats, users, messages
  #chats = new Map<ChatId, ChatState>();
  #users = new Map<number, FakeUser>();
  #blocked = new Set<ChatId>();
  #queries = new Map<string, QueryInfo>();
  #answersByUser = new Map<number, CallbackAnswer[]>();
  #answerWaiters = new Map<number, Set<(a: CallbackAnswer) => void>>();
  #cbSeq = 0;
  #fileSeq = 0;

  // faults & limits
  #failRate = 0;
  #kinds: FaultKind[] = ["429", "500"];
  #retryAfter = 1;
  #timeoutMs = 1000;
  #rng = mulberry32(1);
  #faultMethods = new Set(DEFAULT_FAULT_METHODS);
  #limits?: { perBot: number; perChat: number; methods: Set<string> };
  #botWindow: number[] = [];
  #chatWindows = new Map<ChatId, number[]>();
  #sleepers = new Set<Sleeper>();

  // activity & waiters
  #inflight = 0;
  #lastActivity = performance.now();
  #lastMethod = "";
  #idleWaiters = new Set<IdleWaiter>();
  #callWaiters = new Set<CallWaiter>();
  #overrides = new Map<string, MethodHandler>();
  #emitSink?: Emit[];
  #methods: Map<string, [string, MethodHandler]>;

  private constructor(options: FakeBotApiOptions) {
    this.#record = options.record ?? true;
    this.#pollCapMs = options.pollCapMs ?? 1000;
    this.#requiredToken = options.token;
    this.#validateHtml = options.validateHtml ?? true;
    this.#webhookRetryMs = options.webhookRetryMs ?? 50;
    this.#webhookMaxAttempts = options.webhookMaxAttempts ?? 5;
    this.botInfo = {
      id: 1000,
      is_bot: true,
      first_name: "Test Bot",
      username: "test_booking_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      ...options.botInfo,
    } as UserFromGetMe;
    this.#methods = this.#builtinMethods();
    if (options.faults) this.setFaults(options.faults);
  }

  /** Starts the fake server on 127.0.0.1 (random port unless `options.port`). */
  static start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const fake = new FakeBotApi(options);
    fake.#server = Deno.serve({
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      onListen() {},
    }, (req) => fake.#handle(req));
    fake.#port = fake.#server.addr.port;
    return Promise.resolve(fake);
  }

  /** `http://127.0.0.1:PORT` — use as grammY `apiRoot` / TELEGRAM_API_ROOT. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

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
    this.#poller?.finish([]);
    for (const s of [...this.#sleepers]) s.done();
    this.#abort.abort();
    await this.#pumpPromise;
    const stopped = new Error("FakeBotApi stopped");
    for (const st of this.#chats.values()) {
      for (const w of st.waiters) {
        clearTimeout(w.timer);
        w.reject(stopped);
      }
      st.waiters.clear();
    }
    for (const w of this.#idleWaiters) {
      clearTimeout(w.overallTimer);
      clearTimeout(w.quietTimer);
      w.reject(stopped);
    }
    this.#idleWaiters.clear();
    for (const w of this.#callWaiters) {
      clearTimeout(w.timer);
      w.reject(stopped);
    }
    this.#callWaiters.clear();
    await this.#server.shutdown();
  }

  // -------------------------------------------------------------------------
  // Recording helpers
  // -------------------------------------------------------------------------

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /** Resolves with the next call (answered after now) of `method` matching `predicate`. */
  waitForCall(
    method: string,
    predicate?: (c: RecordedCall) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    return new Promise((resolve, reject) => {
      const w: CallWaiter = {
        method,
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#callWaiters.delete(w);
          reject(new Error(`waitForCall("${method}") timed out after ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.#callWaiters.add(w);
    });
  }

  /** Replaces (or adds) the implementation of a Bot API method. Pass undefined to remove the override. */
  onMethod(method: string, handler: MethodHandler | undefined): void {
    if (handler) this.#overrides.set(method.toLowerCase(), handler);
    else this.#overrides.delete(method.toLowerCase());
  }

  // -------------------------------------------------------------------------
  // Users, chats, updates
  // -------------------------------------------------------------------------

  /** Returns (creating or updating the profile of) a simulated user with a private chat id = user id. */
  user(id: number, profile?: Partial<UserProfile>): FakeUser {
    let u = this.#users.get(id);
    if (!u) {
      u = new FakeUser(this, id, { first_name: `User${id}`, ...profile });
      this.#users.set(id, u);
    } else if (profile) {
      Object.assign(u.profile, profile);
    }
    const st = this.#chatState(id);
    st.chat = privateChat(id, u.profile);
    return u;
  }

  /** Queues an arbitrary (possibly malformed) update; `update_id` is assigned. */
  pushUpdate(update: object): Update {
    const u = { ...update } as Record<string, unknown>;
    for (const key of ["message", "edited_message", "channel_post", "edited_channel_post"]) {
      const m = u[key];
      if (isObj(m) && isObj(m.chat) && (typeof m.chat.id === "number")) {
        const st = this.#chatState(m.chat.id);
        if (typeof m.chat.type === "string") st.chat = m.chat;
        if (typeof m.message_id === "number") {
          if (m.message_id >= st.nextId) st.nextId = m.message_id + 1;
          if (key === "message" || key === "channel_post") st.userMsgs.set(m.message_id, m);
        }
      }
    }
    const cq = u.callback_query;
    if (isObj(cq) && typeof cq.id === "string" && !this.#queries.has(cq.id)) {
      const from = cq.from;
      this.#queries.set(cq.id, {
        userId: isObj(from) && typeof from.id === "number" ? from.id : undefined,
        data: typeof cq.data === "string" ? cq.data : undefined,
      });
    }
    return this.#enqueue(u);
  }

  /** Number of queued updates not yet confirmed (polling) / delivered (webhook). */
  get pendingUpdates(): number {
    return this.#queue.length - this.#qHead;
  }

  /** Bot messages in a chat (non-deleted unless includeDeleted). Returns a new array. */
  chatMessages(chatId: ChatId, includeDeleted = false): BotMessage[] {
    const st = this.#chats.get(keyOf(chatId));
    if (!st) return [];
    return includeDeleted ? st.bot.slice() : st.bot.filter((m) => !m.deleted);
  }

  /** O(1) lookup of a bot message. */
  getMessage(chatId: ChatId, messageId: number): BotMessage | undefined {
    return this.#chats.get(keyOf(chatId))?.byId.get(messageId);
  }

  /** Newest non-deleted bot message in a chat. */
  lastMessageIn(chatId: ChatId): BotMessage | undefined {
    const st = this.#chats.get(keyOf(chatId));
    if (!st) return undefined;
    for (let i = st.bot.length - 1; i >= 0; i--) if (!st.bot[i].deleted) return st.bot[i];
    return undefined;
  }

  /** Resolves with the first bot message sent/edited in the chat after this call (matching predicate). */
  nextMessageIn(
    chatId: ChatId,
    predicate?: MessagePredicate,
    timeoutMs = 5000,
  ): Promise<BotMessage> {
    const st = this.#chatState(keyOf(chatId));
    if (this.#stopping) return Promise.reject(new Error("FakeBotApi stopped"));
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
              }. Last bot messages:\n${this.describeChat(st.key)}`,
            ),
          );
        }, timeoutMs),
      };
      st.waiters.add(w);
    });
  }

  /** Human-readable dump of the last `n` bot messages of a chat (for error messages). */
  describeChat(chatId: ChatId, n = 5): string {
    const st = this.#chats.get(keyOf(chatId));
    const lines: string[] = [];
    if (st) {
      for (let i = st.bot.length - 1; i >= 0 && lines.length < n; i--) {
        const m = st.bot[i];
        if (m.deleted) continue;
        const body = m.text ?? m.caption ?? "";
        let line = `  #${m.message_id}${m.edit_count ? " (edited)" : ""} [${m.kind}${
          m.document?.file_name ? " " + m.document.file_name : ""
        }] ${JSON.stringify(body.length > 160 ? body.slice(0, 160) + "…" : body)}`;
        const rows = m.reply_markup?.inline_keyboard;
        if (Array.isArray(rows)) {
          line += "\n      buttons: " +
            rows.map((r) => "[" + r.map((b) => b?.text).join(" | ") + "]").join(" ");
        }
        lines.unshift(line);
      }
    }
    return lines.length ? lines.join("\n") : "  (no bot messages in this chat)";
  }

  blockUser(id: number, opts: { notify?: boolean } = {}): void {
    this.#blocked.add(id);
    if (opts.notify) this.#pushMemberStatus(id, "kicked");
  }

  unblockUser(id: number, opts: { notify?: boolean } = {}): void {
    this.#blocked.delete(id);
    if (opts.notify) this.#pushMemberStatus(id, "member");
  }

  isBlocked(id: ChatId): boolean {
    return this.#blocked.has(keyOf(id));
  }

  // -------------------------------------------------------------------------
  // Faults
  // -------------------------------------------------------------------------

  /** Changes fault injection / limits at runtime; unspecified fields keep their value. */
  setFaults(f: FaultOptions): void {
    if (f.failRate !== undefined) this.#failRate = Math.min(1, Math.max(0, f.failRate));
    if (f.kinds !== undefined) this.#kinds = f.kinds.length ? [...f.kinds] : ["500"];
    if (f.retryAfter !== undefined) this.#retryAfter = f.retryAfter;
    if (f.timeoutMs !== undefined) this.#timeoutMs = f.timeoutMs;
    if (f.seed !== undefined) this.#rng = mulberry32(f.seed);
    if (f.methods !== undefined) this.#faultMethods = new Set(f.methods);
    if (f.enforceLimits !== undefined) {
      if (f.enforceLimits === false) {
        this.#limits = undefined;
      } else {
        const l = f.enforceLimits === true ? {} : f.enforceLimits;
        this.#limits = {
          perBot: l.perBotPerSecond ?? 30,
          perChat: l.perChatPerSecond ?? 1,
          methods: new Set(l.methods ?? [...this.#faultMethods]),
        };
        this.#botWindow = [];
        this.#chatWindows.clear();
      }
    }
  }

  /** Turns all faults and limits off (seed and blocked users are kept). */
  resetFaults(): void {
    this.#failRate = 0;
    this.#kinds = ["429", "500"];
    this.#limits = undefined;
  }

  // -------------------------------------------------------------------------
  // Quiescence
  // -------------------------------------------------------------------------

  /**
   * Resolves when every queued update has been taken by the bot (confirmed via
   * the getUpdates offset, or acknowledged by the webhook), no API call is in
   * flight and no API call arrived for `quietMs`. Rejects after `timeoutMs`.
   */
  waitForIdle(quietMs = 50, timeoutMs = 5000): Promise<void> {
    if (this.#stopping) return Promise.reject(new Error("FakeBotApi stopped"));
    return new Promise((resolve, reject) => {
      const w: IdleWaiter = {
        quietMs,
        resolve,
        reject,
        overallTimer: setTimeout(() => {
          clearTimeout(w.quietTimer);
          this.#idleWaiters.delete(w);
          reject(new Error(`waitForIdle timed out after ${timeoutMs} ms: ${this.#idleDiag()}`));
        }, timeoutMs),
      };
      this.#idleWaiters.add(w);
      this.#armIdle(w);
    });
  }

  #idleDiag(): string {
    const pending = this.pendingUpdates;
    const parts = [
      `${pending} update(s) not yet taken by the bot` +
      (pending
        ? ` (update_id ${this.#queue[this.#qHead].update_id}..${this.#lastUpdateId}; ${
          this.webhook.url ? "webhook mode" : "is the bot polling?"
        })`
        : ""),
      `${this.#inflight} API call(s) in flight`,
      `last activity ${Math.round(performance.now() - this.#lastActivity)} ms ago${
        this.#lastMethod ? ` (${this.#lastMethod})` : ""
      }`,
    ];
    return parts.join(", ");
  }

  #baseIdle(): boolean {
    return this.#inflight === 0 && this.#qHead === this.#queue.length;
  }

  #armIdle(w: IdleWaiter): void {
    clearTimeout(w.quietTimer);
    w.quietTimer = undefined;
    if (!this.#baseIdle()) return;
    const wait = Math.max(0, this.#lastActivity + w.quietMs - performance.now());
    w.quietTimer = setTimeout(() => {
      w.quietTimer = undefined;
      if (this.#baseIdle() && performance.now() - this.#lastActivity >= w.quietMs - 1) {
        clearTimeout(w.overallTimer);
        this.#idleWaiters.delete(w);
        w.resolve();
      } else {
        this.#armIdle(w);
      }
    }, wait);
  }

  #activity(method?: string): void {
    this.#lastActivity = performance.now();
    if (method) this.#lastMethod = method;
    if (this.#idleWaiters.size) { for (const w of this.#idleWaiters) this.#armIdle(w); }
  }

  // -------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------

  async #handle(req: Request): Promise<Response> {
    const url = req.url;
    // path starts after "http://host:port"
    const pathStart = url.indexOf("/", url.indexOf("//") + 2);
    const qm = url.indexOf("?", pathStart);
    const path = qm === -1 ? url.slice(pathStart) : url.slice(pathStart, qm);
    const m = /^\/bot([^/]+)\/(?:test\/)?([A-Za-z0-9_]+)\/?$/.exec(path);
    if (!m) {
      return jsonResponse(404, { ok: false, error_code: 404, description: "Not Found" });
    }
    const token = decodeURIComponent(m[1]);
    let payload: Payload;
    try {
      payload = await readPayload(req, qm === -1 ? "" : url.slice(qm + 1));
    } catch (e) {
      return jsonResponse(400, {
        ok: false,
        error_code: 400,
        description: `Bad Request: can't parse request: ${(e as Error).message}`,
      });
    }
    const [status, body] = await this.#process(token, m[2], payload);
    return jsonResponse(status, body);
  }

  async #process(
    token: string,
    rawMethod: string,
    payload: Payload,
  ): Promise<[number, ApiResponse]> {
    const at = Date.now();
    const lower = rawMethod.toLowerCase();
    const entry = this.#methods.get(lower);
    const method = entry ? entry[0] : rawMethod;
    const isPoll = lower === "getupdates";
    if (!this.tokens.has(token)) this.tokens.add(token);
    this.lastToken = token;
    if (!isPoll) {
      this.#inflight++;
      this.#activity(method);
    }
    let response: ApiResponse;
    const emits: Emit[] = [];
    try {
      response = await this.#run(token, lower, method, entry?.[1], payload, emits);
    } catch (e) {
      if (e instanceof FakeApiError) {
        response = { ok: false, error_code: e.error_code, description: e.description };
        if (e.parameters) response.parameters = e.parameters;
      } else {
        console.error(`FakeBotApi: internal error in ${method}:`, e);
        response = {
          ok: false,
          error_code: 500,
          description: `Internal Server Error: ${(e as Error)?.message ?? e}`,
        };
      }
    } finally {
      if (!isPoll) this.#inflight--;
    }
    this.stats.calls++;
    const call: RecordedCall = { method, payload, at, response, token };
    if (this.#record) this.calls.push(call);
    if (this.#callWaiters.size) {
      for (const w of this.#callWaiters) {
        if (w.method === method && (!w.predicate || w.predicate(call))) {
          clearTimeout(w.timer);
          this.#callWaiters.delete(w);
          w.resolve(call);
        }
      }
    }
    for (const [st, m, ev] of emits) this.#dispatch(st, m, ev);
    if (!isPoll) this.#activity();
    return [response.ok ? 200 : response.error_code, response];
  }

  async #run(
    token: string,
    lower: string,
    method: string,
    builtin: MethodHandler | undefined,
    payload: Payload,
    emits: Emit[],
  ): Promise<ApiResponse> {
    if (this.#requiredToken !== undefined && token !== this.#requiredToken) {
      throw new FakeApiError(401, "Unauthorized");
    }
    const override = this.#overrides.get(lower);
    if (override) return { ok: true, result: await override(payload, { token, fake: this }) };
    if (!builtin) throw new FakeApiError(404, "Not Found: method not found");
    if (lower === "getupdates") {
      return { ok: true, result: await this.#getUpdates(payload) };
    }

    let chatKey: ChatId | undefined;
    let lost = false;
    if (this.#faultMethods.has(method) && this.#failRate > 0 && this.#rng() < this.#failRate) {
      const kind = this.#kinds[Math.floor(this.#rng() * this.#kinds.length)];
      this.stats.injected[kind]++;
      if (kind === "429") {
        throw new FakeApiError(429, `Too Many Requests: retry after ${this.#retryAfter}`, {
          retry_after: this.#retryAfter,
        });
      } else if (kind === "500") {
        throw new FakeApiError(500, "Internal Server Error");
      } else if (kind === "timeout") {
        await this.#sleep(this.#timeoutMs);
        throw new FakeApiError(504, "Gateway Timeout");
      } else {
        lost = true;
      }
    }
    if (
      this.#blocked.size &&
      (lower.startsWith("send") || lower.startsWith("edit") || lower === "copymessage")
    ) {
      chatKey = normChatId(payload.chat_id);
      if (chatKey !== undefined && this.#blocked.has(chatKey)) {
        this.stats.blocked403++;
        throw new FakeApiError(403, "Forbidden: bot was blocked by the user");
      }
    }
    const limits = this.#limits;
    let now = 0;
    if (limits && limits.methods.has(method)) {
      chatKey ??= normChatId(payload.chat_id);
      now = performance.now();
      const retry = this.#checkLimits(limits, chatKey, now);
      if (retry > 0) {
        this.stats.rejected429++;
        throw new FakeApiError(429, `Too Many Requests: retry after ${retry}`, {
          retry_after: retry,
        });
      }
    }
    this.#emitSink = emits;
    let result: unknown;
    try {
      result = builtin(payload, { token, fake: this });
    } finally {
      this.#emitSink = undefined;
    }
    if (now) this.#noteSend(limits!, chatKey, now);
    if (lost) {
      await this.#sleep(this.#timeoutMs);
      throw new FakeApiError(504, "Gateway Timeout");
    }
    return { ok: true, result };
  }

  #checkLimits(
    l: { perBot: number; perChat: number },
    chatKey: ChatId | undefined,
    now: number,
  ): number {
    if (l.perBot > 0) {
      const w = this.#botWindow;
      while (w.length && w[0] <= now - 1000) w.shift();
      if (w.length >= l.perBot) return Math.max(1, Math.ceil((w[0] + 1000 - now) / 1000));
    }
    if (l.perChat > 0 && chatKey !== undefined) {
      const w = this.#chatWindows.get(chatKey);
      if (w) {
        while (w.length && w[0] <= now - 1000) w.shift();
        if (w.length >= l.perChat) return Math.max(1, Math.ceil((w[0] + 1000 - now) / 1000));
      }
    }
    return 0;
  }

  #noteSend(l: { perBot: number; perChat: number }, chatKey: ChatId | undefined, now: number) {
    if (l.perBot > 0) this.#botWindow.push(now);
    if (l.perChat > 0 && chatKey !== undefined) {
      const w = this.#chatWindows.get(chatKey);
      if (w) w.push(now);
      else this.#chatWindows.set(chatKey, [now]);
    }
  }

  /** Cancellable delay (ended early by stop()). */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const s: Sleeper = {
        timer: undefined as unknown as Timer,
        done: () => {
          clearTimeout(s.timer);
          this.#sleepers.delete(s);
          resolve();
        },
      };
      s.timer = setTimeout(s.done, ms);
      this.#sleepers.add(s);
    });
  }

  // -------------------------------------------------------------------------
  // Updates: polling & webhook
  // -------------------------------------------------------------------------

  #enqueue(u: Record<string, unknown>): Update {
    u.update_id = ++this.#lastUpdateId;
    const update = u as unknown as Update;
    this.#queue.push(update);
    this.#activity();
    if (this.webhook.url) {
      this.#kickPump();
    } else if (this.#poller) {
      const p = this.#poller;
      p.finish(this.#takeBatch(p.limit));
    }
    return update;
  }

  #confirm(offset: number): void {
    const q = this.#queue;
    const before = this.#qHead;
    if (offset < 0) {
      // Telegram: negative offset = only the last |offset| updates are kept.
      this.#qHead = Math.max(this.#qHead, q.length + offset);
    } else {
      while (this.#qHead < q.length && q[this.#qHead].update_id < offset) this.#qHead++;
    }
    if (this.#qHead !== before) {
      if (this.#qHead > 1024 && this.#qHead * 2 > q.length) {
        this.#queue = q.slice(this.#qHead);
        this.#qHead = 0;
      }
      this.#activity();
    }
  }

  #takeBatch(limit: number): Update[] {
    const end = Math.min(this.#queue.length, this.#qHead + limit);
    const batch = this.#queue.slice(this.#qHead, end);
    this.stats.delivered += batch.length;
    return batch;
  }

  #getUpdates(p: Payload): Update[] | Promise<Update[]> {
    if (this.webhook.url) {
      throw new FakeApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = toNum(p.offset);
    const limit = Math.min(100, Math.max(1, toNum(p.limit) ?? 100));
    const timeout = toNum(p.timeout) ?? 0;
    if (offset !== undefined && offset !== 0) this.#confirm(offset);
    // a newer getUpdates supersedes a pending one (Telegram would answer 409 Conflict)
    this.#poller?.finish([]);
    const batch = this.#takeBatch(limit);
    if (batch.length || timeout <= 0 || this.#stopping) return batch;
    return new Promise((resolve) => {
      let done = false;
      const poller: Poller = {
        limit,
        finish: (updates) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (this.#poller === poller) this.#poller = undefined;
          resolve(updates);
        },
      };
      const onAbort = () => poller.finish([]);
      const timer = setTimeout(onAbort, Math.min(timeout * 1000, this.#pollCapMs));
      this.#poller = poller;
    });
  }

  #kickPump(): void {
    if (this.#pumping || this.#stopping) return;
    this.#pumping = true;
    this.#pumpPromise = this.#pump().finally(() => {
      this.#pumping = false;
    });
  }

  async #pump(): Promise<void> {
    let attempts = 0;
    while (this.webhook.url && this.#qHead < this.#queue.length && !this.#stopping) {
      const u = this.#queue[this.#qHead];
      const url = this.webhook.url;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (this.webhook.secret_token) {
        headers["X-Telegram-Bot-Api-Secret-Token"] = this.webhook.secret_token;
      }
      let ok = false;
      let reply: unknown;
      try {
        const res = await fetch(url, {
          method: "POST",
          headers,
          body: JSON.stringify(u),
          signal: this.#abort.signal,
        });
        const text = await res.text();
        ok = res.ok;
        if (!ok) {
          this.webhook.last_error_message =
            `Wrong response from the webhook: ${res.status} ${res.statusText}`;
        } else if (text && text.trimStart().startsWith("{")) {
          try {
            reply = JSON.parse(text);
          } catch { /* not a webhook reply */ }
        }
      } catch (e) {
        if (this.#stopping) return;
        this.webhook.last_error_message = `Connection failed: ${(e as Error).message}`;
      }
      if (ok) {
        attempts = 0;
        this.stats.delivered++;
        if (this.#queue[this.#qHead] === u) this.#qHead++;
        this.#activity();
        if (isObj(reply) && typeof reply.method === "string") {
          const { method, ...rest } = reply;
          await this.#process(this.lastToken ?? "webhook-reply", method, rest);
        }
      } else {
        this.webhook.last_error_date = Math.floor(Date.now() / 1000);
        this.stats.webhookFailures++;
        if (++attempts >= this.#webhookMaxAttempts) {
          attempts = 0;
          if (this.#queue[this.#qHead] === u) this.#qHead++;
          this.#activity();
        } else {
          await this.#sleep(this.#webhookRetryMs);
        }
      }
    }
  }

  #pushMemberStatus(id: number, status: "kicked" | "member"): void {
    const user = this.#users.get(id);
    const st = this.#chatState(id);
    const from = user ? user.from : { id, is_bot: false, first_name: `User${id}` };
    this.#enqueue({
      my_chat_member: {
        chat: st.chat,
        from,
        date: unixNow(),
        old_chat_member: { user: this.botInfo, status: status === "kicked" ? "member" : "kicked" },
        new_chat_member: status === "kicked"
          ? { user: this.botInfo, status, until_date: 0 }
          : { user: this.botInfo, status },
      },
    });
  }

  // -------------------------------------------------------------------------
  // Chats & messages (internal, used by FakeUser)
  // -------------------------------------------------------------------------

  /** @internal */
  _chat(key: ChatId): ChatState {
    return this.#chatState(key);
  }

  #chatState(key: ChatId): ChatState {
    let st = this.#chats.get(key);
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
      this.#chats.set(key, st);
    }
    return st;
  }

  /** @internal */
  _enqueue(u: Record<string, unknown>): Update {
    return this.#enqueue(u);
  }

  /** @internal — queue a callback_query from `user` for `msg` (msg may be undefined for forged data). */
  _callback(user: FakeUser, data: string, msg: BotMessage | undefined): Update {
    const id = String(4_000_000_000_000_000 + ++this.#cbSeq);
    this.#queries.set(id, { userId: user.id, data });
    const cq: Record<string, unknown> = {
      id,
      from: user.from,
      chat_instance: `ci${msg ? msg.chat_id : user.id}`,
      data,
    };
    if (msg) cq.message = this.toTelegramMessage(msg);
    user._lastQueryId = id;
    return this.#enqueue({ callback_query: cq });
  }

  /** @internal */
  _answers(userId: number): CallbackAnswer[] {
    return this.#answersByUser.get(userId) ?? [];
  }

  /** @internal */
  _answerForQuery(id: string): CallbackAnswer | undefined {
    return this.#queries.get(id)?.answered;
  }

  /** @internal */
  _onAnswer(userId: number, fn: (a: CallbackAnswer) => void): () => void {
    let set = this.#answerWaiters.get(userId);
    if (!set) this.#answerWaiters.set(userId, set = new Set());
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Converts a stored bot message into a Telegram `Message` object (as the bot would see it). */
  toTelegramMessage(m: BotMessage): Record<string, unknown> {
    const st = this.#chatState(m.chat_id);
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
    if (m.reply_markup?.inline_keyboard) {
      out.reply_markup = { inline_keyboard: m.reply_markup.inline_keyboard };
    }
    return out;
  }

  /** Queues (during a call: until it is recorded) or dispatches a message event to chat waiters. */
  #emit(st: ChatState, m: BotMessage, event: "sent" | "edited"): void {
    if (!st.waiters.size) return;
    if (this.#emitSink) this.#emitSink.push([st, m, event]);
    else this.#dispatch(st, m, event);
  }

  #dispatch(st: ChatState, m: BotMessage, event: "sent" | "edited"): void {
    for (const w of st.waiters) {
      if (w.predicate && !w.predicate(m, event)) continue;
      clearTimeout(w.timer);
      st.waiters.delete(w);
      w.resolve(m);
    }
  }

  #newBotMessage(
    p: Payload,
    kind: BotMessage["kind"],
    fields: Partial<BotMessage>,
  ): BotMessage {
    const chatKey = normChatId(p.chat_id);
    if (chatKey === undefined || chatKey === "") {
      throw new FakeApiError(400, "Bad Request: chat_id is empty");
    }
    const st = this.#chatState(chatKey);
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
    if (markup) {
      if (markup.keyboard) st.replyKeyboard = markup;
      else if (markup.remove_keyboard) st.replyKeyboard = undefined;
    }
    st.bot.push(m);
    st.byId.set(m.message_id, m);
    this.stats.sent++;
    this.#emit(st, m, "sent");
    return m;
  }

  #findForEdit(p: Payload): [ChatState, BotMessage] | undefined {
    if (p.inline_message_id !== undefined) return undefined;
    const chatKey = normChatId(p.chat_id);
    if (chatKey === undefined) throw new FakeApiError(400, "Bad Request: chat_id is empty");
    const id = toNum(p.message_id);
    if (id === undefined) {
      throw new FakeApiError(400, "Bad Request: message identifier is not specified");
    }
    const st = this.#chats.get(chatKey);
    const m = st?.byId.get(id);
    if (!st || !m || m.deleted) {
      throw new FakeApiError(400, "Bad Request: message to edit not found");
    }
    return [st, m];
  }

  #checkText(text: string, parseMode: unknown, max: number, what: "text" | "caption"): void {
    if (parseMode === "HTML" && this.#validateHtml) {
      const err = checkHtml(text);
      if (err) throw new FakeApiError(400, `Bad Request: can't parse entities: ${err}`);
    }
    const plain = parseMode === "HTML" ? htmlToPlain(text) : text;
    if (what === "text" && plain.trim() === "") {
      throw new FakeApiError(400, "Bad Request: message text is empty");
    }
    if (plain.length > max) {
      throw new FakeApiError(
        400,
        what === "text"
          ? "Bad Request: message is too long"
          : "Bad Request: message caption is too long",
      );
    }
  }

  #file(p: Payload, key: "document" | "photo"): StoredFile {
    const v = p[key];
    const seq = ++this.#fileSeq;
    const ids = { file_id: `${key.toUpperCase()}_${seq}`, file_unique_id: `u${seq}` };
    if (v instanceof UploadedFile) {
      if (v.bytes.length === 0) throw new FakeApiError(400, "Bad Request: file must be non-empty");
      const ext = v.file_name.includes(".")
        ? v.file_name.slice(v.file_name.lastIndexOf(".") + 1).toLowerCase()
        : "";
      const f: StoredFile = {
        ...ids,
        file_name: v.file_name,
        mime_type: MIME_BY_EXT[ext] ?? v.content_type,
        file_size: v.bytes.length,
        bytes: v.bytes,
      };
      if (key === "photo") {
        const dims = imageDims(v.bytes);
        if (!dims) throw new FakeApiError(400, "Bad Request: IMAGE_PROCESS_FAILED");
        f.width = dims[0];
        f.height = dims[1];
      }
      return f;
    }
    if (typeof v === "string" && v.startsWith("attach://")) {
      throw new FakeApiError(400, `Bad Request: file ${v} not found in the request`);
    }
    if (typeof v === "string" && v !== "") {
      if (/^https?:\/\//.test(v)) return { ...ids, url: v, file_size: 0 };
      return { ...ids, file_id: v, file_size: 0 };
    }
    throw new FakeApiError(400, `Bad Request: there is no ${key} in the request`);
  }

  #builtinMethods(): Map<string, [string, MethodHandler]> {
    const T = () => true;
    const defs: Record<string, MethodHandler> = {
      getMe: () => this.botInfo,
      getUpdates: () => [], // handled specially in #run
      logOut: T,
      close: T,
      deleteWebhook: (p) => {
        this.webhook.url = "";
        delete this.webhook.secret_token;
        if (p.drop_pending_updates === true) this.#confirm(this.#lastUpdateId + 1);
        return true;
      },
      setWebhook: (p) => {
        const url = typeof p.url === "string" ? p.url : "";
        if (url && !/^https?:\/\//.test(url)) {
          throw new FakeApiError(400, "Bad Request: bad webhook: invalid URL");
        }
        this.webhook.url = url;
        if (typeof p.secret_token === "string") this.webhook.secret_token = p.secret_token;
        else delete this.webhook.secret_token;
        if (p.max_connections !== undefined) {
          this.webhook.max_connections = toNum(p.max_connections);
        }
        if (Array.isArray(p.allowed_updates)) this.webhook.allowed_updates = p.allowed_updates;
        if (p.drop_pending_updates === true) this.#confirm(this.#lastUpdateId + 1);
        this.#poller?.finish([]);
        if (url) queueMicrotask(() => this.#kickPump());
        return true;
      },
      getWebhookInfo: () => {
        const r: Record<string, unknown> = {
          url: this.webhook.url,
          has_custom_certificate: false,
          pending_update_count: this.pendingUpdates,
        };
        if (this.webhook.url) {
          if (this.webhook.max_connections) r.max_connections = this.webhook.max_connections;
          if (this.webhook.allowed_updates) r.allowed_updates = this.webhook.allowed_updates;
          if (this.webhook.last_error_date) {
            r.last_error_date = this.webhook.last_error_date;
            r.last_error_message = this.webhook.last_error_message;
          }
        }
        return r;
      },
      setMyCommands: (p) => {
        if (!Array.isArray(p.commands)) {
          throw new FakeApiError(400, 'Bad Request: parameter "commands" is required');
        }
        this.commands.set(JSON.stringify([p.scope ?? null, p.language_code ?? ""]), p.commands);
        return true;
      },
      getMyCommands: (p) =>
        this.commands.get(JSON.stringify([p.scope ?? null, p.language_code ?? ""])) ?? [],
      deleteMyCommands: (p) => {
        this.commands.delete(JSON.stringify([p.scope ?? null, p.language_code ?? ""]));
        return true;
      },
      setChatMenuButton: T,
      getChatMenuButton: () => ({ type: "commands" }),
      setMyDescription: T,
      setMyShortDescription: T,
      setMyName: T,
      setMyDefaultAdministratorRights: T,
      sendChatAction: (p) => {
        if (normChatId(p.chat_id) === undefined) {
          throw new FakeApiError(400, "Bad Request: chat_id is empty");
        }
        return true;
      },
      getChat: (p) => {
        const k = normChatId(p.chat_id);
        if (k === undefined) throw new FakeApiError(400, "Bad Request: chat_id is empty");
        return this.#chatState(k).chat;
      },
      getChatMember: (p) => {
        const uid = toNum(p.user_id);
        const u = uid !== undefined ? this.#users.get(uid) : undefined;
        return {
          status: "member",
          user: u ? u.from : { id: uid, is_bot: false, first_name: `User${uid}` },
        };
      },
      sendMessage: (p) => {
        const text = typeof p.text === "string"
          ? p.text
          : p.text === undefined
          ? ""
          : String(p.text);
        this.#checkText(text, p.parse_mode, 4096, "text");
        const m = this.#newBotMessage(p, "text", { text });
        if (Array.isArray(p.entities)) m.entities = p.entities;
        return this.toTelegramMessage(m);
      },
      sendDocument: (p) => {
        const caption = p.caption === undefined ? undefined : String(p.caption);
        if (caption !== undefined) this.#checkText(caption, p.parse_mode, 1024, "caption");
        const document = this.#file(p, "document");
        return this.toTelegramMessage(this.#newBotMessage(p, "document", { document, caption }));
      },
      sendPhoto: (p) => {
        const caption = p.caption === undefined ? undefined : String(p.caption);
        if (caption !== undefined) this.#checkText(caption, p.parse_mode, 1024, "caption");
        const photo = this.#file(p, "photo");
        return this.toTelegramMessage(this.#newBotMessage(p, "photo", { photo, caption }));
      },
      copyMessage: (p) => {
        const from = normChatId(p.from_chat_id);
        const id = toNum(p.message_id);
        const st = from === undefined ? undefined : this.#chats.get(from);
        const src = id === undefined ? undefined : (st?.byId.get(id) ?? st?.userMsgs.get(id));
        if (!src || (src as BotMessage).deleted) {
          throw new FakeApiError(400, "Bad Request: message to copy not found");
        }
        const s = src as Partial<BotMessage> & { text?: string; caption?: string };
        const m = this.#newBotMessage(p, "copy", {
          text: s.text,
          caption: p.caption !== undefined ? String(p.caption) : s.caption,
          document: s.document,
          photo: s.photo,
        });
        return { message_id: m.message_id };
      },
      editMessageText: (p) => {
        const found = this.#findForEdit(p);
        if (!found) return true;
        const [st, m] = found;
        if (m.text === undefined) {
          throw new FakeApiError(400, "Bad Request: there is no text in the message to edit");
        }
        const text = typeof p.text === "string" ? p.text : "";
        this.#checkText(text, p.parse_mode, 4096, "text");
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
        return this.#edited(st, m);
      },
      editMessageCaption: (p) => {
        const found = this.#findForEdit(p);
        if (!found) return true;
        const [st, m] = found;
        if (m.kind === "text") {
          throw new FakeApiError(400, "Bad Request: there is no caption in the message to edit");
        }
        const caption = p.caption === undefined ? undefined : String(p.caption);
        if (caption !== undefined) this.#checkText(caption, p.parse_mode, 1024, "caption");
        const markup = p.reply_markup as Markup | undefined;
        if (markup !== undefined) checkMarkup(markup);
        if (caption === m.caption && sameJson(markup, m.reply_markup)) {
          throw new FakeApiError(400, ERR_NOT_MODIFIED);
        }
        m.caption = caption;
        m.parse_mode = p.parse_mode as string | undefined;
        m.reply_markup = markup;
        return this.#edited(st, m);
      },
      editMessageReplyMarkup: (p) => {
        const found = this.#findForEdit(p);
        if (!found) return true;
        const [st, m] = found;
        const markup = p.reply_markup as Markup | undefined;
        if (markup !== undefined) checkMarkup(markup);
        const cur = m.reply_markup?.inline_keyboard ? m.reply_markup : undefined;
        if (sameJson(emptyToUndef(markup), emptyToUndef(cur))) {
          throw new FakeApiError(400, ERR_NOT_MODIFIED);
        }
        m.reply_markup = markup;
        return this.#edited(st, m);
      },
      deleteMessage: (p) => {
        const chatKey = normChatId(p.chat_id);
        const id = toNum(p.message_id);
        const st = chatKey === undefined ? undefined : this.#chats.get(chatKey);
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
      },
      deleteMessages: (p) => {
        const chatKey = normChatId(p.chat_id);
        const st = chatKey === undefined ? undefined : this.#chats.get(chatKey);
        if (st && Array.isArray(p.message_ids)) {
          for (const id of p.message_ids) {
            const m = st.byId.get(Number(id));
            if (m) m.deleted = true;
            else st.userMsgs.delete(Number(id));
          }
        }
        return true;
      },
      answerCallbackQuery: (p) => {
        const id = String(p.callback_query_id ?? "");
        const q = this.#queries.get(id);
        if (!q || q.answered) {
          throw new FakeApiError(
            400,
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
          );
        }
        const a: CallbackAnswer = { callback_query_id: id, data: q.data, at: Date.now() };
        if (p.text !== undefined) a.text = String(p.text);
        if (p.show_alert !== undefined) a.show_alert = p.show_alert === true;
        if (p.url !== undefined) a.url = String(p.url);
        if (p.cache_time !== undefined) a.cache_time = toNum(p.cache_time);
        q.answered = a;
        if (q.userId !== undefined) {
          const list = this.#answersByUser.get(q.userId);
          if (list) list.push(a);
          else this.#answersByUser.set(q.userId, [a]);
          const ws = this.#answerWaiters.get(q.userId);
          if (ws) { for (const fn of [...ws]) fn(a); }
        }
        return true;
      },
    };
    const map = new Map<string, [string, MethodHandler]>();
    for (const [name, fn] of Object.entries(defs)) map.set(name.toLowerCase(), [name, fn]);
    return map;
  }

  #edited(st: ChatState, m: BotMessage): Record<string, unknown> {
    m.edit_count++;
    m.edit_date = unixNow();
    this.#emit(st, m, "edited");
    return this.toTelegramMessage(m);
  }
}

// ---------------------------------------------------------------------------
// FakeUser
// ---------------------------------------------------------------------------

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
    const check = (m: BotMessage | undefined): Update | undefined => {
      if (!m || m.deleted) return undefined;
      for (const b of buttonsOf(m)) {
        if (b.kind !== "inline" || !test(b)) continue;
        if (b.data === undefined) {
          throw new Error(
            `press(): button "${b.text}" in message #${m.message_id} has no callback_data (${
              b.url ? "url " + b.url : JSON.stringify(b.raw)
            })`,
          );
        }
        return this.fake._callback(this, b.data, m);
      }
      return undefined;
    };
    if (opts.messageId !== undefined) {
      const u = check(st.byId.get(opts.messageId));
      if (u) return u;
    } else {
      for (let i = st.bot.length - 1; i >= 0; i--) {
        const u = check(st.bot[i]);
        if (u) return u;
      }
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

  block(opts?: { notify?: boolean }): void {
    this.fake.blockUser(this.id, opts);
  }

  unblock(opts?: { notify?: boolean }): void {
    this.fake.unblockUser(this.id, opts);
  }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** Text/caption of a bot message with HTML tags stripped and entities decoded. */
export function plainText(m: BotMessage | undefined): string {
  if (!m) return "";
  return visible(m.text ?? m.caption ?? "", m.parse_mode);
}

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
export class UploadedFile {
  constructor(
    readonly file_name: string,
    readonly content_type: string | undefined,
    readonly bytes: Uint8Array,
  ) {}
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

function toNum(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v !== "" && !isNaN(Number(v))) return Number(v);
  return undefined;
}

function keyOf(v: ChatId): ChatId {
  return typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
}

function normChatId(v: unknown): ChatId | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") return /^-?\d+$/.test(v) ? Number(v) : v;
  return undefined;
}

function privateChat(id: number, p: UserProfile): Record<string, unknown> {
  const c: Record<string, unknown> = { id, type: "private", first_name: p.first_name };
  if (p.last_name !== undefined) c.last_name = p.last_name;
  if (p.username !== undefined) c.username = p.username;
  return c;
}

function defaultChat(key: ChatId): Record<string, unknown> {
  if (typeof key === "string") {
    return { id: -1009999999999, type: "channel", title: key, username: key.replace(/^@/, "") };
  }
  if (key > 0) return { id: key, type: "private", first_name: `User${key}` };
  return key < -1_000_000_000_000
    ? { id: key, type: "supergroup", title: `Chat ${key}` }
    : { id: key, type: "group", title: `Chat ${key}` };
}

function fileObj(f: StoredFile): Record<string, unknown> {
  const o: Record<string, unknown> = {
    file_id: f.file_id,
    file_unique_id: f.file_unique_id,
    file_size: f.file_size,
  };
  if (f.file_name !== undefined) o.file_name = f.file_name;
  if (f.mime_type !== undefined) o.mime_type = f.mime_type;
  return o;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function emptyToUndef(m: Markup | undefined): Markup | undefined {
  if (!m || !Array.isArray(m.inline_keyboard)) return m;
  return m.inline_keyboard.every((r) => !r?.length) ? undefined : m;
}

function utf8Len(s: string): number {
  // fast path: each UTF-16 unit is at most 3 UTF-8 bytes
  return s.length * 3 <= 64 ? s.length : enc.encode(s).length;
}

function checkMarkup(m: unknown): void {
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

/** Returns an error description when Telegram would reject the HTML, else undefined. */
export function checkHtml(text: string): string | undefined {
  const stack: string[] = [];
  let i = 0;
  const off = (pos: number) => enc.encode(text.slice(0, pos)).length;
  while ((i = text.indexOf("<", i)) !== -1) {
    const end = text.indexOf(">", i);
    if (end === -1) return `Unclosed start tag at byte offset ${off(i)}`;
    const inner = text.slice(i + 1, end);
    const closing = inner.startsWith("/");
    const name =
      /^[a-zA-Z][a-zA-Z0-9-]*/.exec(closing ? inner.slice(1) : inner)?.[0]?.toLowerCase() ?? "";
    if (closing) {
      const top = stack.pop();
      if (top === undefined) return `Unexpected end tag at byte offset ${off(i)}`;
      if (top !== name) return `Can't find end tag corresponding to start tag "${top}"`;
    } else {
      if (!ALLOWED_HTML_TAGS.has(name)) {
        return `Unsupported start tag "${name}" at byte offset ${off(i)}`;
      }
      stack.push(name);
    }
    i = end + 1;
  }
  if (stack.length) {
    return `Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`;
  }
  return undefined;
}

function htmlToPlain(s: string): string {
  if (s.indexOf("<") === -1 && s.indexOf("&") === -1) return s;
  return s.replace(/<[^>]*>/g, "").replace(
    /&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g,
    (_, e: string) =>
      e === "lt"
        ? "<"
        : e === "gt"
        ? ">"
        : e === "amp"
        ? "&"
        : e === "quot"
        ? '"'
        : String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
}

function visible(s: string, parseMode: unknown): string {
  return parseMode === "HTML" ? htmlToPlain(s) : s;
}

/** [width, height] for PNG/JPEG/GIF/WebP bytes, or undefined when not an image. */
function imageDims(b: Uint8Array): [number, number] | undefined {
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return [v.getUint32(16), v.getUint32(20)];
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    // scan for a SOFn marker
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = b[i + 1];
      const len = (b[i + 2] << 8) | b[i + 3];
      if (
        marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
      ) {
        return [(b[i + 7] << 8) | b[i + 8], (b[i + 5] << 8) | b[i + 6]];
      }
      i += 2 + len;
    }
    return [0, 0];
  }
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) {
    return [b[6] | (b[7] << 8), b[8] | (b[9] << 8)];
  }
  if (
    b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 &&
    b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50
  ) {
    return [0, 0];
  }
  return undefined;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function jsonResponse(status: number, body: ApiResponse): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function coerce(key: string, v: string): unknown {
  if (OBJECT_KEYS.has(key)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  if (NUMERIC_KEYS.has(key) && /^-?\d+$/.test(v)) return Number(v);
  if (BOOL_KEYS.has(key) && (v === "true" || v === "false")) return v === "true";
  return v;
}

function fromParams(params: URLSearchParams): Payload {
  const p: Payload = {};
  for (const [k, v] of params) p[k] = coerce(k, v);
  return p;
}

async function readPayload(req: Request, query: string): Promise<Payload> {
  if (req.method === "GET" || req.method === "HEAD") return fromParams(new URLSearchParams(query));
  const ct = req.headers.get("content-type") ?? "";
  if (ct.startsWith("multipart/form-data")) {
    const bm = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(ct);
    if (!bm) throw new Error("multipart boundary missing");
    return parseMultipart(new Uint8Array(await req.arrayBuffer()), bm[1] ?? bm[2]);
  }
  if (ct.startsWith("application/x-www-form-urlencoded")) {
    return fromParams(new URLSearchParams(await req.text()));
  }
  const text = await req.text();
  if (text === "") return query ? fromParams(new URLSearchParams(query)) : {};
  const v = JSON.parse(text);
  if (!isObj(v)) throw new Error("JSON body must be an object");
  return v;
}

function indexOfBytes(h: Uint8Array, n: Uint8Array, from: number): number {
  const first = n[0];
  const last = h.length - n.length;
  for (let i = h.indexOf(first, from); i !== -1 && i <= last; i = h.indexOf(first, i + 1)) {
    let j = 1;
    while (j < n.length && h[i + j] === n[j]) j++;
    if (j === n.length) return i;
  }
  return -1;
}

/**
 * Minimal multipart/form-data parser. grammY writes headers without spaces
 * (`content-disposition:form-data;name="x";filename=a.csv`, filename unquoted),
 * which we accept as well as the standard form.
 */
function parseMultipart(body: Uint8Array, boundary: string): Payload {
  const fields: Payload = {};
  const files = new Map<string, UploadedFile>();
  const delim = enc.encode("--" + boundary);
  const sep = enc.encode("\r\n--" + boundary);
  let pos = indexOfBytes(body, delim, 0);
  if (pos < 0) throw new Error("multipart boundary not found in body");
  pos += delim.length;
  while (pos < body.length) {
    if (body[pos] === 45 && body[pos + 1] === 45) break; // "--" closing delimiter
    if (body[pos] === 13 && body[pos + 1] === 10) pos += 2;
    const headerEnd = indexOfBytes(body, CRLF2, pos);
    if (headerEnd < 0) throw new Error("malformed multipart part headers");
    const headers = dec.decode(body.subarray(pos, headerEnd)).split("\r\n");
    const dataStart = headerEnd + 4;
    const next = indexOfBytes(body, sep, dataStart);
    if (next < 0) throw new Error("unterminated multipart part");
    const data = body.subarray(dataStart, next);
    let name: string | undefined;
    let filename: string | undefined;
    let contentType: string | undefined;
    for (const line of headers) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const h = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (h === "content-disposition") {
        const nm = /;\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(value);
        if (nm) name = (nm[1] ?? nm[2]).trim();
        const fm = /;\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"\s*$|(.*)$)/i.exec(value);
        if (fm) filename = (fm[1] ?? fm[2]).trim();
      } else if (h === "content-type") {
        contentType = value;
      }
    }
    if (name !== undefined) {
      if (filename !== undefined) {
        files.set(name, new UploadedFile(filename, contentType, data.slice()));
      } else {
        fields[name] = coerce(name, dec.decode(data));
      }
    }
    pos = next + sep.length;
  }
  // resolve attach://<name> references (top level and inside media arrays)
  const resolve = (v: unknown): unknown => {
    if (typeof v === "string" && v.startsWith("attach://")) return files.get(v.slice(9)) ?? v;
    if (Array.isArray(v)) return v.map(resolve);
    if (isObj(v)) {
      for (const k of Object.keys(v)) v[k] = resolve(v[k]);
    }
    return v;
  };
  for (const k of Object.keys(fields)) fields[k] = resolve(fields[k]);
  // files uploaded directly under the field name (non-grammY clients)
  for (const [k, f] of files) if (!(k in fields)) fields[k] = f;
  return fields;
}
