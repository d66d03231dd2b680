/**
 * Statistics for any period (all time, a typed range compared with the previous period of the
 * same length), the peak-hours heat map, the booking funnel counted from real client journeys,
 * and the new /metrics series. Buttons are pressed by their labels; texts are Russian.
 */
import assert from "node:assert/strict";
import { prepareCharts } from "../../src/ops/chart.ts";
import { pngSize } from "../../src/ui/chart.ts";
import { funnelOf } from "../../src/services/funnel.ts";
import type { BotMessage, FakeUser } from "../support/fake_bot_api.ts";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";

const OWNER = 900;
const msk = (local: string) => Date.parse(`${local}:00+03:00`);

/** Sends or presses, then waits for the bot's next message (a photo when `photo`). */
async function act(
  t: TestBot,
  user: FakeUser,
  action: () => void,
  photo = false,
): Promise<BotMessage> {
  const next = user.nextMessage(photo ? (m) => m.kind === "photo" : undefined, 15_000);
  try {
    action();
  } catch (error) {
    next.catch(() => {});
    throw error;
  }
  const message = await next;
  await t.idle();
  return message;
}

/**
 * Bookings written straight into the table (past dates cannot be booked through the bot):
 * 2 in August (the period before the range), 5 from September to November of which one is
 * cancelled and one soft-deleted, and 1 in December (after the range).
 */
function seedHistory(t: TestBot): void {
  const db = t.running.deps.db;
  const insert = db.prepare(
    `INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name, phone,
       status, deleted_at, created_at, updated_at)
     VALUES (101, 1, 1, ?, ?, 'Анна', '+79161234567', ?, ?, 0, 0)`,
  );
  const add = (local: string, status = "completed", deleted: number | null = null) =>
    insert.run(msk(local), msk(local) + 3_600_000, status, deleted);
  add("2026-08-10T10:00");
  add("2026-08-20T10:00");
  add("2026-09-02T10:00"); // Wednesday 10:00
  add("2026-09-09T10:00"); // Wednesday 10:00
  add("2026-10-15T15:00"); // Thursday 15:00
  add("2026-11-03T11:00", "cancelled"); // Tuesday: not in the peak hours
  add("2026-11-10T12:00", "completed", msk("2026-11-11T09:00")); // deleted
  add("2026-12-02T10:00", "active");
}

async function ownerAtStats(t: TestBot): Promise<{ owner: FakeUser; photo: BotMessage }> {
  const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
  await act(t, owner, () => owner.sendText("/start"));
  t.fake.user(101, { first_name: "Анна", language_code: "ru" }).sendText("/start");
  await t.idle();
  seedHistory(t);
  await act(t, owner, () => owner.sendText("/admin"));
  const photo = await act(t, owner, () => owner.press("Статистика"), true);
  return { owner, photo };
}

Deno.test("e2e: all-time and typed-range statistics, with the previous period and deleted bookings", async () => {
  await prepareCharts();
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const { owner, photo } = await ownerAtStats(t);
    assert.match(photo.caption!, /Удалённых: 0/);
    assert.match(photo.caption!, /синим состоявшиеся и предстоящие, розовым отменённые/);

    const all = await act(t, owner, () => owner.press("Всё время"), true);
    assert.match(all.caption!, /Статистика за всё время<\/b> \(10 авг\. – 2 дек\. 2026/);
    // 8 rows, the deleted one is counted apart; no comparison for all time.
    assert.match(all.caption!, /Записей: <b>7<\/b>\n/);
    assert.match(all.caption!, /Отменённых: 1\n/);
    assert.match(all.caption!, /Удалённых: 1\n/);
    assert.match(all.caption!, /записи по месяцам/, "four months: a bar per month");
    assert.deepEqual(pngSize(all.photo!.bytes!), { width: 960, height: 480 });

    const ask = await act(t, owner, () => owner.press("Свой период"));
    assert.match(ask.text!, /Пришлите период двумя датами/);
    await act(t, owner, () => owner.sendText("сентябрь"));
    assert.match(owner.lastMessage()!.text!, /Нужна дата[\s\S]*01\.09\.2026-30\.11\.2026/);
    const range = await act(t, owner, () => owner.sendText("01.09.2026-30.11.2026"), true);
    const caption = range.caption!;
    assert.match(caption, /Статистика: 1 сент\. – 30 нояб\. 2026/);
    // September–November: 4 kept or cancelled, 1 deleted; June–August (91 days before): 2.
    assert.match(caption, /Записей: <b>4<\/b> \(\+100% к предыдущему периоду той же длины\)/);
    assert.match(caption, /Завершённых: 3\n/);
    assert.match(caption, /Отменённых: 1\n/);
    assert.match(caption, /Удалённых: 1\n/);
    assert.match(caption, /записи по месяцам/);

    // ◀️ moves by the same length: 2 June – 31 August holds the two August bookings.
    const before = await act(t, owner, () => owner.press("◀️"), true);
    assert.match(before.caption!, /2 июн\. – 31 авг\. 2026/);
    assert.match(before.caption!, /Записей: <b>2<\/b>/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e: peak hours arrive as a PNG heat map of kept bookings over the chosen period", async () => {
  await prepareCharts();
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const { owner } = await ownerAtStats(t);
    await act(t, owner, () => owner.press("Свой период"));
    await act(t, owner, () => owner.sendText("01.09.2026-30.11.2026"), true);
    const heat = await act(t, owner, () => owner.press("Часы пик"), true);
    const png = heat.photo!.bytes!;
    assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(pngSize(png), { width: 960, height: 480 });
    assert.equal(heat.photo!.file_name, "heatmap.png");
    assert.match(heat.caption!, /Часы пик: 1 сент\. – 30 нояб\. 2026/);
    // The cancelled Tuesday and the deleted booking are left out: 3 kept bookings.
    assert.match(heat.caption!, /без отменённых\. Всего: 3\./);
    assert.match(heat.caption!, /Больше всего записей: ср, 10:00 — 2\./);
    assert.equal(owner.messages().filter((m) => m.kind === "photo").length, 1, "replaced");

    const back = await act(t, owner, () => owner.press("К статистике"), true);
    assert.match(back.caption!, /Статистика: 1 сент\. – 30 нояб\. 2026/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

/** Steps a client journey can stop after. */
type Stop = "started" | "service" | "slot" | "contact" | "confirmed";

/** One client journey through the real buttons, stopping after `stop`. */
async function journey(t: TestBot, id: number, slot: string, stop: Stop): Promise<void> {
  const u = t.fake.user(id, { first_name: `Клиент${id}`, language_code: "ru" });
  await act(t, u, () => u.sendText("/start"));
  await act(t, u, () => u.press("Записаться"));
  if (stop === "started") return;
  await act(t, u, () => u.press("Haircut"));
  if (stop === "service") return;
  if (id === 210) {
    // Back to the services and the same choice again: still one journey at each step.
    await act(t, u, () => u.press("Назад"));
    await act(t, u, () => u.press("Haircut"));
  }
  await act(t, u, () => u.press((b) => b.data === "bd:2026-12-02"));
  await act(t, u, () => u.press(slot));
  if (stop === "slot") return;
  await act(t, u, () => u.sendText("Ирина Смирнова"));
  await act(t, u, () => u.sendContact(`+7916123${String(id).padStart(4, "0")}`));
  if (stop === "contact") return;
  await act(t, u, () => u.press("Подтвердить"));
}

Deno.test("e2e: the funnel counts 10 scripted journeys (4 abandoned) and shows conversion and drop-off", async () => {
  await prepareCharts();
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const plan: Stop[] = [
      "confirmed",
      "started",
      "confirmed",
      "service",
      "confirmed",
      "slot",
      "confirmed",
      "contact",
      "confirmed",
      "confirmed",
    ];
    const slots = ["09:00", "10:00", "11:00", "12:00", "14:00", "15:00", "16:00", "17:00"];
    let next = 0;
    for (const [i, stop] of plan.entries()) {
      const slot = stop === "started" || stop === "service" ? "" : slots[next++];
      await journey(t, 201 + i, slot, stop);
    }
    assert.equal(t.running.deps.db.prepare("SELECT count(*) AS n FROM bookings").get()!.n, 6);

    const today = Temporal.PlainDate.from("2026-12-01");
    assert.deepEqual(funnelOf(t.running.deps.db, today, today), {
      started: 10,
      service: 9,
      slot: 8,
      contact: 7,
      confirmed: 6,
    });
    // No text is stored: the table holds a day, a step and a count.
    const columns = t.running.deps.db.prepare("SELECT name FROM pragma_table_info('funnel_daily')")
      .all().map((r) => String(r.name));
    assert.deepEqual(columns, ["day", "step", "count"]);

    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await act(t, owner, () => owner.sendText("/admin"));
    const stats = await act(t, owner, () => owner.press("Статистика"), true);
    assert.match(stats.caption!, /Конверсия записи: <b>60%<\/b> \(начали 10, подтвердили 6\)/);
    const funnel = await act(t, owner, () => owner.press("Воронка"));
    const text = funnel.text!;
    assert.match(text, /Воронка записи: 30 нояб\. – 6 дек\. 2026/);
    assert.match(text, /1\. Начали запись: <b>10<\/b>\n/);
    assert.match(text, /2\. Выбрали услугу: <b>9<\/b> · 90% от начавших · отсеялось 10%/);
    assert.match(text, /3\. Выбрали время: <b>8<\/b> · 80% от начавших · отсеялось 11%/);
    assert.match(text, /4\. Оставили контакт: <b>7<\/b> · 70% от начавших · отсеялось 13%/);
    assert.match(text, /5\. Подтвердили: <b>6<\/b> · 60% от начавших · отсеялось 14%/);
    assert.match(text, /Конверсия \(начали → подтвердили\): <b>60%<\/b>/);
    // Another week has no journeys.
    await act(t, owner, () => owner.press("К статистике"), true);
    await act(t, owner, () => owner.press("◀️"), true);
    const empty = await act(t, owner, () => owner.press("Воронка"));
    assert.match(empty.text!, /никто не начинал запись/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e: /metrics shows handling time, error rate, sizes, CPU, memory, disk and uptime", async () => {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const t = await startTestBot({ env: { HEALTH_PORT: String(port), HEALTH_HOST: "127.0.0.1" } });
  try {
    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    await act(t, anna, () => anna.sendText("/start"));
    await act(t, anna, () => anna.press("Записаться"));
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (name: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${name} `));
      assert.ok(line, `missing ${name}\n${text}`);
      return Number(line.split(" ")[1]);
    };
    assert.match(text, /# TYPE update_handling_duration_seconds histogram/);
    assert.equal(value("update_handling_duration_seconds_count"), 2);
    assert.match(text, /update_handling_duration_seconds_bucket\{le="\+Inf"\} 2/);
    assert.equal(value("update_error_ratio"), 0);
    assert.ok(value("database_size_bytes") > 10_000);
    assert.ok(value("backups_size_bytes") >= 0);
    assert.ok(value("backups_count") >= 0);
    assert.ok(value("process_cpu_seconds_total") > 0);
    assert.ok(value("process_resident_memory_bytes") > 1_000_000);
    assert.ok(value("disk_free_bytes") > 0);
    assert.ok(value("process_uptime_seconds") >= 0);
  } finally {
    await t.close();
  }
});
