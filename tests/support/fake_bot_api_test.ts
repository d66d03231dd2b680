import assert from "node:assert/strict";
import { Api, Bot, GrammyError, InlineKeyboard, InputFile, webhookCallback } from "grammy";
import { type ApiResponse, FakeBotApi, plainText, UploadedFile } from "./fake_bot_api.ts";

// PNG signature + IHDR (2x3), enough for the fake's image sniffing
const PNG = Uint8Array.from(
  "89504e470d0a1a0a0000000d494844520000000200000003080600000000".match(/../g)!,
  (h) => parseInt(h, 16),
);
const CSV = new TextEncoder().encode("date,client,service\n2025-01-02,Ann \u00e9,Cut\n");

function makeBot(fake: FakeBotApi): Bot {
  const bot = new Bot("123:abc", { client: { apiRoot: fake.apiRoot } });
  bot.command("start", (ctx) =>
    ctx.reply(`Welcome, <b>${ctx.from?.first_name}</b>!`, {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text("Book a slot", "book").row()
        .text("Get report", "report").text("Chart", "chart"),
    }));
  bot.callbackQuery("book", async (ctx) => {
    await ctx.answerCallbackQuery({ text: "Booked!" });
    await ctx.editMessageText("Booked \u2705");
  });
  bot.callbackQuery("report", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.replyWithDocument(new InputFile(CSV, "x.csv"), { caption: "Your report" });
  });
  bot.callbackQuery("chart", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.replyWithPhoto(new InputFile(PNG, "chart.png"));
  });
  bot.on(
    "callback_query:data",
    (ctx) => ctx.answerCallbackQuery({ text: "Unknown", show_alert: true }),
  );
  bot.on("message:contact", (ctx) => ctx.reply(`Thanks, ${ctx.message.contact.phone_number}`));
  bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
  bot.catch((err) => console.error("bot error", err.error));
  return bot;
}

async function raw(fake: FakeBotApi, method: string, body: unknown): Promise<ApiResponse> {
  const res = await fetch(`${fake.apiRoot}/bot1:raw/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return await res.json();
}

type RawUpdate = { update_id: number; message?: { text?: string } };

async function poll(fake: FakeBotApi, body: Record<string, unknown>): Promise<RawUpdate[]> {
  const r = await raw(fake, "getUpdates", body);
  assert.ok(r.ok, JSON.stringify(r));
  return r.result as RawUpdate[];
}

Deno.test("grammY bot via long polling: messages, buttons, callbacks, uploads", async () => {
  const fake = await FakeBotApi.start();
  const bot = makeBot(fake);
  const ann = fake.user(42, { first_name: "Ann", username: "ann" });
  try {
    const welcome = ann.nextMessage();
    ann.sendText("/start");
    const running = bot.start({ timeout: 30 });
    const m1 = await welcome;
    assert.equal(m1.text, "Welcome, <b>Ann</b>!");
    assert.equal(plainText(m1), "Welcome, Ann!");
    assert.equal(m1.parse_mode, "HTML");
    assert.deepEqual(ann.buttons().map((b) => [b.text, b.data]), [
      ["Book a slot", "book"],
      ["Get report", "report"],
      ["Chart", "chart"],
    ]);

    // press a button → answer + edit in place (keyboard dropped because reply_markup omitted)
    const edited = ann.nextMessage((_m, ev) => ev === "edited");
    ann.press("Book");
    const m1e = await edited;
    assert.equal(m1e.message_id, m1.message_id);
    assert.equal(m1.text, "Booked \u2705");
    assert.equal(m1.edit_count, 1);
    assert.equal(m1.reply_markup, undefined);
    const ans = await ann.waitForCallbackAnswer(2000);
    assert.equal(ans.text, "Booked!");
    assert.equal(ans.data, "book");

    // no more buttons → clear error listing the chat
    assert.throws(
      () => ann.press("Get report"),
      /no inline button matching "Get report".*\n.*Booked/s,
    );

    // forged callback data
    ann.pressData("evil:1");
    const forged = await ann.waitForCallbackAnswer(2000);
    assert.deepEqual([forged.text, forged.show_alert, forged.data], ["Unknown", true, "evil:1"]);

    // echo
    const echo = ann.nextMessage();
    ann.sendText("hello there");
    assert.equal((await echo).text, "echo: hello there");

    // document upload (multipart) keeps the bytes
    ann.sendText("/start");
    await ann.nextMessage((m) => m.reply_markup !== undefined);
    const doc = ann.nextMessage((m) => m.kind === "document");
    ann.press("report");
    const d = await doc;
    assert.equal(d.caption, "Your report");
    assert.equal(d.document?.file_name, "x.csv");
    assert.equal(d.document?.mime_type, "text/csv");
    assert.deepEqual(d.document?.bytes, CSV);
    const docCall = fake.callsOf("sendDocument")[0];
    assert.equal(docCall.payload.chat_id, 42);
    assert.ok(docCall.payload.document instanceof UploadedFile);

    const photo = ann.nextMessage((m) => m.kind === "photo");
    ann.press("Chart");
    const p = await photo;
    assert.deepEqual(p.photo?.bytes?.subarray(0, 4), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    assert.deepEqual([p.photo?.width, p.photo?.height], [2, 3]);

    // contact
    const thanks = ann.nextMessage();
    ann.sendContact("+15550001");
    assert.equal((await thanks).text, "Thanks, +15550001");
    const contactUpdate = fake.callsOf("getUpdates").flatMap((c) =>
      c.response.ok ? c.response.result as Array<Record<string, Record<string, unknown>>> : []
    ).find((u) => u.message?.contact);
    assert.deepEqual(contactUpdate?.message.contact, {
      phone_number: "+15550001",
      first_name: "Ann",
      user_id: 42,
    });

    await fake.waitForIdle(30, 3000);
    assert.equal(fake.pendingUpdates, 0);
    assert.ok(fake.tokens.has("123:abc"));
    assert.ok(fake.callsOf("getMe").length >= 1);
    assert.ok(fake.callsOf("deleteWebhook").length >= 1);
    assert.equal(ann.messages().length, 6);
    assert.equal(ann.callbackAnswers().length, 4);
    const ids = ann.messages().map((m) => m.message_id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));

    await bot.stop();
    await running;
  } finally {
    await bot.stop();
    await fake.stop();
  }
});

Deno.test("Bot API error semantics: not modified, delete not found, unknown method, HTML", async () => {
  const fake = await FakeBotApi.start();
  const api = new Api("9:x", { apiRoot: fake.apiRoot });
  try {
    const me = await api.getMe();
    assert.deepEqual([me.id, me.is_bot, me.first_name, me.username], [
      1000,
      true,
      "Test Bot",
      "test_booking_bot",
    ]);
    const kb = new InlineKeyboard().text("A", "a");
    const m = await api.sendMessage(7, "hi", { reply_markup: kb });
    assert.equal(m.message_id, 1);
    assert.equal((await api.sendMessage(7, "second")).message_id, 2);
    assert.equal((await api.sendMessage(8, "other chat")).message_id, 1);

    await assert.rejects(
      api.editMessageText(7, 1, "hi", { reply_markup: kb }),
      (e: GrammyError) => e.error_code === 400 && /message is not modified/.test(e.description),
    );
    await api.editMessageText(7, 1, "hi"); // dropping the keyboard is a modification
    assert.equal(fake.getMessage(7, 1)?.reply_markup, undefined);
    await api.editMessageReplyMarkup(7, 1, { reply_markup: kb });
    assert.equal(fake.getMessage(7, 1)?.reply_markup?.inline_keyboard?.[0][0].callback_data, "a");

    assert.equal(await api.deleteMessage(7, 2), true);
    assert.equal(fake.getMessage(7, 2)?.deleted, true);
    for (const id of [2, 99]) {
      await assert.rejects(
        api.deleteMessage(7, id),
        (e: GrammyError) =>
          e.error_code === 400 && e.description === "Bad Request: message to delete not found",
      );
    }
    await assert.rejects(
      api.sendMessage(7, "a <br> b", { parse_mode: "HTML" }),
      /can't parse entities: Unsupported start tag "br"/,
    );
    await assert.rejects(
      api.sendMessage(7, "x", {
        reply_markup: new InlineKeyboard().text("long", "x".repeat(65)),
      }),
      /BUTTON_DATA_INVALID/,
    );

    const res = await fetch(`${fake.apiRoot}/bot9:x/noSuchMethod`, { method: "POST" });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), {
      ok: false,
      error_code: 404,
      description: "Not Found: method not found",
    });

    const last = fake.calls.at(-1)!;
    assert.equal(last.method, "noSuchMethod");
    assert.equal(last.token, "9:x");
    assert.equal(typeof last.at, "number");
    assert.equal(fake.callsOf("sendMessage").length, 5);
    fake.clearCalls();
    assert.equal(fake.calls.length, 0);

    // standard multipart (quoted filename, FormData) parses too
    const form = new FormData();
    form.set("chat_id", "7");
    form.set("caption", "123");
    form.set("document", new File([CSV], "report \u00e9.csv", { type: "text/csv" }));
    const up = await fetch(`${fake.apiRoot}/bot9:x/sendDocument`, { method: "POST", body: form });
    assert.equal((await up.json()).ok, true);
    const last7 = fake.lastMessageIn(7)!;
    assert.equal(last7.caption, "123");
    assert.equal(last7.document?.file_name, "report \u00e9.csv");
    assert.deepEqual(last7.document?.bytes, CSV);
    await assert.rejects(
      api.sendPhoto(7, new InputFile(CSV, "not-an-image.png")),
      /IMAGE_PROCESS_FAILED/,
    );
  } finally {
    await fake.stop();
  }
});

Deno.test("fault injection: 429 retry_after, 500, timeout, deterministic seed", async () => {
  const fake = await FakeBotApi.start();
  const api = new Api("9:x", { apiRoot: fake.apiRoot });
  try {
    fake.setFaults({ failRate: 1, kinds: ["429"], retryAfter: 3 });
    await assert.rejects(api.sendMessage(1, "x"), (e: GrammyError) => {
      assert.equal(e.error_code, 429);
      assert.equal(e.parameters.retry_after, 3);
      return true;
    });
    await api.getMe(); // non-sending methods are never faulted
    await api.sendChatAction(1, "typing");

    fake.setFaults({ kinds: ["500"] });
    await assert.rejects(api.sendMessage(1, "x"), (e: GrammyError) => e.error_code === 500);

    fake.setFaults({ kinds: ["timeout"], timeoutMs: 40 });
    const t0 = performance.now();
    await assert.rejects(api.sendMessage(1, "x"), (e: GrammyError) => e.error_code === 504);
    assert.ok(performance.now() - t0 >= 35);
    assert.equal(fake.chatMessages(1).length, 0);

    fake.setFaults({ kinds: ["lost"], timeoutMs: 10 });
    await assert.rejects(api.sendMessage(1, "x"), (e: GrammyError) => e.error_code === 504);
    assert.equal(fake.chatMessages(1).length, 1, "lost response: delivered anyway");

    const pattern = async (): Promise<string> => {
      fake.setFaults({ failRate: 0.5, kinds: ["429", "500"], seed: 42 });
      let s = "";
      for (let i = 0; i < 20; i++) {
        const r = await raw(fake, "sendMessage", { chat_id: 2, text: "p" });
        s += r.ok ? "." : r.error_code === 429 ? "R" : "E";
      }
      return s;
    };
    const a = await pattern();
    const b = await pattern();
    assert.equal(a, b);
    assert.match(a, /\./);
    assert.match(a, /[RE]/);
    assert.deepEqual(fake.stats.injected.timeout, 1);

    fake.resetFaults();
    await api.sendMessage(1, "fine");
  } finally {
    await fake.stop();
  }
});

Deno.test("blocked users get 403; limits window rejects over-limit sends", async () => {
  const fake = await FakeBotApi.start();
  const api = new Api("9:x", { apiRoot: fake.apiRoot });
  try {
    fake.blockUser(5);
    await assert.rejects(api.sendMessage(5, "hi"), (e: GrammyError) => {
      assert.equal(e.error_code, 403);
      assert.equal(e.description, "Forbidden: bot was blocked by the user");
      return true;
    });
    await api.sendMessage(6, "hi");
    fake.unblockUser(5);
    await api.sendMessage(5, "hi again");
    assert.equal(fake.stats.blocked403, 1);

    fake.setFaults({ enforceLimits: { perBotPerSecond: 3, perChatPerSecond: 1 } });
    await api.sendMessage(11, "a");
    await assert.rejects(api.sendMessage(11, "b"), (e: GrammyError) => {
      assert.equal(e.error_code, 429);
      assert.ok(Number.isInteger(e.parameters.retry_after) && e.parameters.retry_after! >= 1);
      return true;
    });
    await api.sendMessage(12, "c");
    await api.sendMessage(13, "d");
    await assert.rejects(api.sendMessage(14, "e"), (e: GrammyError) => e.error_code === 429);
    assert.equal(fake.stats.rejected429, 2);
    assert.deepEqual(fake.chatMessages(11).map((m) => m.text), ["a"]);
    assert.equal(fake.chatMessages(14).length, 0);

    await new Promise((r) => setTimeout(r, 1010)); // the window slides
    await api.sendMessage(11, "b2");
    await api.sendMessage(14, "e2");
    fake.setFaults({ enforceLimits: false });
    for (let i = 0; i < 5; i++) await api.sendMessage(11, `burst ${i}`);
  } finally {
    await fake.stop();
  }
});

Deno.test("getUpdates: long poll wakes on update, unconfirmed updates are re-delivered", async () => {
  const fake = await FakeBotApi.start({ pollCapMs: 10_000 });
  try {
    const u = fake.user(3, { first_name: "Bo" });
    u.sendText("one");
    u.sendText("two");
    const ids = (await poll(fake, { timeout: 0 })).map((x) => x.update_id);
    assert.equal(ids.length, 2);
    // not confirmed → delivered again
    assert.deepEqual((await poll(fake, { limit: 1 })).map((x) => x.update_id), [ids[0]]);
    // offset confirms everything below it
    assert.deepEqual((await poll(fake, { offset: ids[1] })).map((x) => x.update_id), [ids[1]]);
    assert.deepEqual(await poll(fake, { offset: ids[1] + 1 }), []);
    assert.equal(fake.pendingUpdates, 0);

    // long poll is answered as soon as an update arrives
    const t0 = performance.now();
    const held = poll(fake, { offset: ids[1] + 1, timeout: 20 });
    const group = { id: -100, type: "group", title: "G" };
    setTimeout(() => fake.pushUpdate({ message: { message_id: 9, chat: group, text: "grp" } }), 20);
    const got = await held;
    assert.ok(performance.now() - t0 < 2000);
    assert.equal(got[0].message?.text, "grp");

    // grammY restart: bot 1 stops without seeing an update, bot 2 gets it
    await raw(fake, "getUpdates", { offset: fake.pushUpdate({}).update_id + 1 });
    const bot1 = new Bot("123:abc", { client: { apiRoot: fake.apiRoot } });
    const seen1: string[] = [];
    bot1.on("message:text", (ctx) => {
      seen1.push(ctx.message.text);
    });
    u.sendText("before restart");
    const run1 = bot1.start({ timeout: 30 });
    await fake.waitForIdle(20, 3000);
    await bot1.stop();
    await run1;
    u.sendText("while down");
    const bot2 = new Bot("123:abc", { client: { apiRoot: fake.apiRoot } });
    const seen2: string[] = [];
    bot2.on("message:text", (ctx) => {
      seen2.push(ctx.message.text);
    });
    const run2 = bot2.start({ timeout: 30 });
    await fake.waitForIdle(20, 3000);
    await bot2.stop();
    await run2;
    assert.deepEqual(seen1, ["before restart"]);
    assert.deepEqual(seen2, ["while down"]);

    // stop() ends a pending long poll
    const pending = poll(fake, { timeout: 30 });
    await new Promise((r) => setTimeout(r, 20));
    const t1 = performance.now();
    await fake.stop();
    assert.deepEqual(await pending, []);
    assert.ok(performance.now() - t1 < 1000);
  } finally {
    await fake.stop();
  }
});

Deno.test("webhook: pushUpdate POSTs to the webhook with the secret header", async () => {
  const fake = await FakeBotApi.start();
  const bot = new Bot("123:abc", { client: { apiRoot: fake.apiRoot } });
  bot.on("message:text", (ctx) => ctx.reply(`hook: ${ctx.message.text}`));
  await bot.init();
  const secrets: Array<string | null> = [];
  const handle = webhookCallback(bot, "std/http", { secretToken: "s3cr3t" });
  const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    secrets.push(req.headers.get("X-Telegram-Bot-Api-Secret-Token"));
    return handle(req);
  });
  try {
    const url = `http://127.0.0.1:${receiver.addr.port}/hook`;
    await bot.api.setWebhook(url, { secret_token: "s3cr3t" });
    const info = await bot.api.getWebhookInfo();
    assert.equal(info.url, url);
    assert.equal(fake.webhook.secret_token, "s3cr3t");
    await assert.rejects(bot.api.getUpdates(), (e: GrammyError) => e.error_code === 409);

    const u = fake.user(77, { first_name: "Cy" });
    const reply = u.nextMessage();
    u.sendText("ping");
    assert.equal((await reply).text, "hook: ping");
    await fake.waitForIdle(20, 3000);
    assert.deepEqual(secrets, ["s3cr3t"]);
    assert.equal(fake.pendingUpdates, 0);

    await bot.api.deleteWebhook();
    assert.equal(fake.webhook.url, "");
  } finally {
    await fake.stop();
    await receiver.shutdown();
  }
});

Deno.test("waiters: nextMessage timeout explains the chat; waitForIdle reports pending updates", async () => {
  const fake = await FakeBotApi.start({ record: false });
  const api = new Api("9:x", { apiRoot: fake.apiRoot });
  try {
    const u = fake.user(21, { first_name: "Di" });
    await api.sendMessage(21, "Pick a day", {
      reply_markup: new InlineKeyboard().text("Mon", "d:1").text("Tue", "d:2"),
    });
    await assert.rejects(
      u.nextMessage(undefined, 30),
      /timed out after 30 ms in chat 21.*Pick a day.*\[Mon \| Tue\]/s,
    );
    u.sendText("nobody polls");
    await assert.rejects(fake.waitForIdle(10, 50), /1 update\(s\) not yet taken by the bot/);
    assert.equal(fake.calls.length, 0); // record: false
    assert.equal(fake.stats.calls, 1);
    const upd = u.press(/Tue/);
    const cq = (upd as unknown as { callback_query: { data: string; message: { text: string } } })
      .callback_query;
    assert.equal(cq.data, "d:2");
    assert.equal(cq.message.text, "Pick a day");

    // acting in a group chat
    const g = u.sendText("/book@test_booking_bot", { chatId: -500 }) as unknown as {
      message: { chat: { type: string }; entities: Array<{ length: number }> };
    };
    assert.equal(g.message.chat.type, "group");
    assert.equal(g.message.entities[0].length, "/book@test_booking_bot".length);
    await api.sendMessage(-500, "Group menu", {
      reply_markup: new InlineKeyboard().text("Join", "join"),
    });
    assert.equal(u.buttons().length, 2, "private chat unaffected");
    const gp = u.press("Join", { chatId: -500 }) as unknown as {
      callback_query: { from: { id: number }; message: { chat: { id: number } } };
    };
    assert.deepEqual([gp.callback_query.from.id, gp.callback_query.message.chat.id], [21, -500]);
  } finally {
    await fake.stop();
  }
});
