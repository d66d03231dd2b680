/**
 * Opens the dialog-state store (Deno KV). Dialog state is disposable (bookings live in SQLite),
 * so a store that cannot be opened must not stop the bot: it is moved aside as
 * `state.kv.corrupt-<UTC stamp>` (never deleted) with its -wal/-shm, and a fresh one is opened.
 */
import { moveAside } from "./db_file.ts";
import type { Logger } from "./log.ts";
import { type KvVersions, openKvVersions } from "../db/kv_versions.ts";

/** The opened store, and where a damaged one was moved. */
export interface OpenedKv {
  kv: Deno.Kv;
  /** Versionstamps read straight from the store's file (undefined: its layout is unknown). */
  versions?: KvVersions;
  /** Set when the old store could not be opened and was moved aside. */
  movedAside?: string;
  /** Why the old store could not be opened. */
  problem?: string;
}

/** Opens `path`; a file that is not a usable store is moved aside and a fresh one opened. */
export async function openKvOrMoveAside(
  path: string,
  now: number,
  logger: Logger,
): Promise<OpenedKv> {
  let problem: string;
  let kv: Deno.Kv | undefined;
  try {
    kv = await Deno.openKv(path);
    // Opening is lazy about some damage: one read proves the file is usable.
    await kv.get(["health"]);
    return { kv, versions: openKvVersions(path) };
  } catch (error) {
    kv?.close();
    problem = error instanceof Error ? error.message : String(error);
  }
  const moved = moveAside(path, now);
  // The owners are told in Telegram once the bot is up (ops.kv_reset).
  logger.error("The dialog-state store could not be opened; a fresh one was started", {
    problem,
    damagedFileKeptAt: moved.main,
  });
  const fresh = await Deno.openKv(path);
  return { kv: fresh, versions: openKvVersions(path), movedAside: moved.main, problem };
}

/** Closes the store and its versionstamp reader. */
export function closeKv(opened: OpenedKv): void {
  opened.versions?.close();
  opened.kv.close();
}
