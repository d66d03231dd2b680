import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import { getAdminRole, listAdmins } from "../../src/db/admins_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";

const OWNER = 900;

function adminsSnapshot(t: TestBot): string {
  return JSON.stringify(listAdmins(t.running.deps.db));
}

Deno.test("e2e admin access: the owner adds an admin by id, who can then open /admin", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    const newcomer = t.fake.user(555, {
      first_name: "Ольга",
      username: "olga",
      language_code: "ru",
    });
    owner.sendText("/start");
    newcomer.sendText("/admin");
    await t.idle();
    assert.match(newcomer.lastMessage()!.text!, /только для администраторов/);

    owner.sendText("/admin");
    await t.idle();
    owner.press("🔑 Админы");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /👑 Owner — владелец · id 900/);
    owner.press("➕ Добавить администратора");
    await t.idle();
    owner.sendText("@olga");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /только цифры/);
    owner.sendText("555");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Какую роль дать: Ольга \(@olga\) \(id 555\)/);
    owner.press("🛠 Администратор");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Ольга \(@olga\) теперь администратор/);
    assert.match(owner.lastMessage()!.text!, /🛠 Ольга \(@olga\) — администратор · id 555/);
    assert.equal(getAdminRole(t.running.deps.db, 555), "admin");
    const audit =
      listAudit(t.running.deps.db, { entity: "admin", entityId: 555, limit: 5, offset: 0 }).rows;
    assert.deepEqual(
      audit.map((r) => [r.action, r.actorId, r.oldValue, r.newValue]),
      [["add", OWNER, null, "admin"]],
    );
    assert.match(newcomer.lastMessage()!.text!, /Вам выдана роль «администратор»/);

    newcomer.sendText("/admin");
    await t.idle();
    assert.match(newcomer.lastMessage()!.text!, /Администрирование[\s\S]*Ваша роль: администратор/);

    // Change the role, then remove, through the buttons.
    owner.press("🛠 Ольга");
    await t.idle();
    owner.press("👁 Сделать наблюдателем");
    await t.idle();
    assert.equal(getAdminRole(t.running.deps.db, 555), "viewer");
    assert.match(owner.lastMessage()!.text!, /администратор → наблюдатель/);
    owner.press("👁 Ольга");
    await t.idle();
    owner.press("🗑 Убрать из администраторов");
    await t.idle();
    owner.press("🗑 Да, убрать");
    await t.idle();
    assert.equal(getAdminRole(t.running.deps.db, 555), undefined);
    newcomer.sendText("/admin");
    await t.idle();
    assert.match(newcomer.lastMessage()!.text!, /только для администраторов/);
    const actions = listAudit(t.running.deps.db, {
      entity: "admin",
      entityId: 555,
      limit: 5,
      offset: 0,
    })
      .rows.map((r) => r.action);
    assert.deepEqual(actions, ["remove", "change_role", "add"]);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin access: an admin sees the list but cannot add, change or remove admins", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    const admin = t.fake.user(555, { first_name: "Ольга", language_code: "ru" });
    const client = t.fake.user(300, { first_name: "Mallory", language_code: "ru" });
    owner.sendText("/start");
    admin.sendText("/start");
    client.sendText("/start");
    await t.idle();
    owner.sendText("/admin");
    await t.idle();
    owner.press("🔑 Админы");
    await t.idle();
    owner.press("➕ Добавить администратора");
    await t.idle();
    owner.sendText("555");
    await t.idle();
    owner.press("🛠 Администратор");
    await t.idle();
    const before = adminsSnapshot(t);

    admin.sendText("/admin");
    await t.idle();
    admin.press("🔑 Админы");
    await t.idle();
    assert.match(admin.lastMessage()!.text!, /Ольга — администратор · id 555/);
    assert.ok(!admin.buttons().some((b) => b.data?.startsWith("aa")), "no management buttons");

    const forged = ["aaa", "aar:556:admin", "aar:555:viewer", "aadd:900", "aad:555", "aav:900"];
    for (const u of [admin, client]) {
      for (const data of forged) {
        u.pressData(data);
        await t.idle();
      }
    }
    // The typed id after a refused "add" goes nowhere.
    admin.sendText("556");
    await t.idle();
    assert.equal(adminsSnapshot(t), before, "admins unchanged");
    for (const u of [admin, client]) {
      const answers = u.callbackAnswers().filter((a) => a.data?.startsWith("aa"));
      assert.equal(answers.length, forged.length, "every forged press answered");
      assert.ok(answers.every((a) => a.show_alert === true));
    }
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin access: the last owner cannot be removed or demoted", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    owner.sendText("/admin");
    await t.idle();
    owner.press("🔑 Админы");
    await t.idle();
    owner.press("👑 Owner");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /нельзя удалить или понизить/);
    assert.ok(
      !owner.buttons().some((b) => b.data?.startsWith("aad:")),
      "no remove button for an owner",
    );
    owner.pressData(`aadd:${OWNER}`);
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /единственный владелец/);
    owner.pressData(`aar:${OWNER}:viewer`);
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /единственный владелец/);
    assert.equal(getAdminRole(t.running.deps.db, OWNER), "owner");
    assert.equal(
      listAudit(t.running.deps.db, { entity: "admin", limit: 10, offset: 0 }).rows
        .filter((r) => r.actorId === OWNER).length,
      0,
      "nothing audited",
    );
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});
