/** Callback queries: the ones users sent and the bot's answerCallbackQuery calls. */
import { type CallbackAnswer, FakeApiError } from "../types.ts";
import { toNum } from "../util.ts";
import type { Builtin, MethodDeps } from "./table.ts";

interface QueryInfo {
  userId?: number;
  data?: string;
  answered?: CallbackAnswer;
}

/** Callback queries by id, and the answers each user received. */
export class CallbackQueries {
  #queries = new Map<string, QueryInfo>();
  #answersByUser = new Map<number, CallbackAnswer[]>();
  #waiters = new Map<number, Set<(a: CallbackAnswer) => void>>();
  #seq = 0;

  /** A fresh query id for a press by `userId`. */
  create(userId: number, data: string): string {
    const id = String(4_000_000_000_000_000 + ++this.#seq);
    this.#queries.set(id, { userId, data });
    return id;
  }

  /** Remembers a query from a pushed update (first sighting wins). */
  register(id: string, userId: number | undefined, data: string | undefined): void {
    if (!this.#queries.has(id)) this.#queries.set(id, { userId, data });
  }

  /** answerCallbackQuery calls for `userId`'s queries, oldest first. */
  answersOf(userId: number): CallbackAnswer[] {
    return this.#answersByUser.get(userId) ?? [];
  }

  /** The answer to query `id`, if any. */
  answerFor(id: string): CallbackAnswer | undefined {
    return this.#queries.get(id)?.answered;
  }

  /** Calls `fn` on every answer to `userId`'s queries until the returned function is called. */
  onAnswer(userId: number, fn: (a: CallbackAnswer) => void): () => void {
    let set = this.#waiters.get(userId);
    if (!set) this.#waiters.set(userId, set = new Set());
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Stores an answer; 400 when the query is unknown or already answered. */
  answer(p: Record<string, unknown>): true {
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
      const ws = this.#waiters.get(q.userId);
      if (ws) { for (const fn of [...ws]) fn(a); }
    }
    return true;
  }
}

/** answerCallbackQuery. */
export function callbackMethods(d: MethodDeps): Record<string, Builtin> {
  return { answerCallbackQuery: (p) => d.callbacks.answer(p) };
}
