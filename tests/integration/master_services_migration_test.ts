import assert from "node:assert/strict";
import { openDatabase } from "../../src/db/connection.ts";
import { loadMigrations, migrateDown, migrateUp } from "../../src/db/migrate.ts";

Deno.test("migration master_services: an existing install keeps every master on every service; new ones join all; down drops it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "booking-ms-" });
  try {
    const db = openDatabase(`${dir}/booking.db`);
    const all = loadMigrations();
    const mine = all.find((m) => m.name === "master_services")!;
    migrateUp(db, 1, all.filter((m) => m.version < mine.version));
    db.exec(`INSERT INTO staff (name, created_at, updated_at) VALUES ('Ольга', 1, 1);
      INSERT INTO staff (name, created_at, updated_at, deleted_at) VALUES ('Ушла', 1, 1, 1);
      INSERT INTO services (name, duration_minutes, created_at, updated_at) VALUES ('Стрижка', 60, 1, 1);
      INSERT INTO services (name, duration_minutes, created_at, updated_at) VALUES ('Окрашивание', 120, 1, 1);`);
    const pairs = () =>
      db.prepare(
        `SELECT st.name AS m, sv.name AS s FROM master_services x JOIN staff st ON st.id = x.staff_id
         JOIN services sv ON sv.id = x.service_id ORDER BY st.id, sv.id`,
      ).all().map((r) => `${r.m}/${r.s}`);
    migrateUp(db, 2, all);
    const masters = db.prepare("SELECT name FROM staff WHERE deleted_at IS NULL ORDER BY id").all()
      .map((r) => String(r.name));
    const services = ["Стрижка", "Окрашивание"];
    assert.deepEqual(pairs(), masters.flatMap((m) => services.map((s) => `${m}/${s}`)));
    assert.ok(!pairs().some((p) => p.startsWith("Ушла/")), "deleted masters get nothing");

    db.exec(
      `INSERT INTO services (name, duration_minutes, created_at, updated_at) VALUES ('Укладка', 30, 2, 2);
      INSERT INTO staff (name, created_at, updated_at) VALUES ('Иван', 2, 2);`,
    );
    assert.ok(pairs().includes("Ольга/Укладка"), "a new service: every master");
    assert.deepEqual(pairs().filter((p) => p.startsWith("Иван/")), [
      "Иван/Стрижка",
      "Иван/Окрашивание",
      "Иван/Укладка",
    ]);

    migrateDown(db, all.length - all.indexOf(mine));
    const left = db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'master_services%'")
      .all();
    assert.deepEqual(left, []);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
