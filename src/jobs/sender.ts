/**
 * The one way bulk messages leave the bot: a throttle for Telegram's flood limits (about 30
 * messages a second per bot, 1 a second per chat), waits for 429 `retry_after`, retries of
 * network errors and 5xx with exponential backoff, and 403 reported as "blocked".
 *
 * It runs on its own `Api` without @grammyjs/auto-retry (see createJobsApi in context.ts):
 * auto-retry on the bot's API would retry inside our retries (5 × 5 attempts) and sleep on real
 * timers, while here every wait goes through the injectable clock and sleep.
 */
import { GrammyError, HttpError } from "grammy";
import type { Clock } from "../domain/clock.ts";
import { type Logger, nullLogger } from "../ops/log.ts";

/** Waits `ms`; rejects when `signal` aborts. Tests pass one that advances a FakeClock. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** Real timers, abortable. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

/** Settings of the sender; the defaults are Telegram's limits and the spec's retry policy. */
export interface SenderOptions {
  clock: Clock;
  sleep?: Sleep;
  logger?: Logger;
  /** Requests per sliding second over all chats. Default 30. */
  perSecond?: number;
  /** Minimum gap between two messages to one chat. Default 1000 ms. */
  perChatIntervalMs?: number;
  /** Attempts for network errors and 5xx. Default 5. */
  maxAttempts?: number;
  /** Delay before the first retry; doubled each time. Default 2000 ms. */
  firstRetryDelayMs?: number;
  /** Longest flood wait (429 retry_after) the sender sits through; longer gives up. Default 60 s. */
  maxFloodWaitMs?: number;
  /** How many 429 answers one message may get before giving up. Default 10. */
  maxFloodRetries?: number;
  /** Called when Telegram answers 403 for a chat (the user blocked the bot). */
  onBlocked?: (chatId: number) => void;
  /** Whether a chat is marked blocked: such sends are skipped without asking Telegram. */
  isBlocked?: (chatId: number) => boolean;
}

/** How one send ended. */
export type Delivery<T> =
  | { status: "sent"; result: T }
  /**
   * 403: the user blocked the bot; reported through onBlocked, never retried. No `error` when
   * the user was marked already and Telegram was not asked.
   */
  | { status: "blocked"; error?: GrammyError }
  /** Another 4xx: Telegram refused the request itself; retrying would not help. */
  | { status: "rejected"; error: GrammyError }
  /**
   * Gave up after retries, a flood wait too long, or the sender closing. `maybeDelivered` is
   * true when an attempt failed in the network, so Telegram might have taken the message.
   */
  | { status: "failed"; error: unknown; maybeDelivered: boolean };

/** Sends one request at a time through the throttle with retries. */
/**
 * The window of the 30-a-second limit. Telegram counts arrivals on a finer clock than our whole
 * milliseconds, so a window of exactly 1000 ms let the 31st request arrive 999.8 ms after the
 * first at the fake (3-13 flood waits in a burst of 3,000): 2 ms of margin cost 0.2 % of the rate.
 */
const WINDOW_MS = 1002;

export class ThrottledSender {
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  readonly #logger: Logger;
  readonly #perSecond: number;
  readonly #perChatMs: number;
  readonly #maxAttempts: number;
  readonly #firstDelayMs: number;
  readonly #maxFloodWaitMs: number;
  readonly #maxFloodRetries: number;
  readonly #onBlocked?: (chatId: number) => void;
  readonly #isBlocked?: (chatId: number) => boolean;
  readonly #closing = new AbortController();
  /** Start times of the requests of the last second, oldest first. */
  #recent: { at: number }[] = [];
  #lastByChat = new Map<number, number>();
  /** No request before this instant (a 429 asked the whole bot to wait). */
  #pausedUntil = 0;
  /** Serialises slot reservations so the throttle sees one request at a time. */
  #turn: Promise<void> = Promise.resolve();

  constructor(options: SenderOptions) {
    this.#clock = options.clock;
    this.#sleep = options.sleep ?? realSleep;
    this.#logger = options.logger ?? nullLogger;
    this.#perSecond = options.perSecond ?? 30;
    this.#perChatMs = options.perChatIntervalMs ?? 1000;
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#firstDelayMs = options.firstRetryDelayMs ?? 2000;
    this.#maxFloodWaitMs = options.maxFloodWaitMs ?? 60_000;
    this.#maxFloodRetries = options.maxFloodRetries ?? 10;
    this.#onBlocked = options.onBlocked;
    this.#isBlocked = options.isBlocked;
  }

  /** Aborted when the sender is closed (jobs stop their loops on it). */
  get signal(): AbortSignal {
    return this.#closing.signal;
  }

  /** Stops waiting: pending and later sends end as "failed" without another request. */
  close(): void {
    this.#closing.abort(new Error("The sender was closed"));
  }

  /**
   * Performs `call` (one Bot API request to `chatId`) within the limits, retrying as
   * described above. `perChat: false` skips the per-chat gap (e.g. deleteMessage).
   * Errors that are neither Telegram's answers nor network failures are bugs: they propagate.
   */
  async send<T>(
    chatId: number | undefined,
    call: () => Promise<T>,
    options: { perChat?: boolean } = {},
  ): Promise<Delivery<T>> {
    const perChat = options.perChat ?? true;
    if (chatId !== undefined && this.#isBlocked?.(chatId)) return { status: "blocked" };
    let failures = 0;
    let floodWaits = 0;
    let maybeDelivered = false;
    let lastError: unknown = undefined;
    const giveUp = (error: unknown): Delivery<T> => ({
      status: "failed",
      error: error ?? this.#closing.signal.reason ?? new Error("Flood wait too long"),
      maybeDelivered,
    });
    for (;;) {
      const slot = await this.#reserve(perChat ? chatId : undefined);
      if (!slot) return giveUp(lastError);
      try {
        return { status: "sent", result: await call() };
      } catch (error) {
        lastError = error;
        if (error instanceof GrammyError) {
          if (error.error_code === 429) {
            const waitMs = Math.max(1, error.parameters?.retry_after ?? 1) * 1000;
            this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + waitMs);
            floodWaits++;
            this.#logger.warning("Telegram asked to slow down", {
              retryAfterSeconds: waitMs / 1000,
              chatId,
            });
            if (floodWaits > this.#maxFloodRetries) return giveUp(error);
            continue; // #reserve waits until #pausedUntil, or gives up if that is too far
          }
          if (error.error_code === 403) {
            if (chatId !== undefined) this.#onBlocked?.(chatId);
            return { status: "blocked", error };
          }
          if (error.error_code < 500) return { status: "rejected", error };
        } else if (error instanceof HttpError) {
          maybeDelivered = true;
        } else {
          throw error;
        }
        failures++;
        if (failures >= this.#maxAttempts) return giveUp(error);
        const delay = this.#firstDelayMs * 2 ** (failures - 1);
        this.#logger.debug("Retrying a Bot API request", { chatId, attempt: failures + 1, delay });
        if (!await this.#wait(delay)) return giveUp(error);
      } finally {
        // Telegram counts a message when it arrives, not when we decided to send it: count
        // it in the window from the moment its answer came back, so a slow request does not
        // let the next window start early (that cost a 1 s flood wait in 47% of windows).
        slot.at = this.#clock.now();
      }
    }
  }

  /** Waits until a request to `chatId` is allowed and books it; undefined when giving up. */
  async #reserve(chatId: number | undefined): Promise<{ at: number } | undefined> {
    const previous = this.#turn;
    let release!: () => void;
    this.#turn = new Promise((resolve) => (release = resolve));
    await previous;
    try {
      for (;;) {
        if (this.#closing.signal.aborted) return undefined;
        const now = this.#clock.now();
        while (this.#recent.length > 0 && this.#recent[0].at <= now - WINDOW_MS) {
          this.#recent.shift();
        }
        let wait = this.#pausedUntil - now;
        if (this.#recent.length >= this.#perSecond) {
          wait = Math.max(wait, this.#recent[0].at + WINDOW_MS - now);
        }
        const last = chatId === undefined ? undefined : this.#lastByChat.get(chatId);
        if (last !== undefined) wait = Math.max(wait, last + this.#perChatMs - now);
        if (wait <= 0) {
          const slot = { at: now };
          this.#recent.push(slot);
          if (chatId !== undefined) this.#remember(chatId, now);
          return slot;
        }
        if (wait > this.#maxFloodWaitMs) return undefined;
        if (!await this.#wait(wait)) return undefined;
      }
    } finally {
      release();
    }
  }

  #remember(chatId: number, now: number): void {
    this.#lastByChat.set(chatId, now);
    if (this.#lastByChat.size > 1000) {
      for (const [id, at] of this.#lastByChat) {
        if (at <= now - this.#perChatMs) this.#lastByChat.delete(id);
      }
    }
  }

  /** Sleeps; false when the sender was closed meanwhile. */
  async #wait(ms: number): Promise<boolean> {
    try {
      await this.#sleep(ms, this.#closing.signal);
      return !this.#closing.signal.aborted;
    } catch (error) {
      if (this.#closing.signal.aborted) return false;
      throw error;
    }
  }
}
