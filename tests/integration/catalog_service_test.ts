/** The catalogue and schedule services: writes stamped by their clock, one meaning of "several masters". */
import assert from "node:assert/strict";
import { listAudit } from "../../src/db/audit_repo.ts";
import { listDaysOff } from "../../src/db/schedule_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { CatalogService } from "../../src/services/catalog_service.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { ScheduleError } from "../../src/services/schedule_admin.ts";
import { ScheduleService } from "../../src/services/schedule_service.ts";

const NOW = Date.parse("2026-12-01T06:00:00Z"); // Tue 09:00 Moscow

function setup() {
  const db = openMigrated(":memory:", NOW);
  loadDemoData(db, NOW);
  const clock = new FakeClock(NOW);
  return {
    db,
    clock,
    catalog: new CatalogService(db, clock),
    schedule: new ScheduleService(db, clock, "Europe/Moscow"),
  };
}

Deno.test("catalog service: several masters means active ones for clients, all for admins", () => {
  const { catalog } = setup();
  assert.equal(catalog.severalMasters("active"), false);
  assert.equal(catalog.severalMasters("all"), false);
  const olga = catalog.addMaster("Ольга", 900);
  assert.equal(catalog.severalMasters("active"), true);
  catalog.setMasterActive(olga.id, false, 900);
  assert.equal(catalog.severalMasters("active"), false, "clients choose among active ones");
  assert.equal(catalog.severalMasters("all"), true, "admins still tell Olga's bookings apart");
});

Deno.test("catalog service: delete and restore are audited at the clock's time and by the actor", () => {
  const { db, clock, catalog } = setup();
  const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
  clock.set("2026-12-01T07:00:00Z");
  assert.equal(catalog.delete(haircut.id, 900).changed, true);
  assert.equal(catalog.delete(haircut.id, 900).changed, false, "deleting twice changes nothing");
  assert.ok(!listBookableServices(db).some((s) => s.id === haircut.id));
  const [row] = listAudit(db, { entity: "service", limit: 1, offset: 0 }).rows;
  assert.equal(row.action, "delete");
  assert.equal(row.actorId, 900);
  assert.equal(row.at, Date.parse("2026-12-01T07:00:00Z"));
  assert.equal(catalog.restore(haircut.id, 901).changed, true);
  assert.ok(listBookableServices(db).some((s) => s.id === haircut.id));
});

Deno.test("schedule service: today follows the clock in the business time zone", () => {
  const { db, clock, schedule } = setup();
  clock.set("2026-12-01T21:30:00Z"); // already Wednesday in Moscow
  assert.equal(schedule.today().toString(), "2026-12-02");
  assert.throws(
    () =>
      schedule.addDayOff(
        { day: Temporal.PlainDate.from("2026-12-01"), staffId: null, reason: "" },
        900,
      ),
    (e) => e instanceof ScheduleError && e.code === "day_past",
  );
  schedule.addDayOff(
    { day: Temporal.PlainDate.from("2026-12-02"), staffId: null, reason: "" },
    900,
  );
  assert.deepEqual(listDaysOff(db, "2026-12-02").map((d) => d.day), ["2026-12-02"]);
  assert.equal(schedule.upcomingDaysOff().length, 1);
});
