/**
 * A press is answered beside its new screen: the answer (which stops the client's spinner) and
 * the edited message leave together, not one round trip apart; the update is finished only
 * once the answer is.
 */
import assert from "node:assert/strict";
import { startTestBot } from "../support/harness.ts";

Deno.test("e2e: the new screen of a press does not wait for the answer; the update does", async () => {
  const t = await startTestBot();
  const held = t.fake.hold("answerCallbackQuery");
  try {
    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    anna.sendText("/start");
    await t.idle();
    const screen = t.fake.waitForCall("editMessageText", undefined, 10_000);
    anna.press("Записаться");
    await t.fake.waitForHeld("answerCallbackQuery", 10_000);
    await screen;
    assert.match(
      anna.lastMessage()!.text!,
      /Выберите услугу/,
      "the services, while the answer is on its way",
    );
    assert.equal(t.fake.callsOf("answerCallbackQuery").length, 0, "the answer is still held");
    // Ample time for the rest of the update (its session write) to finish, were it not waiting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(t.running.inFlight() > 0, "the update is not finished before its answer");

    held.release();
    await t.idle();
    assert.equal(t.fake.callsOf("answerCallbackQuery").length, 1, "the press is answered");
    assert.equal(t.running.inFlight(), 0);
  } finally {
    held.release();
    await t.close();
  }
});
