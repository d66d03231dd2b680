/**
 * LiveBackups (restore while the bot runs) below the Telegram layer: refusals change nothing,
 * another bot process on the same data folder blocks it while the bot's own lock does not,
 * an older backup is migrated after the swap, and the jobs are paused around the swap.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Api } from "grammy";
import { type Db } from "../../src/db/connection.ts";
import { loadMigrations, migrateUp } from "../../src/db/migrate.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { createBackup, knownSchemaVersion } from "../../src/ops/backup.ts";
import {
  DataDirBusyError,
  type DataDirLock,
  lockDataDirExclusively,
  lockDataDirForBot,
} from "../../src/ops/data_lock.ts";
import { LiveBackups, LiveRestoreError } from "../../src/ops/live_restore.ts";
import { nullLogger } from "../../src/ops/log.ts";
import { createBotMetrics } from "../../src/ops/metrics.ts";
import { PauseGate } from "../../src/ops/pause_gate.ts";
import { startJobs } from "../../src/jobs/scheduler.ts";
import { loadCatalogs } from "../../src/ui/i18n.ts";

const T0 = Date.UTC(2026, 11, 1, 6, 0, 0);

interface Fixture {
  dir: string;
  dbPath: string;
  backupDir: string;
  db: Db;
  clock: FakeClock;
  lock: DataDirLock;
  live: LiveBackups;
  close(): Promise<void>;
}

async function fixture(): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "booking-live-" });
  const dbPath = join(dir, "booking.db");
  const backupDir = join(dir, "backups");
  const lock = await lockDataDirForBot(dir);
  const clock = new FakeClock(T0);
  const db = openMigrated(dbPath, T0);
  const live = new LiveBackups({
    db,
    dbPath,
    backupDir,
    clock,
    logger: nullLogger,
    lock,
    gate: new PauseGate(),
    prepare: (d) => void migrateUp(d, clock.now()),
  });
  return {
    dir,
    dbPath,
    backupDir,
    db,
    clock,
    lock,
    live,
    async close() {
      if (db.isOpen) db.close();
      lock.release();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function addService(db: Db | DatabaseSync, name: string): void {
  db.prepare(
    "INSERT INTO services (name, duration_minutes, created_at, updated_at) VALUES (?, 60, 0, 0)",
  ).run(name);
}

function services(db: Db): string[] {
  return db.prepare("SELECT name FROM services ORDER BY id").all().map((r) => String(r.name));
}

function files(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("live restore: a file newer than the program is refused by the restore itself", async () => {
  const f = await fixture();
  try {
    addService(f.db, "Haircut");
    const good = await createBackup(f.db, f.backupDir, T0);
    const tooNew = join(f.backupDir, "booking-20261201T070000Z.db");
    Deno.copyFileSync(good.path, tooNew);
    const copy = new DatabaseSync(tooNew);
    copy.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'x', 0)");
    copy.close();
    addService(f.db, "Manicure");
    const verdicts = f.live.list().map((b) => [b.name, b.ok, b.state, b.schemaVersion]);
    assert.deepEqual(verdicts, [
      ["booking-20261201T070000Z.db", false, "too-new", 9999],
      [good.name, true, undefined, knownSchemaVersion()],
    ]);
    const before = files(f.backupDir);
    for (const name of ["booking-20261201T070000Z.db", "booking-20260101T000000Z.db", "../x"]) {
      await assert.rejects(f.live.restore(name, 900), LiveRestoreError);
    }
    assert.deepEqual(services(f.db), ["Haircut", "Manicure"], "nothing changed");
    assert.deepEqual(files(f.backupDir), before, "no backup made");
    assert.equal(f.live.gate.paused, false);
  } finally {
    await f.close();
  }
});

Deno.test("live restore: another bot on the data folder blocks it; the bot's own lock does not", async () => {
  const f = await fixture();
  try {
    addService(f.db, "Haircut");
    const good = await createBackup(f.db, f.backupDir, T0);
    addService(f.db, "Manicure");
    const other = await lockDataDirForBot(f.dir); // a second bot process on the same folder
    await assert.rejects(
      f.live.restore(good.name, 900),
      (e) => e instanceof LiveRestoreError && e.problem === "shared",
    );
    assert.deepEqual(services(f.db), ["Haircut", "Manicure"]);
    other.release();
    f.clock.advance(60_000);
    const result = await f.live.restore(good.name, 900);
    assert.deepEqual(services(f.db), ["Haircut"], "the same connection serves the backup");
    assert.equal(result.previousBackup.name, "booking-20261201T060100Z.db");
    // Afterwards the bot holds its lock shared again: the CLI restore still refuses.
    assert.throws(() => lockDataDirExclusively(f.dir), DataDirBusyError);
    const audit = f.db.prepare("SELECT actor_id, entity, action, entity_id FROM audit_log").all();
    assert.deepEqual(audit.map((r) => [r.actor_id, r.entity, r.action, r.entity_id]), [
      [900, "backup", "restore", good.name],
    ]);
  } finally {
    await f.close();
  }
});

Deno.test("live restore: an older backup is migrated; the jobs are paused around the swap", async () => {
  const f = await fixture();
  const kv = await Deno.openKv(":memory:");
  try {
    // A backup from an older program: only the first migration.
    const oldPath = join(f.dir, "old.db");
    const old = new DatabaseSync(oldPath);
    migrateUp(old, T0, loadMigrations().slice(0, 1));
    addService(old, "Old service");
    await createBackup(old, f.backupDir, T0 - 86_400_000);
    old.close();
    const [backup] = f.live.list();
    assert.ok(backup.ok && backup.schemaVersion! < knownSchemaVersion());
    const config = parseConfig({ DATA_DIR: f.dir, BACKUP_INTERVAL_MINUTES: "1" });
    let tick: (() => Promise<void>) | undefined;
    const jobs = startJobs({
      config,
      deps: {
        db: f.db,
        clock: f.clock,
        catalogs: loadCatalogs(),
        logger: nullLogger,
        metrics: createBotMetrics(),
      },
      api: new Api("0:offline", { apiRoot: "http://127.0.0.1:9" }),
      scheduler: (t) => ((tick = t), () => {}),
    });
    const events: string[] = [];
    f.live.attachJobs({
      pause: async () => {
        await jobs.pause();
        const count = files(f.backupDir).length;
        f.clock.advance(5 * 60_000);
        addService(f.db, "Changed");
        events.push(`pause: ${services(f.db)}`);
        await tick!(); // a paused tick does nothing: no backup job ran
        assert.equal(files(f.backupDir).length, count);
      },
      resume: () => {
        jobs.resume();
        events.push(`resume: ${services(f.db)}`);
      },
    });
    await f.live.restore(backup.name, 900);
    assert.deepEqual(events, ["pause: Changed", "resume: Old service"]);
    const version = f.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get()?.v;
    assert.equal(version, knownSchemaVersion(), "migrated after the swap");
    const count = files(f.backupDir).length;
    f.clock.advance(5 * 60_000);
    await tick!();
    assert.equal(files(f.backupDir).length, count + 1, "resumed jobs make backups again");
    await jobs.stop();
  } finally {
    kv.close();
    await f.close();
  }
});
