import assert from "node:assert/strict";
import { enhanceStorage, MemorySessionStorage } from "grammy";
import { initialSession, SESSION_MIGRATIONS, type SessionData } from "../../src/bot/session.ts";
import { pagerRow, paginate } from "../../src/ui/paging.ts";

Deno.test("session v1: an old admin dialog is dropped, a client's booking draft is kept", async () => {
  const raw = new MemorySessionStorage<unknown>();
  // Written by the release before sessions had versions: no envelope at all.
  await raw.write("1", {
    step: "admin_input",
    draft: {},
    admin: { kind: "ab_name", id: "7" },
    touchedAt: 5,
  });
  await raw.write("2", {
    step: "phone",
    draft: { serviceId: 3, clientName: "Анна" },
    touchedAt: 9,
  });
  const storage = enhanceStorage<SessionData>({
    storage: raw as never,
    migrations: SESSION_MIGRATIONS,
  });
  const admin = await storage.read("1");
  assert.equal(admin?.step, "idle");
  assert.equal(admin?.admin, undefined);
  assert.equal(admin?.touchedAt, 5);
  const client = await storage.read("2");
  assert.equal(client?.step, "phone");
  assert.deepEqual(client?.draft, { serviceId: 3, clientName: "Анна" });
  // Written back with the version: read again, nothing migrates twice.
  await storage.write("2", { ...client!, step: "confirm" });
  assert.equal((await storage.read("2"))?.step, "confirm");
  assert.deepEqual(SESSION_MIGRATIONS[1](undefined), initialSession());
});

Deno.test("paging: pages are clamped, the pager offers only pages that exist", () => {
  assert.deepEqual(paginate(0, 3, 5), { page: 0, pages: 1, offset: 0, size: 5 });
  assert.deepEqual(paginate(11, 9, 5), { page: 2, pages: 3, offset: 10, size: 5 });
  assert.deepEqual(paginate(11, -1, 5).page, 0);
  const pack = (p: number) => `p:${p}`;
  assert.deepEqual(
    pagerRow(paginate(11, 0, 5), pack).map((b) => "callback_data" in b && b.callback_data),
    ["p:1"],
  );
  assert.deepEqual(pagerRow(paginate(11, 1, 5), pack).map((b) => b.text), ["◀️", "▶️"]);
  assert.deepEqual(pagerRow(paginate(5, 0, 5), pack), []);
});
