/** The update queue: long polling with offsets, and the allowed_updates the bot subscribed to. */
import type { Update } from "grammy/types";
import { type AllowedUpdatesRecord, FakeApiError, type FakeStats, type Payload } from "./types.ts";
import { type Timer, toNum } from "./util.ts";

interface Poller {
  limit: number;
  finish: (updates: Update[]) => void;
}

/** What the queue needs from the rest of the fake. */
export interface UpdateQueueOptions {
  stats: FakeStats;
  /** Upper bound for holding a long poll. */
  pollCapMs: number;
  /** Drop update types the bot did not subscribe to. */
  enforceAllowedUpdates: boolean;
  /** Something changed (for waitForIdle). */
  onActivity: () => void;
  /** True while a webhook is set (getUpdates is then refused). */
  webhookActive: () => boolean;
  /** A new update is queued while a webhook is set. */
  onWebhookUpdate: () => void;
}

// Telegram's default when allowed_updates is empty or never given.
const NOT_BY_DEFAULT = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

/** Updates waiting for the bot, oldest first, until confirmed (offset) or delivered (webhook). */
export class UpdateQueue {
  /** The allowed_updates list in force (Telegram keeps the last one given). */
  allowed?: string[];
  /** Every change of allowed_updates, oldest first. */
  readonly allowedLog: AllowedUpdatesRecord[] = [];
  stopping = false;
  #queue: Update[] = [];
  #head = 0;
  #lastId = 0;
  #poller?: Poller;

  constructor(readonly options: UpdateQueueOptions) {}

  /** Number of queued updates not yet confirmed (polling) / delivered (webhook). */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  /** Id of the newest update queued. */
  get lastId(): number {
    return this.#lastId;
  }

  /** Assigns `update_id`, queues the update and wakes a long poll or the webhook pump. */
  enqueue(u: Record<string, unknown>): Update {
    u.update_id = ++this.#lastId;
    const update = u as unknown as Update;
    this.#queue.push(update);
    this.options.onActivity();
    if (this.options.webhookActive()) {
      this.options.onWebhookUpdate();
    } else if (this.#poller) {
      const batch = this.#takeBatch(this.#poller.limit);
      if (batch.length) this.#poller.finish(batch);
    }
    return update;
  }

  /** Confirms (drops) every update below `offset`; a negative offset keeps the last |offset|. */
  confirm(offset: number): void {
    const q = this.#queue;
    const before = this.#head;
    if (offset < 0) {
      this.#head = Math.max(this.#head, q.length + offset);
    } else {
      while (this.#head < q.length && q[this.#head].update_id < offset) this.#head++;
    }
    if (this.#head !== before) {
      if (this.#head > 1024 && this.#head * 2 > q.length) {
        this.#queue = q.slice(this.#head);
        this.#head = 0;
      }
      this.options.onActivity();
    }
  }

  /** The oldest update to deliver (skipping unsubscribed types), or undefined. */
  head(): Update | undefined {
    this.#skipUnallowed();
    return this.#queue[this.#head];
  }

  /** Drops `u` from the head of the queue (delivered or given up). */
  shift(u: Update): void {
    if (this.#queue[this.#head] === u) this.#head++;
    this.options.onActivity();
  }

  /** Records an allowed_updates list passed by the bot (only when it changes). */
  noteAllowed(method: AllowedUpdatesRecord["method"], list: unknown): void {
    if (!Array.isArray(list)) return;
    const next = list.map(String);
    if (JSON.stringify(next) === JSON.stringify(this.allowed)) return;
    this.allowed = next;
    this.allowedLog.push({ method, allowed_updates: next, at: Date.now() });
  }

  /** getUpdates: confirms by offset, answers at once or holds a long poll (capped). */
  getUpdates(p: Payload): Update[] | Promise<Update[]> {
    if (this.options.webhookActive()) {
      throw new FakeApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    this.noteAllowed("getUpdates", p.allowed_updates);
    const offset = toNum(p.offset);
    const limit = Math.min(100, Math.max(1, toNum(p.limit) ?? 100));
    const timeout = toNum(p.timeout) ?? 0;
    if (offset !== undefined && offset !== 0) this.confirm(offset);
    // a newer getUpdates supersedes a pending one (Telegram would answer 409 Conflict)
    this.finishPoll();
    const batch = this.#takeBatch(limit);
    if (batch.length || timeout <= 0 || this.stopping) return batch;
    return new Promise((resolve) => {
      let timer: Timer | undefined = undefined;
      const poller: Poller = {
        limit,
        finish: (updates) => {
          if (this.#poller !== poller) return;
          this.#poller = undefined;
          clearTimeout(timer);
          resolve(updates);
        },
      };
      this.#poller = poller;
      timer = setTimeout(() => poller.finish([]), Math.min(timeout * 1000, this.options.pollCapMs));
    });
  }

  /** Answers a pending long poll with no updates. */
  finishPoll(): void {
    this.#poller?.finish([]);
  }

  /** Why the queue is not drained, for waitForIdle's error. */
  describePending(): string {
    const pending = this.pending;
    if (!pending) return "0 update(s) not yet taken by the bot";
    return `${pending} update(s) not yet taken by the bot (update_id ${
      this.#queue[this.#head].update_id
    }..${this.#lastId}; ${this.options.webhookActive() ? "webhook mode" : "is the bot polling?"})`;
  }

  #takeBatch(limit: number): Update[] {
    this.#skipUnallowed();
    const end = Math.min(this.#queue.length, this.#head + limit);
    let batch = this.#queue.slice(this.#head, end);
    if (this.options.enforceAllowedUpdates) batch = batch.filter((u) => this.#isAllowed(u));
    this.options.stats.delivered += batch.length;
    return batch;
  }

  #skipUnallowed(): void {
    if (!this.options.enforceAllowedUpdates) return;
    const before = this.#head;
    const q = this.#queue;
    while (this.#head < q.length && !this.#isAllowed(q[this.#head])) this.#head++;
    if (this.#head !== before) this.options.onActivity();
  }

  #isAllowed(u: Update): boolean {
    const type = Object.keys(u).find((k) => k !== "update_id");
    if (type === undefined) return true;
    return this.allowed?.length ? this.allowed.includes(type) : !NOT_BY_DEFAULT.has(type);
  }
}
