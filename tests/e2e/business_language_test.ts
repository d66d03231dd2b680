/**
 * Issue 11, point 8: defaults follow BUSINESS_LANGUAGE. The default master is named in it on a
 * new install (never over a name an owner chose), and people whose language is unknown read it.
 */
import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import { listAllStaff } from "../../src/db/staff_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";

const OWNER = 900;

async function press(t: TestBot, user: FakeUser, label: string) {
  user.press(label);
  await t.idle();
}

async function send(t: TestBot, user: FakeUser, text: string) {
  user.sendText(text);
  await t.idle();
}

Deno.test("e2e business language: the default master is «Мастер» in a Russian salon", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await send(t, owner, "/admin");
    await press(t, owner, "👥 Мастера");
    assert.match(owner.lastMessage()!.text!, /Мастер/);
    assert.doesNotMatch(owner.lastMessage()!.text!, /Master/);
    const renamed = listAudit(t.running.deps.db, { entity: "staff", limit: 5, offset: 0 }).rows;
    assert.deepEqual(
      renamed.map((r) => [r.action, r.oldValue, r.newValue]),
      [["default_name", "Master", "Мастер"]],
    );
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e business language: a name the owner chose is kept at every start, even 'Master'", async () => {
  const t = await startTestBot({ adminIds: [OWNER], env: { BUSINESS_LANGUAGE: "uk" } });
  try {
    const db = () => t.running.deps.db;
    assert.equal(listAllStaff(db())[0].name, "Майстер");
    await t.restart();
    assert.equal(listAllStaff(db())[0].name, "Майстер", "a second start changes nothing");
    t.clock.advance(60_000);
    t.running.deps.services.catalog.renameMaster(1, "Master", OWNER);
    await t.restart();
    assert.equal(listAllStaff(db())[0].name, "Master", "the owner's choice stays");
  } finally {
    await t.close();
  }
});

Deno.test("e2e business language: someone without a language reads the business language", async () => {
  const t = await startTestBot({ env: { BUSINESS_LANGUAGE: "en" } });
  try {
    const nobody = t.fake.user(301, { first_name: "Sam" });
    await send(t, nobody, "/start");
    assert.match(nobody.lastMessage()!.text!, /Hello, <b>Sam<\/b>/);
    const russian = t.fake.user(302, { first_name: "Анна", language_code: "ru" });
    await send(t, russian, "/start");
    assert.match(russian.lastMessage()!.text!, /Здравствуйте, <b>Анна<\/b>/);
    // The command list without a language code is the business language's.
    const defaults = t.fake.callsOf("setMyCommands").find((c) =>
      !(c.payload as { language_code?: string }).language_code
    )!;
    const commands = (c: typeof defaults) =>
      (c.payload as { commands: { description: string }[] }).commands;
    assert.match(commands(defaults)[0].description, /[A-Za-z]/);
    assert.doesNotMatch(commands(defaults)[0].description, /[а-я]/i);
  } finally {
    await t.close();
  }
});

Deno.test("e2e business language: in a Russian salon someone without a language reads Russian", async () => {
  const t = await startTestBot();
  try {
    const nobody = t.fake.user(301, { first_name: "Sam" });
    await send(t, nobody, "/start");
    assert.match(nobody.lastMessage()!.text!, /Здравствуйте, <b>Sam<\/b>/);
  } finally {
    await t.close();
  }
});
