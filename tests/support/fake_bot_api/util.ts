/** Small helpers shared by the parts of the fake Bot API. */
import type { ChatId, StoredFile, UserProfile } from "./types.ts";

/** A timer handle. */
export type Timer = ReturnType<typeof setTimeout>;

/** True for a plain object (not null, not an array). */
export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Unix seconds now. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** A number from a number or a numeric string, else undefined. */
export function toNum(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v !== "" && !isNaN(Number(v))) return Number(v);
  return undefined;
}

/** The map key of a chat id (numeric strings become numbers). */
export function keyOf(v: ChatId): ChatId {
  return typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
}

/** A chat id from a call parameter, or undefined when absent or of another type. */
export function normChatId(v: unknown): ChatId | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") return /^-?\d+$/.test(v) ? Number(v) : v;
  return undefined;
}

/** The `Chat` object of a user's private chat. */
export function privateChat(id: number, p: UserProfile): Record<string, unknown> {
  const c: Record<string, unknown> = { id, type: "private", first_name: p.first_name };
  if (p.last_name !== undefined) c.last_name = p.last_name;
  if (p.username !== undefined) c.username = p.username;
  return c;
}

/** A plausible `Chat` object for a chat nobody described yet. */
export function defaultChat(key: ChatId): Record<string, unknown> {
  if (typeof key === "string") {
    return { id: -1009999999999, type: "channel", title: key, username: key.replace(/^@/, "") };
  }
  if (key > 0) return { id: key, type: "private", first_name: `User${key}` };
  return key < -1_000_000_000_000
    ? { id: key, type: "supergroup", title: `Chat ${key}` }
    : { id: key, type: "group", title: `Chat ${key}` };
}

/** The Telegram `Document`-like object of a stored file. */
export function fileObj(f: StoredFile): Record<string, unknown> {
  const o: Record<string, unknown> = {
    file_id: f.file_id,
    file_unique_id: f.file_unique_id,
    file_size: f.file_size,
  };
  if (f.file_name !== undefined) o.file_name = f.file_name;
  if (f.mime_type !== undefined) o.mime_type = f.mime_type;
  return o;
}

/** Deep equality through JSON (undefined equals only undefined). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A deterministic PRNG in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cancellable delays: `stop()` ends every pending one early. */
export class Sleepers {
  #pending = new Set<() => void>();

  /** Resolves after `ms`, or at once when `wakeAll` is called. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#pending.add(done);
    });
  }

  /** Ends every pending delay now. */
  wakeAll(): void {
    for (const done of [...this.#pending]) done();
  }
}
