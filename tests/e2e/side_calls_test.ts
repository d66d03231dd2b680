/**
 * Side calls leave beside the next screen, not a round trip before it: the answer to a press
 * (which stops the client's spinner) and the buttons taken off an answered prompt. The update
 * is finished only once they are.
 */
import assert from "node:assert/strict";
import { pickDemoSlot, startTestBot } from "../support/harness.ts";

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

Deno.test("e2e: a typed name gets the phone step while the name prompt's buttons are still being taken off", async () => {
  const t = await startTestBot();
  try {
    const anna = t.fake.user(102, { first_name: "Анна", language_code: "ru" });
    anna.sendText("/book");
    await t.idle();
    await pickDemoSlot(t, anna);
    assert.match(anna.lastMessage()!.text!, /имя/i);
    const held = t.fake.hold("editMessageReplyMarkup");
    try {
      const phoneStep = t.fake.waitForCall(
        "sendMessage",
        (c) => c.payload.text !== undefined,
        10_000,
      );
      anna.sendText("Анна Петрова");
      await t.fake.waitForHeld("editMessageReplyMarkup", 10_000);
      await phoneStep;
      assert.equal(t.fake.callsOf("editMessageReplyMarkup").length, 0, "still held");
      held.release();
      await t.idle();
      assert.ok(anna.messages().some((m) => /Ваш номер телефона/.test(m.text ?? "")), "phone step");
      assert.equal(t.fake.callsOf("editMessageReplyMarkup").length, 1, "the prompt was closed");
      assert.equal(t.running.inFlight(), 0);
    } finally {
      held.release();
    }
  } finally {
    await t.close();
  }
});
