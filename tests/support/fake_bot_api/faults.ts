/** Fault injection (429, 500, timeouts, lost answers) and Telegram-like flood limits. */
import {
  type ChatId,
  FakeApiError,
  type FakeStats,
  type FaultKind,
  type FaultOptions,
} from "./types.ts";
import { mulberry32, type Sleepers } from "./util.ts";

const DEFAULT_FAULT_METHODS = [
  "sendMessage",
  "sendDocument",
  "sendPhoto",
  "editMessageText",
  "editMessageReplyMarkup",
];

interface Limits {
  perBot: number;
  perChat: number;
  methods: Set<string>;
}

/** The fault and limit settings of one fake, with the state they need. */
export class Faults {
  #failRate = 0;
  #kinds: FaultKind[] = ["429", "500"];
  #retryAfter = 1;
  #timeoutMs = 1000;
  #rng = mulberry32(1);
  #methods = new Set(DEFAULT_FAULT_METHODS);
  #limits?: Limits;
  #botWindow: number[] = [];
  #chatWindows = new Map<ChatId, number[]>();

  constructor(readonly stats: FakeStats, readonly sleepers: Sleepers) {}

  /** Changes fault injection / limits; unspecified fields keep their value. */
  set(f: FaultOptions): void {
    if (f.failRate !== undefined) this.#failRate = Math.min(1, Math.max(0, f.failRate));
    if (f.kinds !== undefined) this.#kinds = f.kinds.length ? [...f.kinds] : ["500"];
    if (f.retryAfter !== undefined) this.#retryAfter = f.retryAfter;
    if (f.timeoutMs !== undefined) this.#timeoutMs = f.timeoutMs;
    if (f.seed !== undefined) this.#rng = mulberry32(f.seed);
    if (f.methods !== undefined) this.#methods = new Set(f.methods);
    if (f.enforceLimits === false) this.#limits = undefined;
    else if (f.enforceLimits !== undefined) {
      const l = f.enforceLimits === true ? {} : f.enforceLimits;
      this.#limits = {
        perBot: l.perBotPerSecond ?? 30,
        perChat: l.perChatPerSecond ?? 1,
        methods: new Set(l.methods ?? [...this.#methods]),
      };
      this.#botWindow = [];
      this.#chatWindows.clear();
    }
  }

  /** Turns all faults and limits off (the seed is kept). */
  reset(): void {
    this.#failRate = 0;
    this.#kinds = ["429", "500"];
    this.#limits = undefined;
  }

  /**
   * Maybe fails a call of `method`: throws the injected error (after holding it for a
   * "timeout"), or returns true for "lost" (execute, then answer 504 via `afterLost`).
   */
  async inject(method: string): Promise<boolean> {
    if (!this.#methods.has(method) || this.#failRate <= 0 || this.#rng() >= this.#failRate) {
      return false;
    }
    const kind = this.#kinds[Math.floor(this.#rng() * this.#kinds.length)];
    this.stats.injected[kind]++;
    if (kind === "429") {
      throw new FakeApiError(429, `Too Many Requests: retry after ${this.#retryAfter}`, {
        retry_after: this.#retryAfter,
      });
    } else if (kind === "500") {
      throw new FakeApiError(500, "Internal Server Error");
    } else if (kind === "timeout") {
      await this.sleepers.sleep(this.#timeoutMs);
      throw new FakeApiError(504, "Gateway Timeout");
    }
    return true;
  }

  /** The "lost" fault: the call was executed; hold, then answer 504. */
  async afterLost(): Promise<never> {
    await this.sleepers.sleep(this.#timeoutMs);
    throw new FakeApiError(504, "Gateway Timeout");
  }

  /**
   * Applies the flood limits to a send: throws 429 when over a limit, else returns
   * the function that counts the send once it succeeded (undefined when not limited).
   */
  reserve(method: string, chatKey: ChatId | undefined): (() => void) | undefined {
    const limits = this.#limits;
    if (!limits || !limits.methods.has(method)) return undefined;
    const now = performance.now();
    const retry = this.#retryAfterFor(limits, chatKey, now);
    if (retry > 0) {
      this.stats.rejected429++;
      throw new FakeApiError(429, `Too Many Requests: retry after ${retry}`, {
        retry_after: retry,
      });
    }
    return () => this.#noteSend(limits, chatKey, now);
  }

  #retryAfterFor(l: Limits, chatKey: ChatId | undefined, now: number): number {
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

  #noteSend(l: Limits, chatKey: ChatId | undefined, now: number): void {
    if (l.perBot > 0) this.#botWindow.push(now);
    if (l.perChat > 0 && chatKey !== undefined) {
      const w = this.#chatWindows.get(chatKey);
      if (w) w.push(now);
      else this.#chatWindows.set(chatKey, [now]);
    }
  }
}
