import assert from "node:assert/strict";
import { audit } from "../../src/db/audit_repo.ts";
import { insertFeedback, setFeedbackComment } from "../../src/db/feedback_repo.ts";
import { pngSize, prepareCharts } from "../../src/ops/chart.ts";
import type { BotMessage, FakeUser } from "../support/fake_bot_api.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

const msk = (local: string) => Date.parse(`${local}:00+03:00`);
const ADMIN = { userId: 900, isAdmin: true };

/**
 * Does something that makes the bot send or edit a message, and waits for that message
 * (the harness's quiet period alone is not enough on a busy machine).
 */
async function step(t: TestBot, user: FakeUser, action: () => void): Promise<BotMessage> {
  const next = user.nextMessage();
  action();
  const message = await next;
  await t.idle();
  return message;
}

/**
 * Presses a button that answers with a chart. Rendering runs without Bot API calls for
 * longer than the harness's quiet period, so wait for the photo itself.
 */
async function pressForPhoto(t: TestBot, user: FakeUser, match: string): Promise<BotMessage> {
  const photo = user.nextMessage((m) => m.kind === "photo");
  user.press(match);
  const message = await photo;
  await t.idle();
  return message;
}

/** Two clients with bookings on Wed 2 and Thu 3 December (the clock: Tue 1 Dec 09:00). */
async function seed(t: TestBot) {
  const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
  const boris = t.fake.user(102, { first_name: "Boris", language_code: "en" });
  anna.sendText("/start");
  boris.sendText("/start");
  await t.idle();
  const bookings = t.running.deps.bookings;
  const a = bookings.createBooking({
    userId: 101,
    serviceId: 1,
    staff: 1,
    start: msk("2026-12-02T10:00"),
    clientName: "Анна Петрова",
    phone: "+79161234567",
  });
  const b = bookings.createBooking({
    userId: 102,
    serviceId: 2,
    staff: 1,
    start: msk("2026-12-03T11:00"),
    clientName: "Boris Ivanov",
    phone: "+79161234568",
  });
  return { anna, boris, a, b };
}

Deno.test("e2e: statistics arrive as a PNG chart with the numbers in the caption", async () => {
  // The first WebAssembly load takes longer than the harness's quiet period.
  await prepareCharts();
  const t = await startTestBot({ adminIds: [900] });
  try {
    const owner = t.fake.user(900, { first_name: "Owner", language_code: "ru" });
    await step(t, owner, () => owner.sendText("/start"));
    await seed(t);
    await step(t, owner, () => owner.sendText("/admin"));
    const photo = await pressForPhoto(t, owner, "Статистика");
    const png = photo.photo!.bytes!;
    assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(pngSize(png), { width: 960, height: 480 });
    assert.equal(photo.photo!.file_name, "stats.png");
    const caption = photo.caption!;
    assert.match(caption, /Статистика: неделя 30 нояб/);
    assert.match(caption, /Записей: <b>2<\/b> \(было 0 на прошлой неделе\)/);
    assert.match(caption, /Активных: 2/);
    assert.match(caption, /Отмен: <b>0%<\/b> · завершённых: <b>0%<\/b>/);
    // Capacity Mon–Fri 5 × 8 h = 40 h; booked 1 h + 0.5 h.
    assert.match(caption, /Загрузка: <b>4%<\/b> \(занято 1,5 ч из 40 ч/);
    assert.match(caption, /Выручка: <b>2\s200\s₽<\/b>/);
    assert.match(caption, /1\. Haircut — 1 · 1\s500\s₽ · 3%/);
    assert.ok(owner.callbackAnswers().every((a) => !a.show_alert));

    // Month view, then the previous month: each replaces the photo.
    await pressForPhoto(t, owner, "Месяц");
    const month = owner.lastMessage()!;
    assert.equal(month.kind, "photo");
    assert.notEqual(month.message_id, photo.message_id);
    assert.equal(owner.messages().filter((m) => m.kind === "photo").length, 1, "old chart deleted");
    assert.match(month.caption!, /Статистика: Декабрь 2026/);
    assert.match(month.caption!, /Записей: <b>2<\/b>/);
    await pressForPhoto(t, owner, "◀️");
    assert.match(owner.lastMessage()!.caption!, /Ноябрь 2026/);
    assert.match(owner.lastMessage()!.caption!, /В этом периоде записей нет/);
    assert.deepEqual(pngSize(owner.lastMessage()!.photo!.bytes!), { width: 960, height: 480 });

    // A day: hour bars; the chart is still a valid PNG.
    await pressForPhoto(t, owner, "Текущий");
    await pressForPhoto(t, owner, "День");
    assert.match(owner.lastMessage()!.caption!, /Статистика: вт, 1 декабря 2026/);
    assert.ok(pngSize(owner.lastMessage()!.photo!.bytes!));
  } finally {
    await t.close();
  }
});

Deno.test("e2e: feedback shows anonymised names, the average and filters", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const owner = t.fake.user(900, { first_name: "Owner", language_code: "en" });
    await step(t, owner, () => owner.sendText("/start"));
    const { a, b } = await seed(t);
    t.clock.set(msk("2026-12-05T12:00"));
    const db = t.running.deps.db;
    const now = t.clock.now();
    t.running.deps.bookings.setStatus(a.id, ADMIN, "completed");
    t.running.deps.bookings.setStatus(b.id, ADMIN, "completed");
    insertFeedback(db, { bookingId: a.id, userId: 101, serviceId: 1, rating: 5 }, now);
    setFeedbackComment(db, a.id, "Отлично <3", now);
    insertFeedback(db, { bookingId: b.id, userId: 102, serviceId: 2, rating: 2 }, now + 1000);

    await step(t, owner, () => owner.sendText("/admin"));
    await step(t, owner, () => owner.press("Feedback"));
    let text = owner.lastMessage()!.text!;
    assert.match(text, /Average: <b>3\.5<\/b> of 5 · 2 reviews/);
    assert.match(text, /5★ █{10} 1/);
    assert.match(text, /2★ █{10} 1/);
    assert.match(text, /4★ · 0/);
    assert.match(text, /👤 Анна П\./);
    assert.match(text, /👤 Boris I\./, "surname cut to an initial");
    assert.doesNotMatch(text, /Петрова|Ivanov|\+7916/);
    assert.match(text, /Отлично &lt;3/);
    assert.ok(text.indexOf("Boris") < text.indexOf("Анна"), "newest first");
    assert.match(text, /★★☆☆☆ · <b>Beard trim<\/b>/);

    await step(t, owner, () => owner.press("Service"));
    await step(t, owner, () => owner.press("Haircut (1)"));
    text = owner.lastMessage()!.text!;
    assert.match(text, /Service: Haircut/);
    assert.match(text, /Average: <b>5<\/b> of 5 · 1 reviews/);
    assert.doesNotMatch(text, /Boris/);

    // Custom dates by text: only the visit of Thursday 3 December, all services.
    await step(t, owner, () => owner.press("Period"));
    await step(t, owner, () => owner.press("Choose dates"));
    await step(t, owner, () => owner.sendText("nonsense"));
    assert.match(owner.lastMessage()!.text!, /couldn't read these dates/);
    await step(t, owner, () => owner.sendText("03.12.2026"));
    text = owner.lastMessage()!.text!;
    assert.match(text, /visits: 03\/12\/2026 – 03\/12\/2026/);
    assert.match(text, /No feedback for this filter/, "the service filter (Haircut) is kept");
    await step(t, owner, () => owner.press("Service"));
    await step(t, owner, () => owner.press("All services"));
    text = owner.lastMessage()!.text!;
    assert.match(text, /Boris I\./);
    assert.doesNotMatch(text, /Анна/);
  } finally {
    await t.close();
  }
});

Deno.test("e2e: the audit log shows who created a booking, old → new values, and filters", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const owner = t.fake.user(900, { first_name: "Owner", username: "boss", language_code: "en" });
    await step(t, owner, () => owner.sendText("/start"));
    const { a, b } = await seed(t);
    t.running.deps.bookings.setStatus(b.id, ADMIN, "no_show");
    audit(t.running.deps.db, {
      at: t.clock.now(),
      actorId: 900,
      entity: "settings",
      action: "update",
      field: "welcome_text",
      oldValue: "Hi",
      newValue: `<script>${"x".repeat(300)}`,
    });
    await step(t, owner, () => owner.sendText("/admin"));
    await step(t, owner, () => owner.press("Audit log"));
    let text = owner.lastMessage()!.text!;
    assert.match(
      text,
      /👤 Owner \(@boss\)\n<b>booking<\/b> #2 · changed\nstatus: <code>confirmed<\/code> → <code>missed<\/code>/,
    );
    assert.match(
      text,
      /👤 Анна\n<b>booking<\/b> #1 · created\n— → <code>service: Haircut, specialist: Мастер, time: 02\/12\/2026, 10:00, client's name: Анна Петрова/,
    );
    assert.match(text, /welcome_text: <code>Hi<\/code> → <code>&lt;script&gt;x+…<\/code>/);
    assert.match(text, /01\/12\/2026, 09:00/, "local time");
    assert.match(text, /👤 system\n<b>service<\/b> #4 · created\n— → <code>name: Consultation, /);

    assert.match(text, /Page 1 of 2/);
    text = (await step(t, owner, () => owner.press("▶️"))).text!;
    assert.match(text, /Page 2 of 2/);
    assert.match(text, /<b>service<\/b> #1 · created\n— → <code>name: Haircut, /);
    assert.match(
      text,
      /<b>admin<\/b> #900 · made owner \(ADMIN_IDS\)\nrole: — → <code>owner<\/code>/,
    );

    await step(t, owner, () => owner.press("Booking #"));
    await step(t, owner, () => owner.sendText("abc"));
    assert.match(owner.lastMessage()!.text!, /Please send a number/);
    await step(t, owner, () => owner.sendText(String(a.id)));
    text = owner.lastMessage()!.text!;
    assert.match(text, /Filter: booking #1/);
    assert.match(text, /<b>booking<\/b> #1 · created/);
    assert.doesNotMatch(text, /#2/);

    await step(t, owner, () => owner.press("Reset filters"));
    await step(t, owner, () => owner.press("Entity"));
    await step(t, owner, () => owner.press("service"));
    text = owner.lastMessage()!.text!;
    assert.match(text, /Filter: service/);
    assert.doesNotMatch(text, /<b>booking<\/b>/);

    await step(t, owner, () => owner.press("Reset filters"));
    await step(t, owner, () => owner.press("Who"));
    await step(t, owner, () => owner.press(/Owner \(@boss\)/));
    text = owner.lastMessage()!.text!;
    assert.match(text, /Filter: by Owner \(@boss\)/);
    assert.match(text, /#2 · changed/);
    assert.doesNotMatch(text, /#1 · created/, "created by the client, not the owner");
  } finally {
    await t.close();
  }
});

Deno.test("e2e: a client pressing forged insight buttons is refused", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const { anna } = await seed(t);
    const before = anna.messages().length;
    for (
      const data of [
        "at:week:2026-12-01",
        "af:v:0:all:-:-:0",
        "af:dates:0:all:-:-:0",
        "al:v:all:0:0:0",
        "al:bid:all:0:0:0",
        "ad:stats",
        "ad:audit",
      ]
    ) {
      anna.pressData(data);
      await t.idle();
    }
    const answers = anna.callbackAnswers();
    assert.equal(answers.length, 7);
    for (const answer of answers) {
      assert.equal(answer.show_alert, true);
      assert.match(answer.text ?? "", /только для администраторов/);
    }
    assert.equal(anna.messages().length, before, "nothing shown");
    assert.equal(t.fake.callsOf("sendPhoto").length, 0);
    // The dates input was not opened: a text goes to the normal flow.
    anna.sendText("01.12.2026");
    await t.idle();
    assert.doesNotMatch(anna.lastMessage()!.text ?? "", /dates|даты/);
  } finally {
    await t.close();
  }
});
