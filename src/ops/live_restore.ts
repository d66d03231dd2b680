/**
 * Backups and restore while the bot runs (the owners' "Backups" screen). A restore pauses the
 * updates (they wait at the gate, none is dropped) and the jobs, backs up the current database,
 * swaps the file, reopens the same connection object in place (every holder of it sees the
 * restored data), brings it up to date (migrations, owners) and resumes. Only a valid backup
 * whose schema version this program knows is restored; one restore runs at a time.
 */
import { join } from "node:path";
import { audit } from "../db/audit_repo.ts";
import { closeForSwap, type Db, writeTransaction } from "../db/connection.ts";
import type { Clock } from "../domain/clock.ts";
import { type BackupInfo, createBackup, listBackups, parseBackupName } from "./backup.ts";
import { checkDatabaseFile, removeQuietly, removeWithSideFiles, SIDE_FILES } from "./db_file.ts";
import { DataDirBusyError, type DataDirLock } from "./data_lock.ts";
import type { Logger } from "./log.ts";
import type { PauseGate } from "./pause_gate.ts";
import { stageCopy } from "./restore.ts";

/** Identifies one version of a file: path, size and modification time. */
function fileKey(path: string): string {
  try {
    const stat = Deno.statSync(path);
    return `${path}:${stat.size}:${stat.mtime?.getTime()}`;
  } catch {
    return path;
  }
}

/** Something that stops its work on the database for a while (the jobs). */
export interface Pausable {
  /** Resolves when nothing of it is running any more. */
  pause(): Promise<void>;
  resume(): void;
}

/** Why a backup cannot be restored now. */
export type LiveRestoreProblem =
  | "busy" // another restore is running
  | "shared" // another bot process uses the same data folder
  | "missing" // no such backup (any more)
  | "refused"; // the file is damaged or newer than the program

/** A restore was refused; nothing was changed. */
export class LiveRestoreError extends Error {
  constructor(readonly problem: LiveRestoreProblem, detail: string) {
    super(`Restore refused (${problem}): ${detail}`);
    this.name = "LiveRestoreError";
  }
}

/** What a restore did. */
export interface LiveRestoreResult {
  restoredFrom: BackupInfo;
  /** The backup of the database that was replaced. */
  previousBackup: BackupInfo;
}

/** What LiveBackups works on. */
export interface LiveBackupsOptions {
  db: Db;
  dbPath: string;
  backupDir: string;
  clock: Clock;
  logger: Logger;
  /** The bot's lock on the data folder (made exclusive for the swap). */
  lock: DataDirLock;
  /** The gate the bot's updates pass through. */
  gate: PauseGate;
  /** Brings a swapped-in database to what the bot needs (migrations, owners from config). */
  prepare(db: Db): void;
}

/** The backups of a running bot: list, back up now, restore in place. */
export class LiveBackups {
  #jobs: Pausable | undefined;
  #busy = false;
  #generation = 0;
  #verdicts = new Map<string, BackupInfo>();

  constructor(private readonly o: LiveBackupsOptions) {}

  /** The gate the bot's updates pass through. */
  get gate(): PauseGate {
    return this.o.gate;
  }

  /** Whether a restore is running now. */
  get restoring(): boolean {
    return this.#busy;
  }

  /** How many restores this process has made: a confirmation asked before one is stale. */
  get generation(): number {
    return this.#generation;
  }

  /** The jobs to pause during a restore (they start after the bot). */
  attachJobs(jobs: Pausable): void {
    this.#jobs = jobs;
  }

  /** The backups, newest first, each with its verdict (a file is checked once while unchanged). */
  list(): BackupInfo[] {
    const known = this.#verdicts;
    const list = listBackups(this.o.backupDir, (path) => known.get(fileKey(path)));
    this.#verdicts = new Map(list.map((info) => [fileKey(info.path), info]));
    return list;
  }

  /** Writes a verified backup of the running database now. */
  async backUpNow(actorId: number): Promise<BackupInfo> {
    const info = await createBackup(this.o.db, this.o.backupDir, this.o.clock.now());
    this.o.logger.info("Backup made from /admin", { by: actorId, file: info.name });
    return info;
  }

  /**
   * Restores the backup named `name` in place (see the module comment). Throws LiveRestoreError,
   * changing nothing, when it cannot be restored.
   */
  async restore(name: string, actorId: number): Promise<LiveRestoreResult> {
    if (this.#busy) throw new LiveRestoreError("busy", "another restore is running");
    this.#busy = true;
    try {
      const source = this.#restorable(name);
      return await this.o.lock.exclusively(() => this.#restorePaused(source, actorId));
    } catch (error) {
      if (error instanceof DataDirBusyError) throw new LiveRestoreError("shared", error.message);
      throw error;
    } finally {
      this.#busy = false;
    }
  }

  /** The backup `name` checked afresh, or LiveRestoreError. */
  #restorable(name: string): BackupInfo {
    if (!parseBackupName(name)) throw new LiveRestoreError("missing", `not a backup name: ${name}`);
    const path = join(this.o.backupDir, name);
    const check = checkDatabaseFile(path);
    if (check.state === "missing") throw new LiveRestoreError("missing", `${path} is gone`);
    if (!check.ok) throw new LiveRestoreError("refused", `${path}: ${check.problem}`);
    return {
      path,
      name,
      size: Deno.statSync(path).size,
      takenAt: parseBackupName(name)!.takenAt,
      ok: true,
      schemaVersion: check.schemaVersion,
    };
  }

  async #restorePaused(source: BackupInfo, actorId: number): Promise<LiveRestoreResult> {
    const { db, dbPath, backupDir, clock, logger, gate } = this.o;
    const staged = await stageCopy(source.path, dbPath);
    try {
      logger.info("Restore: pausing updates and jobs", { from: source.name });
      await gate.pause();
      await this.#jobs?.pause();
      try {
        const previousBackup = await createBackup(db, backupDir, clock.now());
        this.#swap(staged);
        this.#generation++;
        this.#audit(actorId, source, previousBackup);
        logger.warning("The database was restored from /admin", {
          by: actorId,
          from: source.path,
          previousBackup: previousBackup.path,
          waitingUpdates: gate.waiting,
        });
        return { restoredFrom: source, previousBackup };
      } finally {
        this.#jobs?.resume();
        gate.resume();
      }
    } finally {
      removeWithSideFiles(staged);
    }
  }

  /** Puts `staged` in place of the database and reopens the connection on it. */
  #swap(staged: string): void {
    const { db, dbPath } = this.o;
    const closed = closeForSwap(db);
    try {
      for (const suffix of SIDE_FILES) removeQuietly(dbPath + suffix);
      Deno.renameSync(staged, dbPath);
    } finally {
      // On a failed rename the old file is still there: the bot goes on with it.
      closed.reopen();
    }
    this.o.prepare(db);
  }

  #audit(actorId: number, source: BackupInfo, previous: BackupInfo): void {
    const { db, clock } = this.o;
    writeTransaction(db, () =>
      audit(db, {
        at: clock.now(),
        actorId,
        entity: "backup",
        entityId: source.name,
        action: "restore",
        oldValue: previous.name,
        newValue: source.name,
      }));
  }
}
