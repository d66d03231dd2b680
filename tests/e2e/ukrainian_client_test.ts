/** A client whose Telegram speaks Ukrainian books in Ukrainian from /start to the confirmation. */
import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import { type BotMessage, type FakeUser, plainText } from "../support/fake_bot_api.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";

/** Does something and waits for the message it leads to (optionally the one that matches). */
async function step(
  t: TestBot,
  user: FakeUser,
  action: () => void,
  match?: RegExp,
): Promise<BotMessage> {
  const next = user.nextMessage(match ? (m) => match.test(m.text ?? m.caption ?? "") : undefined);
  action();
  const message = await next;
  await t.idle();
  return message;
}

Deno.test("e2e: a Ukrainian client (language_code uk) completes a booking reading Ukrainian", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const owner = t.fake.user(900, { first_name: "Owner", language_code: "ru" });
    await step(t, owner, () => owner.sendText("/start"));
    const oksana = t.fake.user(101, { first_name: "Оксана", language_code: "uk" });

    let m = await step(t, oksana, () => oksana.sendText("/start"));
    assert.match(m.text!, /👋 Вітаємо, <b>Оксана<\/b>!/);
    assert.match(m.text!, /Що бажаєте зробити\?/);
    m = await step(t, oksana, () => oksana.press("📅 Записатися"));
    assert.match(m.text!, /Оберіть послугу/);
    assert.match(m.text!, /Haircut<\/b> — 60 хв/);
    m = await step(t, oksana, () => oksana.press("Haircut"));
    assert.match(m.text!, /Оберіть день/);
    m = await step(t, oksana, () => oksana.press((b) => b.data === "bd:2026-12-02"));
    assert.match(m.text!, /Оберіть час/);
    assert.match(m.text!, /2 грудня 2026/, "dates in Ukrainian");
    m = await step(t, oksana, () => oksana.press("10:00"));
    assert.match(m.text!, /На яке ім'я записати\?/);
    await step(t, oksana, () => oksana.sendText("Оксана Коваленко"));
    assert.ok(oksana.messages().some((x) => x.text?.includes("📞 Ваш номер телефону")));
    assert.ok(
      oksana.messages().some((x) =>
        JSON.stringify(x.reply_markup ?? {}).includes("📱 Поділитися номером")
      ),
      "the share-contact button speaks Ukrainian",
    );
    m = await step(t, oksana, () => oksana.sendContact("+380501234567"), /Перевірте запис/);
    assert.match(m.text!, /💇 Послуга: <b>Haircut<\/b>/);
    assert.match(m.text!, /🕐 Час: <b>10:00–11:00<\/b>/);
    assert.match(m.text!, /⏱ Тривалість: 60 хв/);
    assert.match(m.text!, /🙂 Ім'я: Оксана Коваленко/);
    assert.match(m.text!, /\+380501234567/);
    await step(t, oksana, () => oksana.press("✅ Підтвердити"), /Вас записано/);

    const sent = oksana.messages();
    assert.ok(sent.some((x) => x.text?.includes("🎉 <b>Вас записано!</b>")), "confirmation");
    const ics = sent.find((x) => x.kind === "document");
    // The .ics comes from the outbox with the confirmation in its caption.
    assert.equal(
      ics?.caption,
      "✅ Запис №1: Haircut, ср, 2 грудня 2026 р. 10:00\n📎 Додайте його до свого календаря",
    );
    assert.match(new TextDecoder().decode(ics!.document!.bytes), /Запис №1/);
    const booking = getBooking(t.running.deps.db, 1)!;
    assert.equal(booking.status, "active");
    assert.equal(booking.clientName, "Оксана Коваленко");
    assert.equal(booking.phone, "+380501234567");

    // Everything she read was Ukrainian: no letter that only Russian has.
    for (const x of sent) {
      const text = plainText(x) + (x.caption ?? "");
      assert.doesNotMatch(text, /[ыэъё]/i, `Russian text sent to a Ukrainian client: ${text}`);
    }
    // Her bookings list, too.
    m = await step(t, oksana, () => oksana.sendText("/my"));
    assert.match(m.text!, /Ваші майбутні записи/);
    // The owner is still told in Russian.
    assert.ok(owner.messages().some((x) => x.text?.includes("Новая запись №1")));
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e: /lang offers Ukrainian and switches a Russian-speaking client to it", async () => {
  const t = await startTestBot();
  try {
    const anna = t.fake.user(102, { first_name: "Анна", language_code: "ru" });
    let m = await step(t, anna, () => anna.sendText("/start"));
    assert.match(m.text!, /Здравствуйте/);
    m = await step(t, anna, () => anna.sendText("/lang"));
    assert.deepEqual(
      anna.buttons().filter((b) => b.data?.startsWith("lg:")).map((b) => b.text),
      ["🇷🇺 Русский", "🇬🇧 English", "🇺🇦 Українська"],
    );
    m = await step(t, anna, () => anna.press("🇺🇦 Українська"));
    assert.match(m.text!, /Що бажаєте зробити\?/);
    assert.ok(anna.callbackAnswers().some((a) => a.text === "✅ Мова: українська."));
    m = await step(t, anna, () => anna.sendText("/book"));
    assert.match(m.text!, /Оберіть послугу/);
    // The Ukrainian command menu was published.
    const menus = t.fake.callsOf("setMyCommands").map((c) =>
      c.payload as { language_code?: string; commands: { command: string; description: string }[] }
    );
    const uk = menus.find((x) => x.language_code === "uk");
    assert.equal(uk?.commands.find((c) => c.command === "book")?.description, "Записатися");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});
