/** Quiescence: API calls in flight, the last activity, and waiters for "the bot has gone quiet". */
import type { Timer } from "./util.ts";

interface IdleWaiter {
  quietMs: number;
  resolve: () => void;
  reject: (e: Error) => void;
  quietTimer?: Timer;
  overallTimer: Timer;
}

/** Tracks activity; resolves waitForIdle when nothing happened for a while. */
export class Activity {
  /** API calls being answered now (long polls excluded). */
  inflight = 0;
  #last = performance.now();
  #lastMethod = "";
  #waiters = new Set<IdleWaiter>();

  /** @param drained whether every queued update has been taken by the bot */
  constructor(readonly drained: () => boolean, readonly describePending: () => string) {}

  /** Notes that something happened (optionally: a call of `method` arrived). */
  note(method?: string): void {
    this.#last = performance.now();
    if (method) this.#lastMethod = method;
    for (const w of this.#waiters) this.#arm(w);
  }

  /** Resolves after `quietMs` with the queue drained and nothing in flight; rejects after `timeoutMs`. */
  waitForIdle(quietMs: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const w: IdleWaiter = {
        quietMs,
        resolve,
        reject,
        overallTimer: setTimeout(() => {
          clearTimeout(w.quietTimer);
          this.#waiters.delete(w);
          reject(new Error(`waitForIdle timed out after ${timeoutMs} ms: ${this.#diag()}`));
        }, timeoutMs),
      };
      this.#waiters.add(w);
      this.#arm(w);
    });
  }

  /** Rejects every waiter (the fake is stopping). */
  rejectWaiters(err: Error): void {
    for (const w of this.#waiters) {
      clearTimeout(w.overallTimer);
      clearTimeout(w.quietTimer);
      w.reject(err);
    }
    this.#waiters.clear();
  }

  #diag(): string {
    return [
      this.describePending(),
      `${this.inflight} API call(s) in flight`,
      `last activity ${Math.round(performance.now() - this.#last)} ms ago${
        this.#lastMethod ? ` (${this.#lastMethod})` : ""
      }`,
    ].join(", ");
  }

  #quiet(): boolean {
    return this.inflight === 0 && this.drained();
  }

  #arm(w: IdleWaiter): void {
    clearTimeout(w.quietTimer);
    w.quietTimer = undefined;
    if (!this.#quiet()) return;
    const wait = Math.max(0, this.#last + w.quietMs - performance.now());
    w.quietTimer = setTimeout(() => {
      w.quietTimer = undefined;
      if (this.#quiet() && performance.now() - this.#last >= w.quietMs - 1) {
        clearTimeout(w.overallTimer);
        this.#waiters.delete(w);
        w.resolve();
      } else {
        this.#arm(w);
      }
    }, wait);
  }
}
