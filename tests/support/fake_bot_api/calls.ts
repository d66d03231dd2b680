/** The log of answered calls and waiters for the next call of a method. */
import type { RecordedCall } from "./types.ts";
import type { Timer } from "./util.ts";

interface CallWaiter {
  method: string;
  predicate?: (c: RecordedCall) => boolean;
  resolve: (c: RecordedCall) => void;
  reject: (e: Error) => void;
  timer: Timer;
}

/** Answered calls, oldest first (kept only when recording), and their waiters. */
export class CallLog {
  /** Every answered call (unless recording is off). */
  readonly calls: RecordedCall[] = [];
  #waiters = new Set<CallWaiter>();

  constructor(readonly record: boolean) {}

  /** Records an answered call and resolves the waiters it matches. */
  add(call: RecordedCall): void {
    if (this.record) this.calls.push(call);
    for (const w of this.#waiters) {
      if (w.method === call.method && (!w.predicate || w.predicate(call))) {
        clearTimeout(w.timer);
        this.#waiters.delete(w);
        w.resolve(call);
      }
    }
  }

  /** Resolves with the next call (answered after now) of `method` matching `predicate`. */
  next(
    method: string,
    predicate: ((c: RecordedCall) => boolean) | undefined,
    timeoutMs: number,
  ): Promise<RecordedCall> {
    return new Promise((resolve, reject) => {
      const w: CallWaiter = {
        method,
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(w);
          reject(new Error(`waitForCall("${method}") timed out after ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.#waiters.add(w);
    });
  }

  /** Rejects every waiter (the fake is stopping). */
  rejectWaiters(err: Error): void {
    for (const w of this.#waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.#waiters.clear();
  }
}
