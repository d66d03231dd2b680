import assert from "node:assert/strict";
import { getAdminRole, upsertAdmin } from "../../src/db/admins_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { getBooking, listBookingsBetween } from "../../src/db/bookings_repo.ts";
import type { Db } from "../../src/db/connection.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { upsertUser } from "../../src/db/users_repo.ts";
import { parseCsv } from "../../src/domain/csv.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import {
  AdminAccessError,
  grantRole,
  parseTelegramId,
  revokeAdmin,
} from "../../src/services/admin_access.ts";
import {
  AdminBookingError,
  bookingsCsv,
  EXPORT_PAGE_SIZE,
  softDeleteBooking,
} from "../../src/services/admin_bookings.ts";
import { BookingService } from "../../src/services/booking_service.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";

const NOW = Date.parse("2026-12-01T06:00:00Z"); // Tue 09:00 Moscow
const TZ = "Europe/Moscow";

function setup(): Db {
  const db = openMigrated(":memory:", NOW);
  loadDemoData(db, NOW);
  upsertAdmin(db, 900, "owner", null, NOW);
  upsertUser(db, { id: 101, first_name: "Anna" }, NOW);
  return db;
}

function rejectsWith(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof AdminAccessError && e.code === code);
}

Deno.test("admin access: an owner adds, changes and removes an admin, each audited", () => {
  const db = setup();
  try {
    const added = grantRole(db, 900, 555, "viewer", NOW);
    assert.deepEqual(added, { userId: 555, oldRole: undefined, newRole: "viewer" });
    grantRole(db, 900, 555, "admin", NOW + 1);
    assert.equal(getAdminRole(db, 555), "admin");
    revokeAdmin(db, 900, 555, NOW + 2);
    assert.equal(getAdminRole(db, 555), undefined);
    const audit = listAudit(db, { entity: "admin", entityId: 555, limit: 10, offset: 0 }).rows
      .map((r) => [r.action, r.actorId, r.oldValue, r.newValue]);
    assert.deepEqual(audit, [
      ["remove", 900, "admin", null],
      ["change_role", 900, "viewer", "admin"],
      ["add", 900, null, "viewer"],
    ]);
  } finally {
    db.close();
  }
});

Deno.test("admin access: only owners manage admins; owners and the last owner stay", () => {
  const db = setup();
  try {
    grantRole(db, 900, 555, "admin", NOW);
    rejectsWith(() => grantRole(db, 555, 556, "admin", NOW), "forbidden");
    rejectsWith(() => revokeAdmin(db, 555, 900, NOW), "forbidden");
    rejectsWith(() => revokeAdmin(db, 900, 900, NOW), "last_owner");
    rejectsWith(() => grantRole(db, 900, 900, "viewer", NOW), "last_owner");
    upsertAdmin(db, 901, "owner", null, NOW);
    rejectsWith(() => revokeAdmin(db, 900, 901, NOW), "owner_locked");
    rejectsWith(() => revokeAdmin(db, 900, 777, NOW), "not_admin");
    assert.equal(getAdminRole(db, 556), undefined);
    assert.equal(getAdminRole(db, 900), "owner");
    assert.equal(getAdminRole(db, 901), "owner");
    assert.equal(listAudit(db, { entity: "admin", limit: 10, offset: 0 }).total, 1);
  } finally {
    db.close();
  }
});

Deno.test("admin access: Telegram ids are digits only", () => {
  assert.equal(parseTelegramId(" 123456789 "), 123456789);
  assert.equal(parseTelegramId("0"), undefined);
  assert.equal(parseTelegramId("-5"), undefined);
  assert.equal(parseTelegramId("12a"), undefined);
  assert.equal(parseTelegramId("1234567890123456"), undefined);
});

Deno.test("soft delete: upcoming bookings must be cancelled first; deleted rows stay", () => {
  const db = setup();
  try {
    const service = new BookingService(db, new FakeClock(NOW), TZ);
    const b = service.createBooking({
      userId: 101,
      serviceId: 1,
      staff: 1,
      start: Date.parse("2026-12-02T07:00:00Z"),
      clientName: "Anna",
      phone: "+79161234567",
    });
    assert.throws(
      () => softDeleteBooking(db, b.id, 900, NOW),
      (e: unknown) => e instanceof AdminBookingError && e.code === "cancel_first",
    );
    service.cancelBooking(b.id, { userId: 900, isAdmin: true }, "ill");
    softDeleteBooking(db, b.id, 900, NOW + 1000);
    assert.equal(getBooking(db, b.id)!.deletedAt, NOW + 1000);
    assert.equal(listBookingsBetween(db, { from: 0, to: NOW * 2 }).length, 0);
    const audit = listAudit(db, { entity: "booking", entityId: b.id, limit: 10, offset: 0 }).rows;
    assert.deepEqual(audit.map((r) => r.action), ["delete", "cancel", "create"]);
  } finally {
    db.close();
  }
});

Deno.test("export: 100k bookings stream as CSV in pages", async () => {
  const db = setup();
  try {
    const n = 100_000;
    const insert = db.prepare(
      `INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name, phone,
         status, created_at, updated_at) VALUES (101, 1, 1, ?, ?, ?, '+79161234567', 'completed', ?, ?)`,
    );
    db.exec("BEGIN");
    for (let i = 0; i < n; i++) {
      const start = NOW - (i + 1) * 3_600_000;
      insert.run(start, start + 1_800_000, i === 0 ? 'Anna "A"; Smith' : "Anna", start, start);
    }
    db.exec("COMMIT");
    const labels = {
      header: [
        "id",
        "date",
        "time",
        "end",
        "service",
        "staff",
        "name",
        "phone",
        "status",
        "reason",
        "created",
      ],
      status: (s: string) => s,
    };
    const started = performance.now();
    let bytes = 0;
    let chunks = 0;
    const parts: Uint8Array[] = [];
    for await (const chunk of bookingsCsv(db, { from: 0, to: NOW }, TZ, labels)) {
      bytes += chunk.length;
      chunks++;
      parts.push(chunk);
    }
    const ms = performance.now() - started;
    assert.ok(chunks >= n / EXPORT_PAGE_SIZE, `streamed in pages (${chunks} chunks)`);
    const text = await new Blob(parts as BlobPart[]).text();
    const rows = parseCsv(text);
    assert.equal(rows.length, n + 1);
    assert.equal(
      rows.at(-1)![6],
      'Anna "A"; Smith',
      "the newest booking is last, quoted correctly",
    );
    assert.ok(ms < 10_000, `export took ${ms.toFixed(0)} ms for ${bytes} bytes`);
    console.log(`export of ${n} rows: ${ms.toFixed(0)} ms, ${(bytes / 1e6).toFixed(1)} MB`);
  } finally {
    db.close();
  }
});
