/**
 * The versionstamp of a Deno KV key, read straight from the store's SQLite file through a
 * read-only connection: a point query on the calling thread, where a Deno KV read is a round trip
 * to KV's own thread (about 0.1 ms of CPU and more of latency per update). The session storage
 * uses it to tell whether the value it holds is still the stored one, whichever process wrote.
 *
 * It relies on the layout of the local store in the pinned Deno (table `kv`: the encoded key `k`,
 * the commit's `version` and `seq`). The layout is checked when opened: where it differs there
 * is no reader, and every session is read from Deno KV as before.
 * tests/integration/kv_versions_test.ts pins the layout and the key encoding against Deno KV.
 */
import { DatabaseSync } from "node:sqlite";

/** Reads versionstamps of keys of one Deno KV store. */
export interface KvVersions {
  /**
   * The versionstamp Deno KV would report for `key` now: null when the key is absent,
   * undefined when it cannot be told (the caller reads the key from Deno KV instead).
   */
  versionOf(key: readonly string[]): string | null | undefined;
  close(): void;
}

/** A reader for the store at `path`, or undefined when its layout is not the expected one. */
export function openKvVersions(path: string): KvVersions | undefined {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const columns = db.prepare("SELECT name FROM pragma_table_info('kv')").all()
      .map((row) => row.name);
    if (!["k", "version", "seq"].every((name) => columns.includes(name))) {
      db.close();
      return undefined;
    }
    const query = db.prepare("SELECT version, seq FROM kv WHERE k = ?");
    query.setReadBigInts(true);
    const open = db;
    return {
      versionOf(key) {
        try {
          const row = query.get(encodeKey(key));
          if (!row) return null;
          return hex(row.version as bigint, 16) + hex(row.seq as bigint, 4);
        } catch {
          return undefined;
        }
      },
      close: () => open.close(),
    };
  } catch {
    db?.close();
    return undefined;
  }
}

const hex = (n: bigint, digits: number) => n.toString(16).padStart(digits, "0");
const utf8 = new TextEncoder();

/** Deno KV's encoding of a key of strings: 0x02, the UTF-8 bytes (0x00 as 0x00 0xFF), 0x00. */
export function encodeKey(key: readonly string[]): Uint8Array {
  const bytes: number[] = [];
  for (const part of key) {
    bytes.push(0x02);
    for (const b of utf8.encode(part)) {
      bytes.push(b);
      if (b === 0x00) bytes.push(0xff);
    }
    bytes.push(0x00);
  }
  return new Uint8Array(bytes);
}
