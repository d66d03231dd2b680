import assert from "node:assert/strict";
import { parseConfig } from "../../src/config.ts";
import { startBot } from "../../src/app.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { nullLogger } from "../../src/ops/log.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { getFeedbackForBooking } from "../../src/db/feedback_repo.ts";
import { FakeBotApi } from "../support/fake_bot_api.ts";
import { freePorts } from "../support/webhook_cluster.ts";
import { behindTlsProxy } from "../support/tls_proxy.ts";
import { startTestBot } from "../support/harness.ts";

Deno.test("webhook mode: registers the webhook with its secret and refuses requests without it", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-webhook-" });
  const [port] = freePorts(1);
  const proxy = behindTlsProxy(fake, `http://127.0.0.1:${port}/hook`);
  try {
    const config = parseConfig({
      BOT_TOKEN: "1:T",
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATA_DIR: dataDir,
      HEALTH_PORT: "0",
      WEBHOOK_URL: "https://bot.example.test/hook",
      WEBHOOK_SECRET: "s3cret_token",
      WEBHOOK_PORT: String(port),
    });
    const running = await startBot(config, {
      clock: new FakeClock(Date.parse("2026-12-01T06:00:00Z")),
      logger: nullLogger,
      noSignals: true,
      noJobs: true,
    });
    try {
      assert.equal(proxy.registeredUrl(), "https://bot.example.test/hook");
      assert.equal(fake.webhook.secret_token, "s3cret_token");
      const [setWebhook] = fake.callsOf("setWebhook");
      assert.ok(
        (setWebhook.payload.allowed_updates as string[]).includes("my_chat_member"),
        "Telegram is asked for my_chat_member (blocked users)",
      );
      const update = {
        update_id: 1,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 42, type: "private", first_name: "W" },
          from: { id: 42, is_bot: false, first_name: "W", language_code: "en" },
          text: "/start",
          entities: [{ type: "bot_command", offset: 0, length: 6 }],
        },
      };
      for (const secret of [undefined, "wrong", "s3cret_toke", "s3cret_token_", ""]) {
        const res = await fetch(`http://127.0.0.1:${port}/hook`, {
          method: "POST",
          headers: secret ? { "X-Telegram-Bot-Api-Secret-Token": secret } : {},
          body: JSON.stringify(update),
        });
        await res.body?.cancel();
        assert.equal(res.status, 401);
      }
      assert.equal(fake.callsOf("sendMessage").length, 0, "nothing handled without the secret");
      assert.equal(fake.callsOf("setMyCommands").length > 0, true);
      assert.equal(running.deps.db.prepare("SELECT COUNT(*) AS n FROM users").get()!.n, 0);
      // Through the fake (which sends the secret like Telegram does) it works.
      const u = fake.user(42, { first_name: "W", language_code: "en" });
      const reply = u.nextMessage();
      u.sendText("/start");
      assert.match((await reply).text ?? "", /Hello/);
    } finally {
      await running.stop();
    }
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("feedback: stars then a comment, one feedback per booking, only for the client's own visit", async () => {
  const t = await startTestBot({ demoData: false });
  try {
    loadDemoData(t.running.deps.db, t.clock.now());
    const client = t.fake.user(2101, { first_name: "Lena", language_code: "en" });
    const other = t.fake.user(2102, { first_name: "Olaf", language_code: "en" });
    for (const u of [client, other]) u.sendText("/start");
    await t.idle();
    const engine = t.running.deps.bookings;
    const booking = engine.createBooking({
      userId: 2101,
      serviceId: 1,
      staff: "any",
      start: Date.parse("2026-12-02T07:00:00Z"),
      clientName: "Lena Ivanova",
      phone: "+79161234567",
    });
    // Not completed yet: rating is refused.
    client.pressData(`fr:${booking.id}:5`);
    await t.idle();
    assert.equal(getFeedbackForBooking(t.running.deps.db, booking.id), undefined);
    t.clock.set("2026-12-02T09:00:00Z");
    engine.setStatus(booking.id, { userId: 0, isAdmin: true }, "completed");
    other.pressData(`fr:${booking.id}:1`); // someone else's visit
    await t.idle();
    assert.equal(getFeedbackForBooking(t.running.deps.db, booking.id), undefined);
    client.pressData(`fr:${booking.id}:4`);
    await t.idle();
    assert.match(client.lastMessage()!.text!, /add a comment/);
    client.sendText("Great haircut, thank you!");
    await t.idle();
    assert.match(client.lastMessage()!.text!, /Thank you for your feedback/);
    assert.deepEqual({ ...getFeedbackForBooking(t.running.deps.db, booking.id) }, {
      rating: 4,
      comment: "Great haircut, thank you!",
    });
    client.pressData(`fr:${booking.id}:1`);
    await t.idle();
    assert.ok(client.callbackAnswers().some((a) => /already rated/.test(a.text ?? "")));
    assert.equal(getFeedbackForBooking(t.running.deps.db, booking.id)!.rating, 4);
  } finally {
    await t.close();
  }
});
