/**
 * Holding calls: a test stops chosen sends at the fake until it releases them, e.g. to
 * kill the bot between its database commit and the send.
 */
import { type ChatId, FakeApiError, type HeldCall, type Hold, type Payload } from "./types.ts";
import { keyOf, normChatId, type Timer } from "./util.ts";

interface Entry {
  call: HeldCall;
  go: () => void;
  fail: (e: FakeApiError) => void;
}

interface Rule {
  method: string;
  chatId?: ChatId;
  entries: Entry[];
}

interface HeldWaiter {
  method?: string;
  resolve: (c: HeldCall) => void;
  reject: (e: Error) => void;
  timer: Timer;
}

/** Answer of a held call whose client went away (the call was never executed). */
export const CLIENT_GONE = new FakeApiError(
  499,
  "Client Closed Request: the bot went away while the call was held; it was not executed",
);

/** Hold rules and the calls they hold. */
export class Holds {
  #rules = new Set<Rule>();
  #waiters = new Set<HeldWaiter>();

  /** Adds a rule holding calls of `method` (into `chatId` only, when given). */
  hold(method: string, chatId?: ChatId): Hold {
    const rule: Rule = {
      method: method.toLowerCase(),
      chatId: chatId === undefined ? undefined : keyOf(chatId),
      entries: [],
    };
    this.#rules.add(rule);
    return {
      get calls() {
        return rule.entries.map((e) => e.call);
      },
      releaseOne: () => {
        const e = rule.entries.shift();
        e?.go();
        return e !== undefined;
      },
      release: () => {
        this.#rules.delete(rule);
        for (const e of rule.entries.splice(0)) e.go();
      },
      drop: () => {
        this.#rules.delete(rule);
        for (const e of rule.entries.splice(0)) e.fail(CLIENT_GONE);
      },
    };
  }

  /** Calls held now, oldest first. */
  held(): HeldCall[] {
    return [...this.#rules].flatMap((r) => r.entries.map((e) => e.call)).sort((a, b) =>
      a.at - b.at
    );
  }

  /** Resolves with a held call of `method` (any method when omitted): one held now, or the next. */
  waitForHeld(method: string | undefined, timeoutMs: number): Promise<HeldCall> {
    const now = this.held().find((c) => method === undefined || c.method === method);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const w: HeldWaiter = {
        method,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(w);
          reject(new Error(`waitForHeld(${method ?? ""}) timed out after ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.#waiters.add(w);
    });
  }

  /**
   * Waits while a rule holds this call. Rejects with CLIENT_GONE when the client
   * disconnects meanwhile (`signal` is read only then, as Deno warns about reading it).
   */
  async wait(
    method: string,
    payload: Payload,
    signal: () => AbortSignal | undefined,
  ): Promise<void> {
    const rule = this.#match(method, payload);
    if (!rule) return;
    const call: HeldCall = { method, payload, at: Date.now() };
    const chatId = normChatId(payload.chat_id);
    if (chatId !== undefined) call.chat_id = chatId;
    const s = signal();
    if (s?.aborted) throw CLIENT_GONE;
    let onAbort = () => {};
    try {
      await new Promise<void>((go, fail) => {
        const entry: Entry = { call, go, fail };
        rule.entries.push(entry);
        onAbort = () => {
          const i = rule.entries.indexOf(entry);
          if (i >= 0) rule.entries.splice(i, 1);
          fail(CLIENT_GONE);
        };
        s?.addEventListener("abort", onAbort);
        this.#notify(call);
      });
    } finally {
      s?.removeEventListener("abort", onAbort);
    }
  }

  /** Ends every hold with `err` (the fake is stopping). */
  failAll(err: FakeApiError): void {
    for (const rule of this.#rules) for (const e of rule.entries.splice(0)) e.fail(err);
    this.#rules.clear();
    for (const w of this.#waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.#waiters.clear();
  }

  #match(method: string, payload: Payload): Rule | undefined {
    const lower = method.toLowerCase();
    for (const r of this.#rules) {
      if (r.method !== lower) continue;
      if (r.chatId === undefined || r.chatId === normChatId(payload.chat_id)) return r;
    }
    return undefined;
  }

  #notify(call: HeldCall): void {
    for (const w of this.#waiters) {
      if (w.method !== undefined && w.method !== call.method) continue;
      clearTimeout(w.timer);
      this.#waiters.delete(w);
      w.resolve(call);
    }
  }
}
