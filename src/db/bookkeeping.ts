/**
 * Write-behind for bookkeeping whose loss is harmless: the funnel counts (funnel_daily) and
 * the messages tracked for the cleanup job (bot_messages). Each used to be a transaction of its
 * own per update (a write lock, a WAL append, three statements); now callers queue a typed
 * operation and return at once, and the queue is written in ONE transaction:
 * - for free, inside the next ordinary write transaction on the connection (before its COMMIT,
 *   so it is fsynced with it, and a rolled-back transaction leaves the queue queued);
 * - at the latest FLUSH_DELAY_MS after the first queued operation (one timer, armed only while
 *   something is queued, unref'd), or at once when MAX_QUEUED operations wait;
 * - synchronously before anything reads these tables (funnelTotals, messagesToClean, backups
 *   and changeMark) and when the connection is closed (closeDatabase).
 * What this gives up: a crash loses at most the last ~100 ms of funnel counts and tracked
 * messages (the cleanup job then leaves those buttons in place; a power cut could already lose
 * them, as relaxedWrite never fsyncs them), nothing else. Other processes on the same folder
 * see the counts up to 100 ms late. A failed write is reported and the batch dropped: it never
 * throws into the update that queued it.
 * A connection without a running Bookkeeping (CLI commands, most tests) writes each operation
 * at once, as before.
 */
import {
  type Db,
  relaxedWrite,
  setWriteBehind,
  type WriteBehind,
  writeTransaction,
} from "./connection.ts";
import { incrementFunnelStep } from "./funnel_repo.ts";
import { recordBotMessage, type TrackedMessage } from "./jobs_repo.ts";

/** How long a queued operation waits at most for a transaction to join. */
export const FLUSH_DELAY_MS = 100;
/** Queued operations that are written at once instead of waiting. */
export const MAX_QUEUED = 256;

/** Starts and stops the one delayed flush (tests inject one they fire by hand). */
export interface FlushTimer {
  start(fn: () => void, ms: number): number;
  stop(id: number): void;
}

/** Real timers that never keep the process alive. */
export const realFlushTimer: FlushTimer = {
  start(fn, ms) {
    const id = Number(setTimeout(fn, ms));
    Deno.unrefTimer(id);
    return id;
  },
  stop: (id) => clearTimeout(id),
};

/** How a Bookkeeping reports a dropped batch, and its timing (defaults above). */
export interface BookkeepingOptions {
  onDropped(error: unknown, operations: number): void;
  timer?: FlushTimer;
  delayMs?: number;
  maxQueued?: number;
}

/** Journeys that reached `step` on the local date `day`, merged while queued. */
interface FunnelCount {
  day: string;
  step: string;
  n: number;
}

/** The queued bookkeeping of one connection. */
export class Bookkeeping implements WriteBehind {
  #funnel = new Map<string, FunnelCount>();
  #messages = new Map<string, TrackedMessage>();
  #timer: number | undefined;
  #stopped = false;
  readonly #timerApi: FlushTimer;

  constructor(private readonly db: Db, private readonly options: BookkeepingOptions) {
    this.#timerApi = options.timer ?? realFlushTimer;
  }

  /** Operations waiting to be written. */
  get queued(): number {
    return this.#funnel.size + this.#messages.size;
  }

  /** Counts one journey reaching `step` on `day`. */
  countFunnelStep(day: string, step: string): void {
    const key = `${day} ${step}`;
    const known = this.#funnel.get(key);
    if (known) known.n++;
    else this.#funnel.set(key, { day, step, n: 1 });
    this.#queuedOne();
  }

  /** Tracks a sent message with an inline keyboard for the cleanup job. */
  trackMessage(message: TrackedMessage): void {
    const key = `${message.chatId} ${message.messageId}`;
    if (!this.#messages.has(key)) this.#messages.set(key, message);
    this.#queuedOne();
  }

  /** Writes the queue now (joining a transaction in progress); never throws. */
  flush(): void {
    this.#clearTimer();
    const funnel = [...this.#funnel.values()];
    const messages = [...this.#messages.values()];
    if (funnel.length + messages.length === 0) return;
    this.#funnel.clear();
    this.#messages.clear();
    try {
      this.#write(() => {
        for (const c of funnel) incrementFunnelStep(this.db, c.day, c.step, c.n);
        for (const m of messages) recordBotMessage(this.db, m.chatId, m.messageId, m.sentAt);
      });
    } catch (error) {
      this.options.onDropped(error, funnel.length + messages.length);
    }
  }

  /** Flushes and stops: later operations are written at once, no timer is left. */
  stop(): void {
    this.#stopped = true;
    this.flush();
    if (running.get(this.db) === this) {
      running.delete(this.db);
      setWriteBehind(this.db, undefined);
    }
  }

  #queuedOne(): void {
    if (this.#stopped || this.queued >= (this.options.maxQueued ?? MAX_QUEUED)) this.flush();
    else if (this.#timer === undefined) {
      this.#timer = this.#timerApi.start(() => {
        this.#timer = undefined;
        this.flush();
      }, this.options.delayMs ?? FLUSH_DELAY_MS);
    }
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    this.#timerApi.stop(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Runs `fn` in one relaxed transaction of its own, or inside the one in progress under a
   * savepoint, so a failure drops the whole batch and nothing of the caller's.
   */
  #write(fn: () => void): void {
    const db = this.db;
    if (!db.isTransaction) return relaxedWrite(db, () => writeTransaction(db, fn));
    db.exec("SAVEPOINT bookkeeping");
    try {
      fn();
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK TO bookkeeping");
      throw error;
    } finally {
      if (db.isTransaction) db.exec("RELEASE bookkeeping");
    }
  }
}

const running = new WeakMap<Db, Bookkeeping>();

/** Starts queueing the bookkeeping of `db` (stopped by closeDatabase or its stop). */
export function startBookkeeping(db: Db, options: BookkeepingOptions): Bookkeeping {
  running.get(db)?.stop();
  const bookkeeping = new Bookkeeping(db, options);
  running.set(db, bookkeeping);
  setWriteBehind(db, bookkeeping);
  return bookkeeping;
}

/** Counts one journey reaching `step` on the local date `day`: queued, or written now. */
export function countFunnelStep(db: Db, day: string, step: string): void {
  const bookkeeping = running.get(db);
  if (bookkeeping) bookkeeping.countFunnelStep(day, step);
  else relaxedWrite(db, () => incrementFunnelStep(db, day, step));
}

/** Tracks a sent message with an inline keyboard for the cleanup job: queued, or written now. */
export function trackBotMessage(db: Db, message: TrackedMessage): void {
  const bookkeeping = running.get(db);
  if (bookkeeping) bookkeeping.trackMessage(message);
  else {relaxedWrite(db, () =>
      recordBotMessage(db, message.chatId, message.messageId, message.sentAt));}
}
