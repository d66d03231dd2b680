/**
 * Another process (here a second connection on the same file, as a second bot process or a
 * tool would have) changes services, hours, rules and admins while the bot runs: the bot's
 * configuration cache must not hide any of it from the very next update.
 */
import assert from "node:assert/strict";
import { startTestBot } from "../support/harness.ts";
import { send } from "../support/steps.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { listBookableServices, updateServiceField } from "../../src/db/services_repo.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";

Deno.test("e2e: services and admins changed by another process reach the next update", async () => {
  const t = await startTestBot({ adminIds: [900] });
  const other = openDatabase(`${t.dataDir}/booking.db`);
  try {
    const client = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    const offered = async () => {
      await send(client, "/book");
      return client.buttons().filter((b) => b.data?.startsWith("bs:")).map((b) => b.text);
    };
    const before = await offered();
    assert.ok(before.some((name) => name.includes("Haircut")), before.join(", "));
    await send(client, "/admin");
    assert.match(client.lastMessage()!.text!, /только для администраторов/);

    const haircut = listBookableServices(other).find((s) => s.name === "Haircut")!;
    updateServiceField(other, haircut.id, "name", "Стрижка у окна", 0);
    upsertAdmin(other, 101, "admin", 900, 0);

    const after = await offered();
    assert.ok(after.some((name) => name.includes("Стрижка у окна")), after.join(", "));
    assert.ok(!after.some((name) => name.includes("Haircut")), after.join(", "));
    await send(client, "/admin");
    assert.doesNotMatch(client.lastMessage()!.text!, /только для администраторов/);

    updateServiceField(other, haircut.id, "isActive", false, 0);
    const hidden = await offered();
    assert.ok(!hidden.some((name) => name.includes("Стрижка у окна")), hidden.join(", "));
  } finally {
    other.close();
    await t.close();
  }
});
