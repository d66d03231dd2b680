import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openDatabase } from "../../src/db/connection.ts";
import { migrateUp } from "../../src/db/migrate.ts";
import {
  checkDatabaseFile,
  createBackup,
  integrityCheck,
  isBackupDue,
  knownSchemaVersion,
  latestBackupTime,
  listBackups,
  parseBackupName,
  pruneBackups,
} from "../../src/ops/backup.ts";
import {
  ensureHealthyDatabase,
  NoValidBackupError,
  restoreBackup,
  restoreLatest,
  RestoreSourceError,
} from "../../src/ops/restore.ts";
import { createLogger, nullLogger } from "../../src/ops/log.ts";

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0); // 2026-11-25T09:00:00Z
const DAY = 86_400_000;

function addService(path: string, name: string, now = T0): void {
  const db = openDatabase(path);
  try {
    db.prepare(
      "INSERT INTO services (name, duration_minutes, created_at, updated_at) VALUES (?, ?, ?, ?)",
    ).run(name, 60, now, now);
  } finally {
    db.close();
  }
}

/** Creates a migrated database with the given services at `path`. */
function makeDatabase(path: string, services: string[] = ["Haircut", "Manicure"]): void {
  const db = openDatabase(path);
  try {
    migrateUp(db, T0);
  } finally {
    db.close();
  }
  for (const name of services) addService(path, name);
}

function serviceNames(path: string): string[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare("SELECT name FROM services ORDER BY id").all().map((r) => String(r.name));
  } finally {
    db.close();
  }
}

async function backupOf(path: string, backupDir: string, now: number) {
  const db = openDatabase(path);
  try {
    return await createBackup(db, backupDir, now);
  } finally {
    db.close();
  }
}

function garbage(size: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** Every file under `dir` with its bytes, to prove nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of Deno.readDirSync(d)) {
      const path = join(d, entry.name);
      if (entry.isDirectory) {
        out.set(path + "/", "dir");
        walk(path);
      } else out.set(path, Array.from(Deno.readFileSync(path)).join(","));
    }
  };
  walk(dir);
  return out;
}

/** A valid SQLite file whose schema page is overwritten with junk. */
function makeCorruptDatabase(path: string): void {
  makeDatabase(path);
  const bytes = Deno.readFileSync(path);
  bytes.set(garbage(900, 3), 100);
  Deno.writeFileSync(path, bytes);
}

async function withTempDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "backup_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("createBackup writes a verified, self-contained, timestamped file", async () => {
  await withTempDir(async (dir) => {
    const dbPath = join(dir, "booking.db");
    const backupDir = join(dir, "backups");
    makeDatabase(dbPath);
    const db = openDatabase(dbPath);
    // A write still in the WAL (not checkpointed) must be in the backup too.
    db.exec("PRAGMA wal_autocheckpoint = 0");
    db.prepare(
      "INSERT INTO services (name, duration_minutes, created_at, updated_at) VALUES (?, 30, ?, ?)",
    ).run("Pedicure", T0, T0);
    try {
      const first = await createBackup(db, backupDir, T0 + 123);
      assert.equal(first.name, "booking-20261125T090000Z.db");
      assert.equal(first.path, join(backupDir, first.name));
      assert.equal(first.takenAt, T0);
      assert.equal(first.ok, true);
      assert.ok(first.size > 0);
      const second = await createBackup(db, backupDir, T0);
      assert.equal(second.name, "booking-20261125T090000Z-2.db");
      const third = await createBackup(db, backupDir, T0);
      assert.equal(third.name, "booking-20261125T090000Z-3.db");
    } finally {
      db.close();
    }
    assert.deepEqual(serviceNames(join(backupDir, "booking-20261125T090000Z.db")), [
      "Haircut",
      "Manicure",
      "Pedicure",
    ]);
    // One file per backup: no temporary files, no -wal/-shm left behind (rollback journal mode).
    assert.deepEqual([...Deno.readDirSync(backupDir)].map((e) => e.name).sort(), [
      "booking-20261125T090000Z-2.db",
      "booking-20261125T090000Z-3.db",
      "booking-20261125T090000Z.db",
    ]);
    const copy = new DatabaseSync(join(backupDir, "booking-20261125T090000Z.db"), {
      readOnly: true,
    });
    try {
      assert.equal(copy.prepare("PRAGMA journal_mode").get()?.journal_mode, "delete");
      assert.equal(integrityCheck(copy), "ok");
    } finally {
      copy.close();
    }
  });
});

Deno.test("createBackup refuses to keep a backup of a database that is not ours", async () => {
  await withTempDir(async (dir) => {
    const db = openDatabase(join(dir, "other.db"));
    db.exec("CREATE TABLE t (x)");
    try {
      await assert.rejects(createBackup(db, join(dir, "backups"), T0), {
        name: "BackupVerificationError",
      });
    } finally {
      db.close();
    }
    assert.deepEqual([...Deno.readDirSync(join(dir, "backups"))], []);
  });
});

Deno.test("listBackups checks every backup; pruneBackups honours retention by name", async () => {
  await withTempDir(async (dir) => {
    const dbPath = join(dir, "booking.db");
    const backupDir = join(dir, "backups");
    makeDatabase(dbPath);
    assert.deepEqual(listBackups(backupDir), []);
    assert.equal(latestBackupTime(backupDir), undefined);

    await backupOf(dbPath, backupDir, T0 - 40 * DAY);
    await backupOf(dbPath, backupDir, T0 - 31 * DAY);
    await backupOf(dbPath, backupDir, T0 - 2 * DAY);
    const newest = await backupOf(dbPath, backupDir, T0);
    Deno.writeTextFileSync(join(backupDir, "notes.txt"), "not a backup");
    Deno.writeFileSync(join(backupDir, "booking-20261124T000000Z.db"), garbage(4096));
    const foreign = new DatabaseSync(join(backupDir, "booking-20261123T000000Z.db"));
    foreign.exec("CREATE TABLE t (x)");
    foreign.close();

    const list = listBackups(backupDir);
    assert.deepEqual(list.map((b) => b.name), [
      "booking-20261125T090000Z.db",
      "booking-20261124T000000Z.db",
      "booking-20261123T090000Z.db",
      "booking-20261123T000000Z.db",
      "booking-20261025T090000Z.db",
      "booking-20261016T090000Z.db",
    ]);
    assert.deepEqual(list.map((b) => b.ok), [true, false, true, false, true, true]);
    assert.match(list[1].problem!, /not a database/);
    assert.match(list[3].problem!, /schema_migrations/);
    assert.equal(list[0].path, newest.path);
    assert.equal(list[0].takenAt, T0);
    assert.equal(latestBackupTime(backupDir), T0);

    assert.deepEqual(pruneBackups(backupDir, 0, T0), [], "0 days keeps everything");
    const removed = pruneBackups(backupDir, 30, T0);
    assert.deepEqual(removed.sort(), [
      join(backupDir, "booking-20261016T090000Z.db"),
      join(backupDir, "booking-20261025T090000Z.db"),
    ]);
    assert.equal(listBackups(backupDir).length, 4);
    assert.ok(Deno.statSync(join(backupDir, "notes.txt")).isFile, "other files are left alone");

    // Far in the future every backup is old, but the newest valid one always stays.
    Deno.writeFileSync(join(backupDir, "booking-20261126T000000Z.db"), garbage(2048));
    pruneBackups(backupDir, 30, T0 + 365 * DAY);
    assert.deepEqual(listBackups(backupDir).map((b) => b.name), ["booking-20261125T090000Z.db"]);
  });
});

Deno.test("isBackupDue and parseBackupName", () => {
  assert.equal(isBackupDue(undefined, 24, T0), true);
  assert.equal(isBackupDue(T0 - 23 * 3_600_000, 24, T0), false);
  assert.equal(isBackupDue(T0 - 24 * 3_600_000, 24, T0), true);
  assert.equal(isBackupDue(undefined, 0, T0), false, "interval 0 turns scheduled backups off");
  assert.deepEqual(parseBackupName("booking-20261125T090000Z.db"), { takenAt: T0, seq: 1 });
  assert.deepEqual(parseBackupName("booking-20261125T090000Z-3.db"), { takenAt: T0, seq: 3 });
  assert.equal(parseBackupName("booking.db"), undefined);
  assert.equal(parseBackupName(".booking-20261125T090000Z.db.tmp-abc"), undefined);
});

Deno.test("checkDatabaseFile tells the states apart", async () => {
  await withTempDir((dir) => {
    const good = join(dir, "good.db");
    makeDatabase(good);
    assert.deepEqual(checkDatabaseFile(good), {
      ok: true,
      state: "ok",
      schemaVersion: knownSchemaVersion(),
    });
    const newer = join(dir, "newer.db");
    makeDatabase(newer);
    const db = new DatabaseSync(newer);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)")
      .run(knownSchemaVersion() + 1);
    db.close();
    const verdict = checkDatabaseFile(newer);
    assert.equal(verdict.state, "too-new");
    assert.equal(verdict.ok, false);
    assert.equal(verdict.schemaVersion, knownSchemaVersion() + 1);
    assert.match(verdict.problem!, /newer than this program/);
    assert.equal(checkDatabaseFile(join(dir, "nope.db")).state, "missing");
    assert.equal(checkDatabaseFile(dir).state, "not-a-file");
    Deno.writeFileSync(join(dir, "garbage.db"), garbage(8192));
    const g = checkDatabaseFile(join(dir, "garbage.db"));
    assert.equal(g.state, "not-sqlite");
    assert.match(g.problem!, /file is not a database/);
    makeCorruptDatabase(join(dir, "corrupt.db"));
    assert.equal(checkDatabaseFile(join(dir, "corrupt.db")).state, "corrupt");
    Deno.writeFileSync(join(dir, "empty.db"), new Uint8Array());
    assert.equal(checkDatabaseFile(join(dir, "empty.db")).state, "empty");
  });
});

Deno.test("ensureHealthyDatabase: fresh when missing, ok when healthy", async () => {
  await withTempDir(async (dir) => {
    const dbPath = join(dir, "booking.db");
    const backupDir = join(dir, "backups");
    const options = { dbPath, backupDir, now: T0, logger: nullLogger };
    assert.deepEqual(await ensureHealthyDatabase(options), { status: "fresh" });
    makeDatabase(dbPath);
    assert.deepEqual(await ensureHealthyDatabase(options), { status: "ok" });
  });
});

Deno.test("ensureHealthyDatabase restores the newest VALID backup and keeps the bad file", async () => {
  await withTempDir(async (dir) => {
    const dbPath = join(dir, "booking.db");
    const backupDir = join(dir, "backups");
    makeDatabase(dbPath);
    const older = await backupOf(dbPath, backupDir, T0 - DAY);
    addService(dbPath, "Massage");
    const newer = await backupOf(dbPath, backupDir, T0 - 3_600_000);
    Deno.writeFileSync(newer.path, garbage(4096, 11)); // the newest backup is itself damaged

    const bad = garbage(16384);
    Deno.writeFileSync(dbPath, bad);
    Deno.writeFileSync(dbPath + "-wal", garbage(100, 5));

    const notices: string[] = [];
    const logger = createLogger({
      level: "DEBUG",
      console: false,
      onCritical: (m) => void notices.push(m),
    });
    const result = await ensureHealthyDatabase({ dbPath, backupDir, now: T0, logger });
    logger.close();

    assert.equal(result.status, "restored");
    if (result.status !== "restored") return;
    assert.equal(result.from, older.path);
    assert.equal(result.movedAside, `${dbPath}.corrupt-20261125T090000Z`);
    assert.deepEqual(result.movedAsideFiles, [result.movedAside, result.movedAside + "-wal"]);
    assert.deepEqual(Deno.readFileSync(result.movedAside), bad, "the bad file is kept as it was");
    assert.equal(checkDatabaseFile(dbPath).ok, true);
    assert.deepEqual(serviceNames(dbPath), ["Haircut", "Manicure"]);
    assert.equal(notices.length, 1);
    assert.match(notices[0], /restored from a backup/);

    // The restored database works with the normal connection settings.
    const db = openDatabase(dbPath);
    try {
      assert.equal(integrityCheck(db), "ok");
    } finally {
      db.close();
    }
    // The backups are untouched: the damaged one is still there for a human to look at.
    assert.deepEqual(Deno.readFileSync(newer.path), garbage(4096, 11));
  });
});

Deno.test("ensureHealthyDatabase without a valid backup throws and changes nothing", async () => {
  await withTempDir(async (dir) => {
    const dbPath = join(dir, "booking.db");
    const backupDir = join(dir, "backups");
    Deno.mkdirSync(backupDir);
    Deno.writeFileSync(join(backupDir, "booking-20261124T000000Z.db"), garbage(4096, 2));
    Deno.writeFileSync(dbPath, garbage(16384));
    const before = snapshot(dir);

    const error = await ensureHealthyDatabase({ dbPath, backupDir, now: T0 }).then(
      () => assert.fail("expected NoValidBackupError"),
      (e) => e,
    );
    assert.ok(error instanceof NoValidBackupError);
    assert.ok(error.message.includes(dbPath), error.message);
    assert.ok(error.message.includes(backupDir), error.message);
    assert.match(error.message, /Nothing was changed/);
    assert.deepEqual(snapshot(dir), before);

    // No backup folder at all: same answer.
    const other = join(dir, "no-backups");
    await assert.rejects(
      ensureHealthyDatabase({ dbPath, backupDir: other, now: T0 }),
      NoValidBackupError,
    );
    assert.deepEqual(snapshot(dir), before);
  });
});

Deno.test("ensureHealthyDatabase treats an empty, never-migrated file as fresh", async () => {
  await withTempDir(async (dir) => {
    const dbPath = join(dir, "booking.db");
    Deno.writeFileSync(dbPath, new Uint8Array());
    const result = await ensureHealthyDatabase({
      dbPath,
      backupDir: join(dir, "backups"),
      now: T0,
    });
    assert.deepEqual(result, { status: "fresh" });
    assert.ok(Deno.statSync(dbPath).isFile);
  });
});

Deno.test("restoreBackup refuses bad sources with a typed error and changes nothing", async () => {
  await withTempDir(async (dir) => {
    const dbPath = join(dir, "booking.db");
    const backupDir = join(dir, "backups");
    makeDatabase(dbPath);
    await backupOf(dbPath, backupDir, T0 - DAY);
    const inputs = join(dir, "inputs");
    Deno.mkdirSync(inputs);
    Deno.writeTextFileSync(join(inputs, "notes.txt"), "hello, this is not a database\n");
    makeCorruptDatabase(join(inputs, "corrupt.db"));
    const foreign = new DatabaseSync(join(inputs, "foreign.db"));
    foreign.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    foreign.close();
    const before = snapshot(dir);

    const cases: [string, string][] = [
      [join(inputs, "missing.db"), "missing"],
      [inputs, "not-a-file"],
      [join(inputs, "notes.txt"), "not-sqlite"],
      [join(inputs, "corrupt.db"), "corrupt"],
      [join(inputs, "foreign.db"), "no-schema"],
      [dbPath, "is-current"],
    ];
    for (const [source, reason] of cases) {
      const error = await restoreBackup({ dbPath, backupDir, source, now: T0 }).then(
        () => assert.fail(`expected ${source} to be refused`),
        (e) => e,
      );
      assert.ok(error instanceof RestoreSourceError, String(error));
      assert.equal(error.reason, reason, source);
      assert.ok(error.message.includes(source), error.message);
      assert.deepEqual(snapshot(dir), before, `nothing changed for ${reason}`);
    }
  });
});

Deno.test("restoreBackup backs up the current database first; restoreLatest picks the newest", async () => {
  await withTempDir(async (dir) => {
    const dbPath = join(dir, "booking.db");
    const backupDir = join(dir, "backups");
    makeDatabase(dbPath, ["Haircut"]);
    const old = await backupOf(dbPath, backupDir, T0 - DAY);
    addService(dbPath, "Manicure");
    // Leave a live -wal behind, as after a crash: its content belongs to the current database.
    const live = openDatabase(dbPath);
    live.exec("PRAGMA wal_autocheckpoint = 0");
    live.prepare(
      "INSERT INTO services (name, duration_minutes, created_at, updated_at) VALUES (?, 30, ?, ?)",
    ).run("Massage", T0, T0);
    const walCopy = Deno.readFileSync(dbPath + "-wal");
    const mainCopy = Deno.readFileSync(dbPath);
    live.close();
    Deno.writeFileSync(dbPath, mainCopy);
    Deno.writeFileSync(dbPath + "-wal", walCopy);
    assert.deepEqual(serviceNames(dbPath), ["Haircut", "Manicure", "Massage"]);

    const result = await restoreBackup({ dbPath, backupDir, source: old.path, now: T0 });
    assert.equal(result.restoredFrom, old.path);
    assert.ok(result.previousBackup);
    assert.equal(result.previousBackup.name, "booking-20261125T090000Z.db");
    assert.deepEqual(serviceNames(result.previousBackup.path), [
      "Haircut",
      "Manicure",
      "Massage",
    ]);
    assert.deepEqual(serviceNames(dbPath), ["Haircut"]);
    for (const suffix of ["-wal", "-shm", "-journal"]) {
      assert.throws(() => Deno.statSync(dbPath + suffix), Deno.errors.NotFound, suffix);
    }
    assert.equal(checkDatabaseFile(dbPath).ok, true);
    assert.deepEqual(Deno.readFileSync(old.path).length > 0, true, "the source is kept");

    // The newest valid backup is now the one taken just before the restore.
    const again = await restoreLatest({ dbPath, backupDir, now: T0 + 60_000 });
    assert.equal(again.restoredFrom, result.previousBackup.path);
    assert.deepEqual(serviceNames(dbPath), ["Haircut", "Manicure", "Massage"]);
    assert.equal(again.previousBackup?.name, "booking-20261125T090100Z.db");
    assert.deepEqual(serviceNames(again.previousBackup!.path), ["Haircut"]);
  });
});

Deno.test("restoreBackup moves a damaged current database aside instead of deleting it", async () => {
  await withTempDir(async (dir) => {
    const dbPath = join(dir, "booking.db");
    const backupDir = join(dir, "backups");
    makeDatabase(dbPath);
    const good = await backupOf(dbPath, backupDir, T0 - DAY);
    const bad = garbage(8192);
    Deno.writeFileSync(dbPath, bad);
    const result = await restoreBackup({ dbPath, backupDir, source: good.path, now: T0 });
    assert.equal(result.previousBackup, undefined);
    assert.equal(result.movedAside, `${dbPath}.corrupt-20261125T090000Z`);
    assert.deepEqual(Deno.readFileSync(result.movedAside!), bad);
    assert.deepEqual(serviceNames(dbPath), ["Haircut", "Manicure"]);
  });
});

Deno.test("restoreLatest without any valid backup throws NoValidBackupError", async () => {
  await withTempDir(async (dir) => {
    const dbPath = join(dir, "booking.db");
    makeDatabase(dbPath);
    const before = snapshot(dir);
    await assert.rejects(
      restoreLatest({ dbPath, backupDir: join(dir, "backups"), now: T0 }),
      NoValidBackupError,
    );
    assert.deepEqual(snapshot(dir), before);
  });
});
