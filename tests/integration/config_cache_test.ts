/**
 * The configuration cache on a real SQLite file: read once, seen changed after a write of this
 * connection, of another connection (another process) and after a reopen (a restore).
 */
import assert from "node:assert/strict";
import { StatementSync } from "node:sqlite";
import { closeForSwap, type Db, openDatabase, writeTransaction } from "../../src/db/connection.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { loadMigrations, migrateUp } from "../../src/db/migrate.ts";
import {
  getService,
  listBookableServices,
  setServiceDeleted,
  updateServiceField,
} from "../../src/db/services_repo.ts";
import {
  addBreak,
  addDayOff,
  getRules,
  listBreaks,
  listDaysOff,
  listWorkingHours,
  setRule,
  setWorkingHours,
} from "../../src/db/schedule_repo.ts";
import { deleteAdmin, getAdminRole, listAdmins, upsertAdmin } from "../../src/db/admins_repo.ts";
import {
  getStaff,
  insertStaff,
  listActiveStaff,
  renameStaff,
  staffVisibleToClients,
} from "../../src/db/staff_repo.ts";
import {
  activeMastersOfService,
  getMasterTerms,
  setMasterDoesService,
  setMasterTerms,
} from "../../src/db/master_services_repo.ts";
import { businessProfile, getSetting, setSetting } from "../../src/db/profile_repo.ts";
import { upsertUser } from "../../src/db/users_repo.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";

const NOW = Date.parse("2026-12-01T06:00:00Z");

/** A new task of the event loop, as a new update gets. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

async function withFile(fn: (path: string, db: Db) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "booking-config-cache-" });
  const path = `${dir}/booking.db`;
  const db = openMigrated(path, NOW);
  loadDemoData(db, NOW);
  try {
    await fn(path, db);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The SQL of every statement `fn` runs (any connection), in order. */
function statementsOf(fn: () => void): string[] {
  const proto = StatementSync.prototype as unknown as Record<string, unknown>;
  const originals = Object.fromEntries(["get", "all", "run"].map((m) => [m, proto[m]]));
  const seen: string[] = [];
  for (const [name, original] of Object.entries(originals)) {
    proto[name] = function (this: StatementSync, ...args: unknown[]) {
      seen.push(this.sourceSQL.replace(/\s+/g, " ").trim());
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
  try {
    fn();
  } finally {
    Object.assign(proto, originals);
  }
  return seen;
}

const generationOf = (db: Db) => Number(db.prepare("SELECT n FROM config_generation").get()!.n);

const firstServiceId = (db: Db) => listBookableServices(db)[0].id;

Deno.test("config cache: repeated reads hit the database once, in one task and across tasks", () =>
  withFile(async (_path, db) => {
    const id = firstServiceId(db);
    await nextTask();
    const read = () => {
      getService(db, id);
      getService(db, id);
      listBookableServices(db);
      getRules(db);
      getRules(db);
      listWorkingHours(db, 1);
      getAdminRole(db, 42);
    };
    const first = statementsOf(read);
    assert.equal(first.filter((s) => s.includes("FROM services")).length, 1, first.join("\n"));
    assert.equal(first.filter((s) => s.includes("FROM settings")).length, 1);
    assert.equal(first.filter((s) => s.includes("FROM working_hours")).length, 1);
    assert.equal(first.filter((s) => s.includes("FROM admins")).length, 1);
    assert.equal(first.filter((s) => s.includes("config_generation")).length, 1);
    await nextTask();
    // A new task: the generation is read again (once), nothing else.
    assert.deepEqual(statementsOf(read), ["SELECT n FROM config_generation WHERE id = 1"]);
  }));

Deno.test("config cache: a change by another connection (another process) is seen by the next task", () =>
  withFile(async (path, db) => {
    const id = firstServiceId(db);
    const before = getService(db, id)!.name;
    const other = openDatabase(path);
    try {
      updateServiceField(other, id, "name", "Другая услуга", NOW);
      upsertAdmin(other, 42, "admin", null, NOW);
      setWorkingHours(other, 1, 7, { start: 600, end: 700 });
    } finally {
      other.close();
    }
    await nextTask();
    assert.notEqual(before, "Другая услуга");
    assert.equal(getService(db, id)!.name, "Другая услуга");
    assert.ok(listBookableServices(db).some((s) => s.name === "Другая услуга"));
    assert.equal(getAdminRole(db, 42), "admin");
    assert.deepEqual({ ...listWorkingHours(db, 1).find((h) => h.weekday === 7) }, {
      weekday: 7,
      start: 600,
      end: 700,
    });
  }));

Deno.test("config cache: a change of this connection is seen at once; a rolled back one never", () =>
  withFile(async (path, db) => {
    const id = firstServiceId(db);
    const original = getService(db, id)!.name;
    updateServiceField(db, id, "name", "Сразу", NOW);
    assert.equal(getService(db, id)!.name, "Сразу", "same task, no transaction");

    const rolledBack = () =>
      assert.throws(() =>
        writeTransaction(db, () => {
          updateServiceField(db, id, "name", "Откатится", NOW);
          assert.equal(getService(db, id)!.name, "Откатится", "the transaction sees its change");
          throw new Error("roll back");
        }), /roll back/);
    rolledBack();
    assert.equal(getService(db, id)!.name, "Сразу", "rolled back");

    // Rolled back again, not read: the counter is back at the number the rolled back change
    // had, and a change by another process reaches that very number. It must still be seen
    // (no value of the rolled back change kept under that number).
    rolledBack();
    const other = openDatabase(path);
    try {
      updateServiceField(other, id, "name", "От другого", NOW);
    } finally {
      other.close();
    }
    await nextTask();
    assert.equal(getService(db, id)!.name, "От другого");
    assert.notEqual(original, "От другого");
  }));

Deno.test("config cache: every configuration write of this connection is seen by the next read of the same task", () =>
  withFile(async (_path, db) => {
    await nextTask();
    const sid = firstServiceId(db);
    // [what is read, the write, what the read shows after it], all in one task.
    const cases: [string, () => unknown, () => void, (after: unknown) => boolean][] = [
      [
        "rules",
        () => getRules(db).horizonDays,
        () => setRule(db, "horizonDays", 5, NOW),
        (v) => v === 5,
      ],
      [
        "setting",
        () => getSetting(db, "x.y"),
        () => setSetting(db, "x.y", "z", NOW),
        (v) => v === "z",
      ],
      [
        "profile",
        () => businessProfile(db).name,
        () => setSetting(db, "business.name", "Салон", NOW),
        (v) => v === "Салон",
      ],
      [
        "admin",
        () => getAdminRole(db, 77),
        () => upsertAdmin(db, 77, "viewer", null, NOW),
        (v) => v === "viewer",
      ],
      ["admins", () => listAdmins(db).length, () => deleteAdmin(db, 77), (v) => v === 0],
      [
        "hours",
        () => listWorkingHours(db, 1).length,
        () => setWorkingHours(db, 1, 7, { start: 60, end: 120 }),
        (v) => v === Number(before.get("hours")) + 1,
      ],
      [
        "breaks",
        () => listBreaks(db, 1).length,
        () => addBreak(db, 1, 1, { start: 60, end: 70 }),
        (v) => v === 1 + Number(before.get("breaks")),
      ],
      [
        "days off",
        () => listDaysOff(db, "2030-01-01", 1).length,
        () => addDayOff(db, "2030-01-02", null, null),
        (v) => v === 1,
      ],
      [
        "staff",
        () => getStaff(db, 1)!.name,
        () => renameStaff(db, 1, "Новое имя", NOW),
        (v) => v === "Новое имя",
      ],
      [
        "visible",
        () => staffVisibleToClients(db),
        () => insertStaff(db, "Вторая", NOW),
        (v) => v === true,
      ],
      [
        "terms",
        () => getMasterTerms(db, 1, sid)?.durationMinutes,
        () => setMasterTerms(db, 1, sid, { durationMinutes: 45, priceMinor: null }),
        (v) => v === 45,
      ],
      [
        "masters",
        () => activeMastersOfService(db, sid).some((m) => m.staffId === 1),
        () => setMasterDoesService(db, 1, sid, false),
        (v) => v === false,
      ],
      [
        "service",
        () => getService(db, sid)!.deletedAt,
        () => setServiceDeleted(db, sid, NOW, NOW),
        (v) => v === NOW,
      ],
      [
        "bookable",
        () => listBookableServices(db).some((s) => s.id === sid),
        () => {},
        (v) => v === false,
      ],
    ];
    const before = new Map<string, unknown>();
    for (const [name, read, write, expected] of cases) {
      before.set(name, read());
      write();
      const after = read();
      assert.ok(expected(after), `${name}: ${before.get(name)} → ${after}`);
    }
    // Writes elsewhere (a user, a booking's bookkeeping) do not make it read the counter again.
    const seen = statementsOf(() => {
      getRules(db);
      upsertUser(db, { id: 5, first_name: "U" }, NOW);
      getRules(db);
    });
    assert.equal(seen.filter((s) => s.includes("config_generation")).length, 0, seen.join("\n"));
  }));

Deno.test("config cache: reopening the file in place (a restore) drops what was cached", () =>
  withFile(async (path, db) => {
    const id = firstServiceId(db);
    // A backup with the same counter value but another name: only the reopen tells them apart.
    const copy = `${path}.copy`;
    db.exec(`VACUUM INTO '${copy}'`);
    const backup = openDatabase(copy);
    updateServiceField(backup, id, "name", "Из копии", NOW);
    backup.close();
    updateServiceField(db, id, "name", "Живая", NOW);
    assert.equal(getService(db, id)!.name, "Живая");
    const swap = closeForSwap(db);
    for (const suffix of ["-wal", "-shm"]) await Deno.remove(path + suffix).catch(() => {});
    await Deno.rename(copy, path);
    swap.reopen();
    assert.equal(getService(db, id)!.name, "Из копии", "same task, right after the reopen");
    await nextTask();
    assert.equal(getService(db, id)!.name, "Из копии");
  }));

/** One write of each kind on each configuration table (run in order). */
const CONFIG_WRITES: Record<string, string[]> = {
  services: [
    "INSERT INTO services (id, name, duration_minutes, created_at, updated_at) VALUES (900, 'T', 30, 0, 0)",
    "UPDATE services SET name = 'T2' WHERE id = 900",
    "DELETE FROM master_services WHERE service_id = 900; DELETE FROM services WHERE id = 900",
  ],
  staff: [
    "INSERT INTO staff (id, name, created_at, updated_at) VALUES (900, 'M', 0, 0)",
    "UPDATE staff SET name = 'M2' WHERE id = 900",
    "DELETE FROM master_services WHERE staff_id = 900; DELETE FROM staff WHERE id = 900",
  ],
  working_hours: [
    "INSERT INTO working_hours (staff_id, weekday, start_minute, end_minute) VALUES (1, 7, 60, 120)",
    "UPDATE working_hours SET end_minute = 180 WHERE staff_id = 1 AND weekday = 7",
    "DELETE FROM working_hours WHERE staff_id = 1 AND weekday = 7",
  ],
  breaks: [
    "INSERT INTO breaks (id, staff_id, weekday, start_minute, end_minute) VALUES (900, 1, 7, 60, 120)",
    "UPDATE breaks SET end_minute = 180 WHERE id = 900",
    "DELETE FROM breaks WHERE id = 900",
  ],
  days_off: [
    "INSERT INTO days_off (id, staff_id, day) VALUES (900, NULL, '2030-01-01')",
    "UPDATE days_off SET reason = 'r' WHERE id = 900",
    "DELETE FROM days_off WHERE id = 900",
  ],
  settings: [
    "INSERT INTO settings (key, value, updated_at) VALUES ('test.key', 'a', 0)",
    "UPDATE settings SET value = 'b' WHERE key = 'test.key'",
    "DELETE FROM settings WHERE key = 'test.key'",
  ],
  admins: [
    "INSERT INTO admins (user_id, role, added_at) VALUES (900, 'viewer', 0)",
    "UPDATE admins SET role = 'admin' WHERE user_id = 900",
    "DELETE FROM admins WHERE user_id = 900",
  ],
  master_services: [
    "DELETE FROM master_services WHERE staff_id = 1 AND service_id = 1",
    "INSERT INTO master_services (staff_id, service_id) VALUES (1, 1)",
    "UPDATE master_services SET price_minor = 100 WHERE staff_id = 1 AND service_id = 1",
  ],
};

Deno.test("config cache: every insert, update and delete on each configuration table moves the generation", () =>
  withFile(async (_path, db) => {
    await Promise.resolve();
    const triggers = db.prepare(
      "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'config_generation_%'",
    ).all().map((r) => String(r.tbl_name));
    assert.deepEqual([...new Set(triggers)].sort(), Object.keys(CONFIG_WRITES).sort());
    for (const [table, writes] of Object.entries(CONFIG_WRITES)) {
      for (const sql of writes) {
        const before = generationOf(db);
        db.exec(sql);
        assert.ok(generationOf(db) > before, `${table}: ${sql}`);
      }
    }
  }));

Deno.test("config cache: bookings, users and the outbox leave the generation alone", () =>
  withFile(async (_path, db) => {
    await Promise.resolve();
    const before = generationOf(db);
    db.exec(`INSERT INTO users (id, first_name, created_at, updated_at) VALUES (7, 'U', 0, 0);
      INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name, phone,
        created_at, updated_at) VALUES (7, 1, 1, 3600000, 7200000, 'Анна', '+79161234567', 0, 0);
      UPDATE bookings SET status = 'cancelled';
      UPDATE users SET first_name = 'V' WHERE id = 7;
      INSERT INTO outbox (kind, chat_id, created_at, not_before) VALUES ('k', 7, 0, 0);
      UPDATE outbox SET done_at = 1, outcome = 'sent'`);
    assert.equal(generationOf(db), before);
  }));

Deno.test("config cache: cached values are frozen (callers share them)", () =>
  withFile(async (_path, db) => {
    await Promise.resolve();
    const staff = listActiveStaff(db);
    assert.throws(() => (staff as unknown as { name: string }[])[0].name = "X", TypeError);
    assert.throws(() => (staff as unknown[]).push({}), TypeError);
    assert.throws(() => (getRules(db) as { horizonDays: number }).horizonDays = 1, TypeError);
  }));

Deno.test("config cache: a database from before the counter is read without it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "booking-config-cache-" });
  const db = openDatabase(`${dir}/booking.db`);
  try {
    migrateUp(db, NOW, loadMigrations().filter((m) => m.version < 10));
    assert.ok(getService(db, 1) === undefined || typeof getService(db, 1)!.name === "string");
    assert.ok(listActiveStaff(db).length >= 1);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
