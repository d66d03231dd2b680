/** Public types of the fake Telegram Bot API (see ../fake_bot_api.ts). */
import type { UserFromGetMe } from "grammy/types";

/** A chat id as the bot passes it: a number, or an `@username` string. */
export type ChatId = number | string;
/** Parameters of one Bot API call, as parsed from the request. */
export type Payload = Record<string, unknown>;

/** A successful Bot API answer. */
export interface ApiOk {
  ok: true;
  result: unknown;
}
/** A Bot API error answer. */
export interface ApiErr {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}
/** Any Bot API answer envelope. */
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
/** One inline keyboard button as the bot sent it. */
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
  kind: "text" | "document" | "photo" | "copy" | "invoice";
  /** Text as sent by the bot (still containing HTML/Markdown markup); see {@link plainText}. */
  text?: string;
  caption?: string;
  parse_mode?: string;
  entities?: unknown[];
  reply_markup?: Markup;
  document?: StoredFile;
  photo?: StoredFile;
  /** Set for invoices (sendInvoice). */
  invoice?: Invoice;
  reply_to_message_id?: number;
  deleted: boolean;
  edit_count: number;
  edit_date?: number;
  /** The payload of the call that created the message. */
  payload: Payload;
}

/** A button found in a bot message, flattened with its position. */
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

/** An answerCallbackQuery call, joined with the data of the answered query. */
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

/** Profile fields of a simulated user. */
export interface UserProfile {
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: boolean;
}

/** Kinds of injected failure (see FaultOptions.kinds). */
export type FaultKind = "429" | "500" | "timeout" | "lost";

/** Telegram-like flood limits. */
export interface LimitOptions {
  /** Sends per sliding second over all chats (Telegram: ~30). 0 disables. */
  perBotPerSecond?: number;
  /** Sends per sliding second per chat (Telegram: ~1). 0 disables. */
  perChatPerSecond?: number;
  /** Methods counted; default: the same sending methods as faults. */
  methods?: string[];
}

/** Fault injection settings (see `setFaults`). */
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

/** Options of `FakeBotApi.start`. */
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
  /**
   * Deliver only the update types the bot subscribed to with `allowed_updates`
   * (getUpdates/setWebhook), dropping the others like Telegram does. Default false.
   */
  enforceAllowedUpdates?: boolean;
  /** Overrides for the getMe result. */
  botInfo?: Partial<UserFromGetMe>;
  /** Initial fault configuration (same as `setFaults`). */
  faults?: FaultOptions;
}

/** Counters kept even when `record: false`. */
export interface FakeStats {
  /** API calls answered (all methods). */
  calls: number;
  /** Bot messages created (sendMessage/sendDocument/sendPhoto/copyMessage). */
  sent: number;
  /** Sends rejected by enforceLimits. */
  rejected429: number;
  /** Injected faults by kind. */
  injected: Record<FaultKind, number>;
  /** Sends answered 403 because the user blocked the bot (see `blockedCalls`). */
  blocked403: number;
  /** Updates delivered to the bot (getUpdates results or successful webhook posts; re-deliveries count). */
  delivered: number;
  webhookFailures: number;
}

/** The webhook as the bot last set it. */
export interface WebhookInfo {
  url: string;
  secret_token?: string;
  max_connections?: number;
  allowed_updates?: string[];
  last_error_date?: number;
  last_error_message?: string;
}

/** A file part of a multipart request; appears in recorded payloads (e.g. `payload.document`). */
export class UploadedFile {
  constructor(
    readonly file_name: string,
    readonly content_type: string | undefined,
    readonly bytes: Uint8Array,
  ) {}
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

/** A call answered 403 because its chat blocked the bot. */
export interface BlockedCall {
  method: string;
  chat_id: ChatId;
  payload: Payload;
  /** `Date.now()` when the call was refused. */
  at: number;
}

/** A call being held by `hold()` (not yet executed, not yet answered). */
export interface HeldCall {
  method: string;
  payload: Payload;
  chat_id?: ChatId;
  /** `Date.now()` when the call arrived. */
  at: number;
}

/** Handle of one hold rule. */
export interface Hold {
  /** Calls this rule is holding now, oldest first. */
  readonly calls: HeldCall[];
  /** Lets the oldest held call proceed; the rule stays. Returns false if none was held. */
  releaseOne(): boolean;
  /** Removes the rule and lets every call it held proceed. */
  release(): void;
  /**
   * Removes the rule and answers every call it held with 499, never executing them: what
   * Telegram sees of requests whose process was killed before they left.
   */
  drop(): void;
}

/** An allowed_updates list the bot passed (recorded when it changes). */
export interface AllowedUpdatesRecord {
  method: "getUpdates" | "setWebhook";
  allowed_updates: string[];
  at: number;
}

/** One setWebhook call as the bot made it. */
export interface SetWebhookRecord {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
  drop_pending_updates?: boolean;
  at: number;
}

/** A labelled price portion of an invoice (amount in the smallest units of the currency). */
export interface LabeledPrice {
  label: string;
  amount: number;
}

/** An invoice the bot sent (sendInvoice). */
export interface Invoice {
  title: string;
  description: string;
  /** Bot-defined invoice payload (comes back as `invoice_payload`). */
  payload: string;
  currency: string;
  prices: LabeledPrice[];
  /** Sum of the prices. */
  total_amount: number;
  provider_token?: string;
  start_parameter?: string;
}

/** The bot's answer to a pre_checkout_query. */
export interface PreCheckoutAnswer {
  pre_checkout_query_id: string;
  ok: boolean;
  error_message?: string;
  at: number;
}

/** A `successful_payment` object as Telegram sends it. */
export interface SuccessfulPayment {
  currency: string;
  total_amount: number;
  invoice_payload: string;
  telegram_payment_charge_id: string;
  provider_payment_charge_id: string;
  [k: string]: unknown;
}

/** What a user pays: the invoice message (default: newest invoice in the chat) or explicit fields. */
export interface PayOptions {
  /** The invoice message to pay; default the newest invoice the bot sent to the user. */
  invoice?: BotMessage;
  /** Overrides of the pre_checkout_query / successful_payment fields. */
  currency?: string;
  total_amount?: number;
  invoice_payload?: string;
  /** How long to wait for answerPreCheckoutQuery. Default 5000 ms (Telegram: 10 s). */
  timeoutMs?: number;
}

/** Outcome of `FakeUser.pay`: the bot's pre-checkout answer and, if it said ok, the payment sent. */
export interface PayResult {
  answer: PreCheckoutAnswer;
  payment?: SuccessfulPayment;
}

/** Options of FakeUser actions: act in another chat (e.g. a group, negative id) instead of the private chat. */
export interface ChatOpt {
  chatId?: ChatId;
}

/** Filters bot messages for waiters: the message and whether it was just sent or edited. */
export type MessagePredicate = (m: BotMessage, event: "sent" | "edited") => boolean;
