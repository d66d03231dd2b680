import assert from "node:assert/strict";
import { openDatabase } from "../../src/db/connection.ts";
import {
  appliedVersions,
  DatabaseTooNewError,
  loadMigrations,
  migrateDown,
  migrateUp,
  migrationStatus,
} from "../../src/db/migrate.ts";

async function withDb(fn: (path: string) => void | Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "booking-migrate-" });
  try {
    await fn(`${dir}/booking.db`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function tables(db: ReturnType<typeof openDatabase>): string[] {
  return db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  ).all().map((r) => String(r.name));
}

Deno.test("migrations: up from empty creates every table and the default staff member", () =>
  withDb((path) => {
    const db = openDatabase(path);
    const applied = migrateUp(db, 1);
    assert.deepEqual(applied.map((m) => m.version), loadMigrations().map((m) => m.version));
    for (
      const t of [
        "bookings",
        "services",
        "staff",
        "working_hours",
        "breaks",
        "days_off",
        "settings",
        "admins",
        "audit_log",
        "feedback",
        "users",
        "bot_messages",
        "job_marks",
        "schema_migrations",
      ]
    ) assert.ok(tables(db).includes(t), t);
    assert.equal(db.prepare("SELECT count(*) AS n FROM staff").get()!.n, 1);
    assert.equal(migrateUp(db, 2).length, 0, "second run applies nothing");
    assert.ok(migrationStatus(db).every((m) => m.applied));
    db.close();
  }));

Deno.test("migrations: down to zero and up again", () =>
  withDb((path) => {
    const db = openDatabase(path);
    migrateUp(db, 1);
    const all = loadMigrations().length;
    assert.equal(migrateDown(db, all + 5).length, all);
    assert.deepEqual(appliedVersions(db), []);
    assert.deepEqual(tables(db), ["schema_migrations"]);
    migrateUp(db, 2);
    assert.equal(appliedVersions(db).length, all);
    db.close();
  }));

Deno.test("migrations: a database newer than the code is refused and left untouched", () =>
  withDb(async (path) => {
    const db = openDatabase(path);
    migrateUp(db, 1);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 1)",
    )
      .run();
    db.close();
    const before = await Deno.readFile(path);
    const again = openDatabase(path);
    assert.throws(() => migrateUp(again, 2), DatabaseTooNewError);
    assert.throws(() => migrateDown(again, 1), DatabaseTooNewError);
    again.close();
    assert.deepEqual(await Deno.readFile(path), before);
  }));

Deno.test("migrations: every up has a down and the trigger refuses overlaps at the SQL level", () =>
  withDb((path) => {
    const db = openDatabase(path);
    migrateUp(db, 1);
    db.exec(`INSERT INTO users (id, first_name, created_at, updated_at) VALUES (1, 'A', 0, 0);
      INSERT INTO services (id, name, duration_minutes, created_at, updated_at) VALUES (1, 'S', 60, 0, 0);`);
    const insert = db.prepare(
      `INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name, phone, created_at, updated_at)
       VALUES (1, 1, 1, ?, ?, 'A', '+1', 0, 0)`,
    );
    insert.run(3_600_000, 7_200_000);
    assert.throws(() => insert.run(5_400_000, 9_000_000), /slot_taken/);
    assert.throws(() => insert.run(0, 3_600_001), /slot_taken/);
    insert.run(7_200_000, 10_800_000); // touching is fine
    db.exec("UPDATE bookings SET status = 'cancelled' WHERE id = 1");
    insert.run(3_600_000, 7_200_000); // a cancelled booking frees the slot
    assert.throws(
      () => db.exec("UPDATE bookings SET status = 'active' WHERE id = 1"),
      /slot_taken/,
    );
    db.close();
  }));
