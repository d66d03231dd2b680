/**
 * grammY session storage on Deno KV with group commit (the official adapter is JSR-only).
 *
 * Every write is durable before it resolves (the update is answered only after that), but
 * concurrent writes share one atomic commit, so one fsync serves many updates: while a commit is
 * in flight, new writes queue up and all go out together in the next one. A write alone commits
 * at once (no added delay). A failed commit rejects every write in it.
 *
 * Reads are served from the values this storage last read or committed, as long as the key's
 * versionstamp in the store is still theirs (KvVersions: a point query on this thread instead
 * of a Deno KV read); a write by any other process on the same store changes the versionstamp,
 * so the next read goes to Deno KV. Without a KvVersions every read goes to Deno KV.
 */
import type { StorageAdapter } from "grammy";
import type { KvVersions } from "../db/kv_versions.ts";

/** Deno KV limits one atomic operation to 1,000 mutations; sessions are small. */
const MAX_BATCH = 500;

/** Sessions kept for reading (the most recently used; a session is a few hundred bytes). */
const MAX_CACHED = 1000;

interface Cached<T> {
  /** Never handed out: each read gets its own copy. */
  value: T | undefined;
  /** The versionstamp the value was stored with (null: the key was absent). */
  versionstamp: string | null;
}

interface Pending<T> {
  /** The value to store, or undefined to delete the key. */
  value: T | undefined;
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
}

/** The part of Deno.Kv the storage uses (tests pass a fake to control commits). */
export type SessionKv = Pick<Deno.Kv, "get" | "atomic">;

/** Session storage on Deno KV: unchanged sessions are not written; writes are group-committed. */
export class DenoKvStorage<T> implements StorageAdapter<T> {
  /** The JSON of each session as read, until it is written back (at most one update per chat). */
  private readonly asRead = new Map<string, string>();
  /** Writes waiting for the next commit, by key (a later write of a key replaces its value). */
  private queued = new Map<string, Pending<T>>();
  /** Writes in the commit under way. */
  private inFlight = new Map<string, Pending<T>>();
  private committing = false;
  /** Stored values by key, least recently used first (only with a KvVersions). */
  private readonly cache = new Map<string, Cached<T>>();
  /** Commits made (for tests and benchmarks). */
  commits = 0;
  /** Reads that went to Deno KV (for tests and benchmarks). */
  kvReads = 0;

  constructor(
    private readonly kv: SessionKv,
    private readonly prefix = "sessions",
    private readonly versions?: KvVersions,
  ) {}

  /** Reads the session of `key`. */
  async read(key: string): Promise<T | undefined> {
    // A write not yet committed is what the next reader must see.
    const unsaved = this.queued.get(key) ?? this.inFlight.get(key);
    const value = unsaved
      ? (unsaved.value === undefined ? undefined : structuredClone(unsaved.value))
      : (this.cached(key) ?? await this.load(key)).value;
    if (value === null || value === undefined) return undefined;
    // Updates that failed are never written back: forget them all once there are too many.
    if (this.asRead.size >= 10_000) this.asRead.clear();
    this.asRead.set(key, JSON.stringify(value));
    return value;
  }

  /** Stores the session of `key` (unless it is unchanged since it was read); durable on resolve. */
  write(key: string, value: T): Promise<void> {
    const before = this.asRead.get(key);
    this.asRead.delete(key);
    if (before !== undefined && before === JSON.stringify(value)) {
      // Unchanged; but if what was read is not committed yet, answer only once it is.
      const unsaved = this.queued.get(key) ?? this.inFlight.get(key);
      if (!unsaved) return Promise.resolve();
      return new Promise((resolve, reject) => unsaved.waiters.push({ resolve, reject }));
    }
    return this.enqueue(key, value);
  }

  /** Removes the session of `key`; durable on resolve. */
  delete(key: string): Promise<void> {
    this.asRead.delete(key);
    return this.enqueue(key, undefined);
  }

  /** A copy of the value held for `key`, if it is still the stored one. */
  private cached(key: string): { value: T | undefined } | undefined {
    const held = this.cache.get(key);
    if (!held) return undefined;
    this.cache.delete(key);
    if (this.versions!.versionOf([this.prefix, key]) !== held.versionstamp) return undefined;
    this.cache.set(key, held); // the most recently used now
    return { value: held.value === undefined ? undefined : structuredClone(held.value) };
  }

  private async load(key: string): Promise<{ value: T | undefined }> {
    this.kvReads++;
    const entry = await this.kv.get<T>([this.prefix, key]);
    const value = entry.value ?? undefined;
    this.hold(key, value, entry.versionstamp);
    return { value };
  }

  /** Keeps a copy of `value` (undefined: absent) as stored at `versionstamp`. */
  private hold(key: string, value: T | undefined, versionstamp: string | null): void {
    if (!this.versions) return;
    this.cache.delete(key);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    const copy = value === undefined ? undefined : structuredClone(value);
    this.cache.set(key, { value: copy, versionstamp });
  }

  private enqueue(key: string, value: T | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const pending = this.queued.get(key);
      if (pending) {
        pending.value = value;
        pending.waiters.push({ resolve, reject });
      } else {
        this.queued.set(key, { value, waiters: [{ resolve, reject }] });
      }
      if (!this.committing) void this.commitLoop();
    });
  }

  /** Commits queued writes, a batch at a time, until none are left. */
  private async commitLoop(): Promise<void> {
    this.committing = true;
    try {
      while (this.queued.size > 0) {
        const batch: Array<[string, Pending<T>]> = [];
        for (const entry of this.queued) {
          batch.push(entry);
          this.queued.delete(entry[0]);
          this.inFlight.set(entry[0], entry[1]);
          if (batch.length === MAX_BATCH) break;
        }
        try {
          const atomic = this.kv.atomic();
          for (const [key, { value }] of batch) {
            if (value === undefined) atomic.delete([this.prefix, key]);
            else atomic.set([this.prefix, key], value);
          }
          this.commits++;
          const result = await atomic.commit();
          if (!result.ok) throw new Error("Deno KV did not commit the session writes");
          for (const [, p] of batch) for (const w of p.waiters) w.resolve();
          for (const [key, { value }] of batch) {
            this.hold(key, value, value === undefined ? null : result.versionstamp);
          }
        } catch (error) {
          for (const [, p] of batch) for (const w of p.waiters) w.reject(error);
        } finally {
          for (const [key, p] of batch) if (this.inFlight.get(key) === p) this.inFlight.delete(key);
        }
      }
    } finally {
      this.committing = false;
    }
  }
}
