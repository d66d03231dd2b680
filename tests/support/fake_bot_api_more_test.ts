// The fake Bot API's helpers for blocked users, held calls, subscriptions, backups and payments.
import assert from "node:assert/strict";
import { Api, Bot, GrammyError, InputFile } from "grammy";
import { type BotMessage, FakeBotApi, type RecordedCall } from "./fake_bot_api.ts";

type Upd = Record<string, Record<string, unknown>> & { update_id: number };

async function raw(
  fake: FakeBotApi,
  method: string,
  body: unknown,
): Promise<RecordedCall["response"]> {
  const res = await fetch(`${fake.apiRoot}/bot1:raw/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return await res.json();
}

async function poll(fake: FakeBotApi, body: Record<string, unknown> = {}): Promise<Upd[]> {
  const r = await raw(fake, "getUpdates", body);
  assert.ok(r.ok, JSON.stringify(r));
  return r.result as Upd[];
}

const isBlocked = (e: GrammyError) =>
  e.error_code === 403 && e.description === "Forbidden: bot was blocked by the user";

Deno.test("blocked chats: every send method gets 403 and is recorded; my_chat_member on block/unblock", async () => {
  const fake = await FakeBotApi.start();
  const api = new Api("9:x", { apiRoot: fake.apiRoot });
  try {
    const kept = await api.sendMessage(5, "before");
    fake.blockUser(5);
    await assert.rejects(api.sendMessage(5, "hi"), isBlocked);
    await assert.rejects(
      api.sendDocument(5, new InputFile(new Uint8Array([1]), "a.gz")),
      isBlocked,
    );
    await assert.rejects(
      api.sendInvoice(5, "T", "D", "p", "XTR", [{ label: "x", amount: 1 }]),
      isBlocked,
    );
    await assert.rejects(api.editMessageText(5, kept.message_id, "edited"), isBlocked);
    await assert.rejects(api.copyMessage(5, 5, kept.message_id), isBlocked);
    await api.sendMessage(6, "others still get theirs");
    assert.deepEqual(fake.blockedCalls(5).map((c) => [c.method, c.chat_id]), [
      ["sendMessage", 5],
      ["sendDocument", 5],
      ["sendInvoice", 5],
      ["editMessageText", 5],
      ["copyMessage", 5],
    ]);
    assert.equal(fake.blockedCalls(6).length, 0);
    assert.equal(fake.stats.blocked403, 5);
    assert.deepEqual(fake.chatMessages(5).map((m) => m.text), ["before"], "nothing delivered");

    const ann = fake.user(7, { first_name: "Ann" });
    ann.block({ notify: true });
    assert.ok(fake.isBlocked(7));
    await assert.rejects(api.sendMessage(7, "x"), isBlocked);
    ann.unblock({ notify: true });
    await api.sendMessage(7, "welcome back");
    const members = (await poll(fake)).map((u) => u.my_chat_member as Record<string, Upd[string]>);
    assert.deepEqual(
      members.map((
        m,
      ) => [m.chat.id, m.from.first_name, m.old_chat_member.status, m.new_chat_member.status]),
      [[7, "Ann", "member", "kicked"], [7, "Ann", "kicked", "member"]],
    );
    assert.deepEqual((members[0].new_chat_member.user as { id: number }).id, fake.botInfo.id);
  } finally {
    await fake.stop();
  }
});

Deno.test("hold: a chosen method (and chat) waits until released; others pass", async () => {
  const fake = await FakeBotApi.start();
  const api = new Api("9:x", { apiRoot: fake.apiRoot });
  try {
    const hold = fake.hold("sendMessage", { chatId: 5 });
    const held = api.sendMessage(5, "reminder");
    const call = await fake.waitForHeld("sendMessage", 2000);
    assert.deepEqual([call.method, call.chat_id, call.payload.text], [
      "sendMessage",
      5,
      "reminder",
    ]);
    await api.sendMessage(6, "another chat is not held");
    await api.sendChatAction(5, "typing"); // another method is not held
    assert.equal(fake.chatMessages(5).length, 0, "not executed while held");
    assert.deepEqual(fake.heldCalls().map((c) => c.payload.text), ["reminder"]);
    assert.deepEqual(hold.calls.map((c) => c.payload.text), ["reminder"]);
    await assert.rejects(fake.waitForIdle(10, 100), /1 API call\(s\) in flight/);

    const second = api.sendMessage(5, "second");
    await waitUntil(() => fake.heldCalls().length === 2);
    assert.equal(hold.releaseOne(), true);
    assert.equal((await held).text, "reminder");
    assert.deepEqual(fake.heldCalls().map((c) => c.payload.text), ["second"]);
    hold.release();
    assert.equal((await second).text, "second");
    await api.sendMessage(5, "no longer held");
    assert.deepEqual(fake.chatMessages(5).map((m) => m.text), [
      "reminder",
      "second",
      "no longer held",
    ]);
    assert.equal(hold.releaseOne(), false);
  } finally {
    await fake.stop();
  }
});

Deno.test("hold: a bot killed while its send is held never sends it; stop ends holds", async () => {
  const fake = await FakeBotApi.start();
  try {
    fake.hold("sendMessage");
    // A separate process stands for the bot: it sends, and is killed while the send is held.
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `await fetch("${fake.apiRoot}/bot9:x/sendMessage", { method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ chat_id: 5, text: "after commit" }) });`,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const answered = fake.waitForCall("sendMessage", undefined, 20_000);
    await fake.waitForHeld("sendMessage", 20_000);
    child.kill("SIGKILL");
    await child.status;
    const call = await answered;
    assert.equal(call.response.ok, false);
    assert.equal(!call.response.ok && call.response.error_code, 499);
    assert.deepEqual(fake.heldCalls(), []);
    assert.equal(fake.chatMessages(5).length, 0, "the send never happened");

    const api = new Api("9:x", { apiRoot: fake.apiRoot });
    const pending = api.sendMessage(5, "held at stop");
    await fake.waitForHeld(undefined, 2000);
    await fake.stop();
    await assert.rejects(pending, (e: GrammyError) => e.error_code === 503);
    assert.equal(fake.chatMessages(5).length, 0);
  } finally {
    await fake.stop();
  }
});

Deno.test("allowed_updates of getUpdates and setWebhook, and the webhook secret, are recorded", async () => {
  const fake = await FakeBotApi.start();
  const bot = new Bot("123:abc", { client: { apiRoot: fake.apiRoot } });
  try {
    assert.equal(fake.allowedUpdates, undefined);
    const running = bot.start({ allowed_updates: ["message", "my_chat_member"], timeout: 1 });
    await fake.waitForCall("getUpdates", undefined, 3000);
    assert.deepEqual(fake.allowedUpdates, ["message", "my_chat_member"]);
    await bot.stop();
    await running;
    await poll(fake, { allowed_updates: ["message", "my_chat_member"] }); // unchanged: not logged again
    await poll(fake, {}); // not given: Telegram keeps the previous list
    assert.deepEqual(fake.allowedUpdates, ["message", "my_chat_member"]);

    await bot.api.setWebhook("https://example.test/hook", {
      secret_token: "s3cr3t",
      allowed_updates: ["message", "callback_query", "pre_checkout_query"],
    });
    assert.deepEqual(fake.allowedUpdates, ["message", "callback_query", "pre_checkout_query"]);
    assert.deepEqual(fake.allowedUpdatesLog.map((r) => [r.method, r.allowed_updates.length]), [
      ["getUpdates", 2],
      ["setWebhook", 3],
    ]);
    assert.deepEqual(
      fake.webhookLog.map(({ url, secret_token, allowed_updates }) => ({
        url,
        secret_token,
        allowed_updates,
      })),
      [{
        url: "https://example.test/hook",
        secret_token: "s3cr3t",
        allowed_updates: ["message", "callback_query", "pre_checkout_query"],
      }],
    );
    assert.deepEqual((await bot.api.getWebhookInfo()).allowed_updates, [
      "message",
      "callback_query",
      "pre_checkout_query",
    ]);
  } finally {
    await bot.stop();
    await fake.stop();
  }
});

Deno.test("enforceAllowedUpdates: types the bot did not subscribe to are dropped like Telegram does", async () => {
  const fake = await FakeBotApi.start({ enforceAllowedUpdates: true });
  try {
    const ann = fake.user(7, { first_name: "Ann" });
    ann.sendText("one");
    ann.block({ notify: true }); // my_chat_member
    ann.sendText("two");
    const got = await poll(fake, { allowed_updates: ["message"] });
    assert.deepEqual(got.map((u) => u.message?.text), ["one", "two"]);
    await poll(fake, { offset: got[1].update_id + 1 });
    assert.equal(fake.pendingUpdates, 0);

    ann.unblock({ notify: true });
    ann.sendText("three");
    const all = await poll(fake, { allowed_updates: ["message", "my_chat_member"] });
    assert.deepEqual(all.map((u) => Object.keys(u).find((k) => k !== "update_id")), [
      "my_chat_member",
      "message",
    ]);
  } finally {
    await fake.stop();
  }
});

Deno.test("sendDocument: a gzip backup upload is kept with its file name and exact bytes", async () => {
  const fake = await FakeBotApi.start();
  const api = new Api("9:x", { apiRoot: fake.apiRoot });
  try {
    // Binary content with CR LF and boundary-like runs, as a real database file has.
    const db = new Uint8Array(300_000);
    for (let i = 0; i < db.length; i++) db[i] = (i * 7919 + (i >> 3)) & 0xff;
    db.set(new TextEncoder().encode("\r\n--boundary\r\n\r\n"), 1000);
    const gz = new Uint8Array(
      await new Response(new Blob([db]).stream().pipeThrough(new CompressionStream("gzip")))
        .arrayBuffer(),
    );
    const sent = await api.sendDocument(42, new InputFile(gz, "booking-20261201.db.gz"), {
      caption: "Backup",
    });
    assert.equal(sent.document.file_name, "booking-20261201.db.gz");
    const m = fake.lastMessageIn(42)!;
    assert.equal(m.kind, "document");
    assert.equal(m.caption, "Backup");
    assert.equal(m.document?.file_name, "booking-20261201.db.gz");
    assert.equal(m.document?.mime_type, "application/gzip");
    assert.equal(m.document?.file_size, gz.length);
    assert.deepEqual(m.document?.bytes, gz);
    const back = new Uint8Array(
      await new Response(
        new Blob([m.document!.bytes!]).stream().pipeThrough(
          new DecompressionStream("gzip"),
        ),
      ).arrayBuffer(),
    );
    assert.deepEqual(back, db);
  } finally {
    await fake.stop();
  }
});

function shopBot(fake: FakeBotApi, seen: Array<Record<string, unknown>>): Bot {
  const bot = new Bot("123:abc", { client: { apiRoot: fake.apiRoot } });
  bot.command(
    "buy",
    (ctx) =>
      ctx.replyWithInvoice("Deposit", "Haircut on Friday", ctx.match || "booking:17", "XTR", [
        { label: "Deposit", amount: 150 },
      ]),
  );
  bot.on("pre_checkout_query", (ctx) => {
    seen.push({ ...ctx.preCheckoutQuery });
    const soldOut = ctx.preCheckoutQuery.invoice_payload.endsWith(":gone");
    return soldOut
      ? ctx.answerPreCheckoutQuery(false, "That time is taken")
      : ctx.answerPreCheckoutQuery(true);
  });
  bot.on("message:successful_payment", async (ctx) => {
    const p = ctx.message.successful_payment;
    seen.push({ ...p });
    await ctx.reply(`Paid ${p.total_amount} ${p.currency} for ${p.invoice_payload}`);
    await ctx.api.refundStarPayment(ctx.from.id, p.telegram_payment_charge_id);
  });
  bot.catch((err) => console.error("bot error", err.error));
  return bot;
}

Deno.test("payments: sendInvoice, pre_checkout_query, answer, successful_payment, refund", async () => {
  const fake = await FakeBotApi.start();
  const seen: Array<Record<string, unknown>> = [];
  const bot = shopBot(fake, seen);
  const ann = fake.user(42, { first_name: "Ann" });
  const running = bot.start({ timeout: 1 });
  try {
    const invoiceShown = ann.nextMessage();
    ann.sendText("/buy");
    const inv: BotMessage = await invoiceShown;
    assert.equal(inv.kind, "invoice");
    assert.deepEqual(inv.invoice, {
      title: "Deposit",
      description: "Haircut on Friday",
      payload: "booking:17",
      currency: "XTR",
      prices: [{ label: "Deposit", amount: 150 }],
      total_amount: 150,
    });
    assert.equal(ann.lastInvoice(), inv);

    const thanks = ann.nextMessage((m) => m.kind === "text");
    const { answer, payment } = await ann.pay();
    assert.equal(answer.ok, true);
    assert.equal((await thanks).text, "Paid 150 XTR for booking:17");
    assert.deepEqual(seen[0], {
      id: answer.pre_checkout_query_id,
      from: ann.from,
      currency: "XTR",
      total_amount: 150,
      invoice_payload: "booking:17",
    });
    assert.deepEqual(seen[1], payment);
    assert.deepEqual(Object.keys(payment!).sort(), [
      "currency",
      "invoice_payload",
      "provider_payment_charge_id",
      "telegram_payment_charge_id",
      "total_amount",
    ]);
    await fake.waitForIdle(20, 3000);
    assert.deepEqual(fake.refunds.map((r) => [r.user_id, r.telegram_payment_charge_id]), [
      [42, payment!.telegram_payment_charge_id],
    ]);

    // A declined pre-checkout: no payment message is sent.
    const declined = ann.nextMessage();
    ann.sendText("/buy booking:18:gone");
    await ann.pay({ invoice: await declined }).then(({ answer, payment }) => {
      assert.deepEqual([answer.ok, answer.error_message, payment], [
        false,
        "That time is taken",
        undefined,
      ]);
    });
    assert.deepEqual(fake.preCheckoutAnswers.map((a) => a.ok), [true, false]);
    await fake.waitForIdle(20, 3000);
    assert.equal(seen.length, 3, "no successful_payment after a declined check");
  } finally {
    await bot.stop();
    await running;
    await fake.stop();
  }
});

Deno.test("payments: Telegram's checks on invoices, answers and refunds", async () => {
  const fake = await FakeBotApi.start();
  const api = new Api("9:x", { apiRoot: fake.apiRoot });
  const bad = (re: RegExp) => (e: GrammyError) => e.error_code === 400 && re.test(e.description);
  try {
    const price = [{ label: "Deposit", amount: 500 }];
    await assert.rejects(
      api.sendInvoice(1, "T", "D", "p", "RUB", price),
      bad(/PAYMENT_PROVIDER_INVALID/),
    );
    await assert.rejects(
      api.sendInvoice(1, "T", "D", "p", "XTR", price, { provider_token: "tok" }),
      bad(/STARS_INVOICE_INVALID/),
    );
    await assert.rejects(
      api.sendInvoice(1, "T", "D", "p", "XTR", [{ label: "x", amount: 0 }]),
      bad(/TOTAL_AMOUNT/),
    );
    await assert.rejects(api.sendInvoice(1, "x".repeat(33), "D", "p", "XTR", price), bad(/TITLE/));
    const rub = await api.sendInvoice(1, "T", "D", "p", "RUB", price, { provider_token: "tok" });
    assert.deepEqual(rub.invoice, {
      title: "T",
      description: "D",
      currency: "RUB",
      total_amount: 500,
      start_parameter: "",
    });
    assert.equal(fake.lastMessageIn(1)?.invoice?.provider_token, "tok");

    const u = fake.user(1);
    const q = u.sendPreCheckoutQuery({ currency: "RUB", total_amount: 500, invoice_payload: "p" });
    await assert.rejects(api.answerPreCheckoutQuery(q, false), bad(/ERROR_MESSAGE_EMPTY/));
    await api.answerPreCheckoutQuery(q, true);
    await assert.rejects(api.answerPreCheckoutQuery(q, true), bad(/query is too old/));
    assert.equal((await u.waitForPreCheckoutAnswer(q)).ok, true);
    await assert.rejects(
      u.waitForPreCheckoutAnswer(
        u.sendPreCheckoutQuery({ currency: "RUB", total_amount: 1, invoice_payload: "p" }),
        30,
      ),
      /did not answer/,
    );

    const paid = u.sendSuccessfulPayment({
      currency: "XTR",
      total_amount: 5,
      invoice_payload: "p",
    });
    await assert.rejects(
      api.refundStarPayment(2, paid.telegram_payment_charge_id),
      bad(/CHARGE_NOT_FOUND/),
    );
    await api.refundStarPayment(1, paid.telegram_payment_charge_id);
    await assert.rejects(
      api.refundStarPayment(1, paid.telegram_payment_charge_id),
      bad(/ALREADY_REFUNDED/),
    );
    await assert.rejects(fake.user(3).pay(), /pay\(\): no invoice/);
  } finally {
    await fake.stop();
  }
});

async function waitUntil(ok: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
