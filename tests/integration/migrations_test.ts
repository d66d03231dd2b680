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
        "config_generation",
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

/** Migrations up to and including `version` (what an older release shipped). */
function upTo(version: number) {
  return loadMigrations().filter((m) => m.version <= version);
}

/** A salon's data as release 1.0.0 (schema 0001) wrote it: priced and unpriced services. */
function fillAsVersion0001(db: ReturnType<typeof openDatabase>): void {
  db.exec(`
    INSERT INTO users (id, first_name, created_at, updated_at) VALUES (1, 'Anna', 0, 0), (2, 'Boris', 0, 0);
    INSERT INTO services (id, name, duration_minutes, price_minor, created_at, updated_at)
      VALUES (1, 'Haircut', 60, 150000, 0, 0), (2, 'Consultation', 30, NULL, 0, 0);
    INSERT INTO bookings (id, user_id, service_id, staff_id, start_at, end_at, client_name, phone,
        status, created_at, updated_at)
      VALUES (1, 1, 1, 1, 3600000, 7200000, 'Anna', '+79161234567', 'completed', 0, 0),
             (2, 2, 2, 1, 7200000, 9000000, 'Boris', '+79161234568', 'active', 0, 0),
             (3, 1, 1, 1, 9000000, 12600000, 'Anna', '+79161234567', 'cancelled', 0, 0);
  `);
}

function bookingRows(db: ReturnType<typeof openDatabase>) {
  return db.prepare(
    `SELECT id, service_id AS serviceId, start_at AS start, end_at AS end, client_name AS name,
       status FROM bookings ORDER BY id`,
  ).all().map((r) => ({ ...r }));
}

function priceAndDuration(db: ReturnType<typeof openDatabase>) {
  return db.prepare("SELECT id, price_minor AS price, duration_minutes AS minutes FROM bookings")
    .all().map((r) => ({ ...r }));
}

Deno.test("migration 0002 on a database made by 0001 with real rows: prices backfilled, rows kept", () =>
  withDb((path) => {
    let db = openDatabase(path);
    migrateUp(db, 1, upTo(1));
    assert.deepEqual(appliedVersions(db), [1]);
    fillAsVersion0001(db);
    const before = bookingRows(db);
    db.close();

    // The new release opens the old file.
    db = openDatabase(path);
    assert.deepEqual(migrateUp(db, 2, upTo(2)).map((m) => m.version), [2]);
    assert.deepEqual(bookingRows(db), before, "no booking changed or lost");
    assert.deepEqual(priceAndDuration(db), [
      { id: 1, price: 150000, minutes: 60 },
      { id: 2, price: null, minutes: 30 },
      { id: 3, price: 150000, minutes: 60 },
    ]);
    // The price is now the booking's own: a new service price leaves it alone.
    db.exec("UPDATE services SET price_minor = 200000, duration_minutes = 90 WHERE id = 1");
    assert.deepEqual(priceAndDuration(db)[0], { id: 1, price: 150000, minutes: 60 });
    assert.equal(db.prepare("PRAGMA integrity_check").get()!.integrity_check, "ok");
    assert.deepEqual(db.prepare("PRAGMA foreign_key_check").all(), []);
    db.close();
  }));

Deno.test("migration 0002: up → data → down → up on a filled database keeps every booking", () =>
  withDb((path) => {
    const db = openDatabase(path);
    migrateUp(db, 1, upTo(2));
    fillAsVersion0001(db);
    // Written by the new schema: a booking with its own price, and one left to the default.
    db.exec(`INSERT INTO bookings (id, user_id, service_id, staff_id, start_at, end_at, client_name,
        phone, price_minor, created_at, updated_at)
      VALUES (4, 2, 1, 1, 12600000, 16200000, 'Boris', '+79161234568', 120000, 0, 0)`);
    db.exec(`INSERT INTO bookings (id, user_id, service_id, staff_id, start_at, end_at, client_name,
        phone, created_at, updated_at)
      VALUES (5, 2, 1, 1, 16200000, 19800000, 'Boris', '+79161234568', 0, 0)`);
    assert.deepEqual(priceAndDuration(db).slice(3), [
      { id: 4, price: 120000, minutes: 60 },
      { id: 5, price: 150000, minutes: 60 },
    ], "an insert without a price takes the service's price at that moment");
    const before = bookingRows(db);

    assert.deepEqual(migrateDown(db, 1, upTo(2)).map((m) => m.version), [2]);
    assert.deepEqual(appliedVersions(db), [1]);
    const columns = db.prepare("SELECT name FROM pragma_table_xinfo('bookings')").all()
      .map((r) => String(r.name));
    assert.ok(!columns.includes("price_minor") && !columns.includes("duration_minutes"));
    assert.deepEqual(bookingRows(db), before, "down keeps every booking");
    // 0001 code can still write after the down migration.
    db.exec(`INSERT INTO bookings (id, user_id, service_id, staff_id, start_at, end_at, client_name,
        phone, created_at, updated_at)
      VALUES (6, 1, 2, 1, 19800000, 21600000, 'Anna', '+79161234567', 0, 0)`);

    assert.deepEqual(migrateUp(db, 3, upTo(2)).map((m) => m.version), [2]);
    assert.deepEqual(bookingRows(db).slice(0, 5), before, "up again keeps every booking");
    // Down dropped the booked prices; up backfills from the services again.
    assert.deepEqual(priceAndDuration(db), [
      { id: 1, price: 150000, minutes: 60 },
      { id: 2, price: null, minutes: 30 },
      { id: 3, price: 150000, minutes: 60 },
      { id: 4, price: 150000, minutes: 60 },
      { id: 5, price: 150000, minutes: 60 },
      { id: 6, price: null, minutes: 30 },
    ]);
    // The overlap trigger still guards the table after the round trip.
    assert.throws(
      () =>
        db.exec(`INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at,
          client_name, phone, created_at, updated_at)
        VALUES (1, 1, 1, 7200000, 9000000, 'X', '+1', 0, 0)`),
      /slot_taken/,
    );
    assert.equal(db.prepare("PRAGMA integrity_check").get()!.integrity_check, "ok");
    db.close();
  }));

Deno.test("migrations: 0010 counts configuration changes from the start; down removes the counter and its triggers", () =>
  withDb((path) => {
    const db = openDatabase(path);
    migrateUp(db, 1, upTo(9));
    db.exec("INSERT INTO admins (user_id, role, added_at) VALUES (5, 'owner', 1)");
    assert.deepEqual(migrateUp(db, 2, upTo(10)).map((m) => m.version), [10]);
    const generation = () => Number(db.prepare("SELECT n FROM config_generation").get()!.n);
    const start = generation();
    db.exec("UPDATE admins SET role = 'admin' WHERE user_id = 5");
    assert.equal(generation(), start + 1);
    const triggers = () =>
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'config_generation%'")
        .get()!.n;
    assert.equal(triggers(), 1 + 8 * 3, "the table and insert/update/delete on 8 tables");
    assert.deepEqual(migrateDown(db, 1, upTo(10)).map((m) => m.version), [10]);
    assert.equal(triggers(), 0);
    db.exec("UPDATE admins SET role = 'viewer' WHERE user_id = 5"); // no trigger left behind
    assert.equal(db.prepare("SELECT role FROM admins").get()!.role, "viewer");
    db.close();
  }));

Deno.test("migrations: two files with one number are refused, not merged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const name of ["0001_a.up.sql", "0001_a.down.sql", "0001_b.up.sql", "0001_b.down.sql"]) {
      await Deno.writeTextFile(`${dir}/${name}`, "SELECT 1;");
    }
    assert.throws(
      () => loadMigrations(new URL(`file://${dir}/`)),
      /Two migrations are numbered 0001: (a and b|b and a)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
