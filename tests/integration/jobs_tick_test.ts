/**
 * The job tick against a real SQLite file and the fake Bot API, driven by a FakeClock: the
 * sender's sleep advances the clock, so nothing here waits for real time.
 */
import assert from "node:assert/strict";
import { Api } from "grammy";
import { parseConfig } from "../../src/config.ts";
import { loadCatalogs } from "../../src/ui/i18n.ts";
import type { BotDeps } from "../../src/deps.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { getBooking, insertBooking } from "../../src/db/bookings_repo.ts";
import type { Db } from "../../src/db/connection.ts";
import { insertService } from "../../src/db/services_repo.ts";
import { setStaffUser } from "../../src/db/staff_links_repo.ts";
import { insertStaff } from "../../src/db/staff_repo.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { getUser, upsertUser } from "../../src/db/users_repo.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { checkDatabaseFile, createBackup, listBackups } from "../../src/ops/backup.ts";
import { type Logger, nullLogger } from "../../src/ops/log.ts";
import { createBotMetrics } from "../../src/ops/metrics.ts";
import { BookingService } from "../../src/services/booking_service.ts";
import type { JobDeps } from "../../src/jobs/context.ts";
import { JOB_NAMES, runJobOnce } from "../../src/jobs/run_once.ts";
import { createJobContext, runJob, runTick, startJobs } from "../../src/jobs/scheduler.ts";
import { claimDue, outboxOfBooking } from "../../src/db/outbox_repo.ts";
import { OUTBOX_LEASE_MS } from "../../src/jobs/outbox.ts";
import { FakeBotApi } from "../support/fake_bot_api.ts";
import { DepositService } from "../../src/services/deposit_service.ts";
import { CatalogService } from "../../src/services/catalog_service.ts";
import { ScheduleService } from "../../src/services/schedule_service.ts";
import { FunnelService } from "../../src/services/funnel.ts";
import { ProfileService } from "../../src/services/profile_service.ts";
import { ClientNotesService } from "../../src/services/client_notes.ts";
import { WaitlistService } from "../../src/services/waitlist.ts";
import { AdminBookingsService } from "../../src/services/admin_bookings.ts";
import { FeedbackService } from "../../src/services/feedback.ts";
import { UsersService } from "../../src/services/users.ts";
import { MasterService } from "../../src/services/masters.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TOKEN = "123456:TEST";

interface Fixture {
  fake: FakeBotApi;
  clock: FakeClock;
  db: Db;
  deps: JobDeps;
  api: Api;
  dataDir: string;
  config: ReturnType<typeof parseConfig>;
  ctx: ReturnType<typeof createJobContext>;
  /** Every sleep of the sender, in ms (the fake clock moved by as much). */
  sleeps: number[];
  /** Called on each sleep (e.g. to end injected faults). */
  onSleep?: (ms: number) => void;
  tick(): ReturnType<typeof runTick>;
  /** Texts the bot sent to `chatId` (deleted ones too), oldest first. */
  sent(chatId: number): string[];
  close(): Promise<void>;
}

async function setup(
  options: { now: string; timeZone?: string; env?: Record<string, string> },
): Promise<Fixture> {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-jobs-" });
  const config = parseConfig({
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATA_DIR: dataDir,
    BUSINESS_TIMEZONE: options.timeZone ?? "Europe/Moscow",
    HEALTH_PORT: "0",
    ...options.env,
  });
  const clock = new FakeClock(Date.parse(options.now));
  const db = openMigrated(config.dbPath, clock.now());
  const deps: JobDeps = {
    db,
    clock,
    catalogs: loadCatalogs(),
    logger: nullLogger,
    metrics: createBotMetrics(),
  };
  const api = new Api(TOKEN, { apiRoot: fake.apiRoot });
  const fixture: Fixture = {
    fake,
    clock,
    db,
    deps,
    api,
    dataDir,
    config,
    sleeps: [],
    ctx: undefined as unknown as Fixture["ctx"],
    tick: () => runTick(fixture.ctx),
    sent: (chatId) =>
      fake.callsOf("sendMessage")
        .filter((c) => c.response.ok && Number(c.payload.chat_id) === chatId)
        .map((c) => String(c.payload.text)),
    async close() {
      fixture.ctx.sender.close();
      db.close();
      await fake.stop();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
  fixture.ctx = createJobContext({
    config,
    deps,
    api,
    track: true,
    sleep: (ms) => {
      fixture.sleeps.push(ms);
      clock.advance(ms);
      fixture.onSleep?.(ms);
      return Promise.resolve();
    },
  });
  return fixture;
}

const past = Date.parse("2026-11-20T09:00:00Z");

function addUser(db: Db, id: number, language_code = "ru"): void {
  upsertUser(db, { id, first_name: `User${id}`, language_code }, past);
}

function addService(db: Db, name = "Haircut"): number {
  return insertService(db, {
    name,
    description: "",
    durationMinutes: 60,
    priceMinor: 150000,
    displayOrder: 0,
    isActive: true,
  }, past);
}

function book(
  db: Db,
  serviceId: number,
  userId: number,
  startIso: string,
  options: { minutes?: number; createdAt?: number } = {},
): number {
  const start = Date.parse(startIso);
  return insertBooking(db, {
    userId,
    serviceId,
    staffId: 1,
    start,
    end: start + (options.minutes ?? 60) * MINUTE,
    clientName: `Client ${userId}`,
    phone: "+79161234567",
  }, options.createdAt ?? past);
}

function buttonsOf(payload: Record<string, unknown>): { text: string; callback_data: string }[] {
  const markup = payload.reply_markup as
    | { inline_keyboard: { text: string; callback_data: string }[][] }
    | undefined;
  return markup ? markup.inline_keyboard.flat() : [];
}

Deno.test("jobs: downtime across 10:00, then start: day-before reminders sent once", async () => {
  const f = await setup({ now: "2026-12-01T06:59:00Z" }); // Tue 09:59 Moscow
  try {
    const service = addService(f.db);
    for (const id of [101, 102, 103, 104]) addUser(f.db, id);
    const a = book(f.db, service, 101, "2026-12-02T09:00:00Z"); // Wed 12:00 Moscow
    const b = book(f.db, service, 102, "2026-12-02T12:00:00Z"); // Wed 15:00
    // Made on Tuesday at 11:00, after the reminder moment: the confirmation is enough.
    book(f.db, service, 103, "2026-12-02T14:00:00Z", {
      createdAt: Date.parse("2026-12-01T08:00:00Z"),
    });
    book(f.db, service, 104, "2026-12-03T09:00:00Z"); // Thursday: not yet

    await f.tick();
    assert.equal(f.fake.callsOf("sendMessage").length, 0, "nothing before 10:00");

    f.clock.set("2026-12-01T10:00:00Z"); // the bot was down until 13:00 Moscow
    await f.tick();
    const toA = f.sent(101);
    assert.equal(toA.length, 1);
    assert.match(toA[0], /Напоминание: ваш визит завтра в 12:00/);
    assert.match(toA[0], /Haircut/);
    assert.match(
      toA[0],
      /Придёте\? Нажмите «Приду»\. Если планы изменились, напишите администратору/,
    );
    const call = f.fake.callsOf("sendMessage").find((c) => Number(c.payload.chat_id) === 101)!;
    // 23 h before the visit, past the 24-hour cutoff: no move/cancel that can only fail, but
    // a message to the administrator (issue 11).
    assert.deepEqual(buttonsOf(call.payload).map((x) => x.callback_data), [
      `ic:${a}`,
      `wa:${a}`,
    ]);
    assert.equal(f.sent(102).length, 1);
    assert.equal(f.sent(103).length, 0);
    assert.equal(f.sent(104).length, 0);
    assert.ok(getBooking(f.db, a)!.reminderDaySentAt !== null);
    assert.ok(getBooking(f.db, b)!.reminderDaySentAt !== null);
    assert.equal(f.deps.metrics.remindersSentTotal.get({ kind: "day" }), 2);

    f.clock.advance(MINUTE);
    await f.tick();
    f.clock.advance(3 * HOUR);
    await f.tick();
    assert.equal(f.fake.callsOf("sendMessage").length, 2, "no duplicate");
    // The reminder is tracked for the cleanup job like every message with buttons.
    const tracked = f.db.prepare("SELECT count(*) AS n FROM bot_messages").get()!.n;
    assert.equal(tracked, 2);
  } finally {
    await f.close();
  }
});

Deno.test("jobs: the one-hour reminder, once, in the user's language", async () => {
  const f = await setup({ now: "2026-12-01T06:59:00Z" }); // 09:59 Moscow
  try {
    const service = addService(f.db);
    addUser(f.db, 201, "en");
    const id = book(f.db, service, 201, "2026-12-01T08:00:00Z"); // 11:00 Moscow
    await f.tick();
    assert.equal(f.sent(201).length, 0, "the day-before reminder is not sent an hour before");
    f.clock.set("2026-12-01T07:00:00Z");
    await f.tick();
    const texts = f.sent(201);
    assert.equal(texts.length, 1);
    assert.match(texts[0], /See you soon: your visit starts at 11:00/);
    const call = f.fake.callsOf("sendMessage")[0];
    assert.deepEqual(buttonsOf(call.payload).map((b) => b.text), [
      "✅ I'm coming",
      "✉️ Write to the administrator",
    ]);
    f.clock.set("2026-12-01T07:30:00Z");
    await f.tick();
    assert.equal(f.sent(201).length, 1);
    assert.equal(f.deps.metrics.remindersSentTotal.get({ kind: "hour" }), 1);
    assert.ok(getBooking(f.db, id)!.reminderHourSentAt !== null);
  } finally {
    await f.close();
  }
});

Deno.test("jobs: a sender that died after its claim: the row goes out when the lease runs out, once", async () => {
  const f = await setup({ now: "2026-12-01T07:00:00Z" });
  try {
    const service = addService(f.db);
    addUser(f.db, 301);
    addUser(f.db, 302);
    const first = book(f.db, service, 301, "2026-12-02T09:00:00Z");
    book(f.db, service, 302, "2026-12-02T11:00:00Z");
    await runJob(f.ctx, "reminders");
    assert.equal(f.fake.callsOf("sendMessage").length, 0, "enqueued, not sent yet");
    // Another sender claims the first row and dies (kill -9) before marking it.
    const [claimed] = claimDue(f.db, f.clock.now(), OUTBOX_LEASE_MS, 1);
    assert.equal(claimed.bookingId, first);

    await f.tick();
    assert.equal(f.sent(301).length, 0, "leased by the dead sender");
    assert.equal(f.sent(302).length, 1);
    f.clock.advance(OUTBOX_LEASE_MS);
    await f.tick();
    assert.equal(f.sent(301).length, 1, "owed, so delivered after the lease ran out");
    f.clock.advance(MINUTE);
    await f.tick();
    assert.deepEqual([f.sent(301).length, f.sent(302).length], [1, 1], "each once");
    assert.deepEqual(outboxOfBooking(f.db, first).map((r) => [r.outcome, r.attempts]), [
      ["sent", 2],
    ]);
  } finally {
    await f.close();
  }
});

Deno.test("jobs: a bug while sending one row does not stop the others; that row is retried", async () => {
  const f = await setup({ now: "2026-12-01T07:00:00Z" });
  try {
    const service = addService(f.db);
    addUser(f.db, 303);
    addUser(f.db, 304);
    book(f.db, service, 303, "2026-12-02T09:00:00Z");
    book(f.db, service, 304, "2026-12-02T11:00:00Z");
    let crash = true;
    f.api.config.use((prev, method, payload, signal) => {
      if (crash && method === "sendMessage") {
        crash = false;
        throw new Error("simulated bug after the claim, before the request");
      }
      return prev(method, payload, signal);
    });
    const report = await f.tick();
    assert.equal(report.outbox?.failed, 1);
    assert.equal(f.sent(303).length, 0);
    assert.equal(f.sent(304).length, 1);
    f.clock.advance(MINUTE);
    await f.tick();
    f.clock.advance(MINUTE);
    await f.tick();
    assert.deepEqual([f.sent(303).length, f.sent(304).length], [1, 1]);
  } finally {
    await f.close();
  }
});

Deno.test("jobs: Telegram 5xx until giving up releases the claim; the next tick delivers once", async () => {
  const f = await setup({ now: "2026-12-01T07:00:00Z" });
  try {
    const service = addService(f.db);
    addUser(f.db, 311);
    const id = book(f.db, service, 311, "2026-12-02T09:00:00Z");
    f.fake.setFaults({ failRate: 1, kinds: ["500"] });
    await f.tick();
    assert.deepEqual(f.sleeps.filter((ms) => ms >= 2000), [2000, 4000, 8000, 16000]);
    assert.equal(f.sent(311).length, 0);
    assert.ok(getBooking(f.db, id)!.reminderDaySentAt !== null, "enqueued once");
    const [row] = outboxOfBooking(f.db, id);
    assert.deepEqual([row.outcome, row.leasedUntil], [null, null], "given back, still owed");
    f.fake.resetFaults();
    f.clock.advance(MINUTE);
    await f.tick();
    await f.tick();
    assert.equal(f.sent(311).length, 1);
  } finally {
    await f.close();
  }
});

Deno.test("jobs: DST in Europe/Berlin: the day-before reminder is at 10:00 local", async (t) => {
  await t.step("spring forward (visit on Sunday 28 March 2027, 09:00 CEST)", async () => {
    const f = await setup({ now: "2027-03-27T08:59:00Z", timeZone: "Europe/Berlin" });
    try {
      const service = addService(f.db);
      addUser(f.db, 401);
      book(f.db, service, 401, "2027-03-28T07:00:00Z");
      await f.tick(); // 09:59 CET
      assert.equal(f.sent(401).length, 0);
      f.clock.set("2027-03-27T09:00:00Z"); // 10:00 CET
      await f.tick();
      assert.equal(f.sent(401).length, 1);
      assert.match(f.sent(401)[0], /завтра в 09:00/);
      // The one-hour reminder: 08:00 CEST = 06:00Z on Sunday.
      f.clock.set("2027-03-28T05:59:00Z");
      await f.tick();
      assert.equal(f.sent(401).length, 1);
      f.clock.set("2027-03-28T06:00:00Z");
      await f.tick();
      assert.equal(f.sent(401).length, 2);
    } finally {
      await f.close();
    }
  });
  await t.step("fall back (visit on Sunday 25 October 2026, 09:00 CET)", async () => {
    const f = await setup({ now: "2026-10-24T07:59:00Z", timeZone: "Europe/Berlin" });
    try {
      const service = addService(f.db);
      addUser(f.db, 402);
      book(f.db, service, 402, "2026-10-25T08:00:00Z", {
        createdAt: Date.parse("2026-10-01T08:00:00Z"),
      });
      await f.tick(); // 09:59 CEST
      assert.equal(f.sent(402).length, 0);
      f.clock.set("2026-10-24T08:00:00Z"); // 10:00 CEST
      await f.tick();
      assert.equal(f.sent(402).length, 1);
      assert.match(f.sent(402)[0], /завтра в 09:00/);
      f.clock.set("2026-10-25T06:59:00Z"); // 07:59 CET
      await f.tick();
      assert.equal(f.sent(402).length, 1);
      f.clock.set("2026-10-25T07:00:00Z"); // 08:00 CET
      await f.tick();
      assert.equal(f.sent(402).length, 2);
    } finally {
      await f.close();
    }
  });
});

Deno.test("jobs: a user who blocked the bot is marked, not retried; others still get theirs", async () => {
  const f = await setup({ now: "2026-12-01T07:00:00Z" });
  try {
    const service = addService(f.db);
    addUser(f.db, 501);
    addUser(f.db, 502);
    book(f.db, service, 501, "2026-12-02T09:00:00Z");
    book(f.db, service, 502, "2026-12-02T11:00:00Z");
    f.fake.blockUser(501);
    await f.tick();
    assert.equal(f.fake.stats.blocked403, 1);
    assert.ok(getUser(f.db, 501)!.blockedAt !== null, "marked blocked");
    assert.equal(f.sent(502).length, 1);
    assert.equal(f.sleeps.filter((ms) => ms >= 2000).length, 0, "no retry of a 403");
    // The one-hour reminders: the blocked user is skipped without asking Telegram again.
    f.clock.set("2026-12-02T08:00:00Z");
    await f.tick();
    f.clock.set("2026-12-02T10:00:00Z");
    await f.tick();
    assert.equal(f.fake.stats.blocked403, 1);
    assert.equal(f.sent(502).length, 2);
  } finally {
    await f.close();
  }
});

Deno.test("jobs: 429 with retry_after: the sender waits and the message arrives once", async () => {
  const f = await setup({ now: "2026-12-01T07:00:00Z" });
  try {
    const service = addService(f.db);
    addUser(f.db, 601);
    book(f.db, service, 601, "2026-12-02T09:00:00Z");
    f.fake.setFaults({ failRate: 1, kinds: ["429"], retryAfter: 3 });
    f.onSleep = () => f.fake.resetFaults(); // the flood wait ends after the first pause
    await f.tick();
    assert.equal(f.fake.stats.injected["429"], 1);
    assert.deepEqual(f.sleeps, [3000]);
    assert.equal(f.sent(601).length, 1);
  } finally {
    await f.close();
  }
});

Deno.test("jobs: completion at the end, feedback request one hour later, once", async () => {
  const f = await setup({ now: "2026-12-01T07:59:00Z" }); // 10:59 Moscow
  try {
    const service = addService(f.db);
    addUser(f.db, 701);
    addUser(f.db, 702);
    const id = book(f.db, service, 701, "2026-12-01T07:00:00Z"); // 10:00-11:00 Moscow
    // A visit of three days ago, found after a long downtime: completed, but no late request.
    const old = book(f.db, service, 702, "2026-11-28T07:00:00Z");
    await f.tick();
    assert.equal(getBooking(f.db, id)!.status, "active");
    assert.equal(getBooking(f.db, old)!.status, "completed");

    f.clock.set("2026-12-01T08:00:00Z"); // 11:00: the visit ended
    await f.tick();
    assert.equal(getBooking(f.db, id)!.status, "completed");
    const audit = listAudit(f.db, { entity: "booking", entityId: id, limit: 5, offset: 0 }).rows;
    assert.equal(audit[0].actorId, null);
    assert.equal(audit[0].newValue, "completed");
    assert.equal(f.sent(701).filter((t) => /Спасибо/.test(t)).length, 0);

    f.clock.set("2026-12-01T08:59:00Z");
    await f.tick();
    assert.equal(f.sent(701).filter((t) => /Спасибо/.test(t)).length, 0);
    f.clock.set("2026-12-01T09:00:00Z"); // end + 1 h
    await f.tick();
    const requests = f.sent(701).filter((t) => /Спасибо, что были у нас/.test(t));
    assert.equal(requests.length, 1);
    const call = f.fake.callsOf("sendMessage").find((c) => Number(c.payload.chat_id) === 701)!;
    assert.deepEqual(
      buttonsOf(call.payload).map((b) => b.callback_data),
      [1, 2, 3, 4, 5].map((s) => `fr:${id}:${s}`),
    );
    f.clock.advance(HOUR);
    await f.tick();
    assert.equal(f.sent(701).length, 1, "once");
    assert.equal(f.sent(702).length, 0, "no request for an old visit");
  } finally {
    await f.close();
  }
});

Deno.test("jobs: the admins' agenda, once a day, sent late after downtime", async () => {
  const f = await setup({ now: "2026-12-01T04:59:00Z" }); // Tue 07:59 Moscow
  try {
    const service = addService(f.db);
    addUser(f.db, 801);
    addUser(f.db, 910, "en");
    upsertAdmin(f.db, 900, "owner", null, past);
    upsertAdmin(f.db, 910, "viewer", 900, past);
    book(f.db, service, 801, "2026-12-01T07:00:00Z"); // 10:00
    book(f.db, service, 801, "2026-12-01T12:30:00Z"); // 15:30
    const cancelled = book(f.db, service, 801, "2026-12-01T14:00:00Z");
    f.db.prepare("UPDATE bookings SET status = 'cancelled' WHERE id = ?").run(cancelled);
    book(f.db, service, 801, "2026-12-02T07:00:00Z"); // tomorrow

    await f.tick();
    assert.equal(f.sent(900).length, 0, "not before 08:00");

    f.clock.set("2026-12-01T12:00:00Z"); // back at 15:00
    await f.tick();
    const owner = f.sent(900);
    assert.equal(owner.length, 1);
    assert.match(owner[0], /Записи на сегодня/);
    assert.match(owner[0], /Записей: 2/);
    assert.match(owner[0], /<b>10:00–11:00<\/b> Haircut — Client 801, \+79161234567/);
    assert.match(owner[0], /<b>15:30–16:30<\/b>/);
    assert.doesNotMatch(owner[0], /17:00/, "cancelled ones are left out");
    assert.match(f.sent(910)[0], /Today's bookings/);

    f.clock.advance(HOUR);
    await f.tick();
    assert.equal(f.sent(900).length, 1, "once a day");
    assert.ok(
      f.db.prepare("SELECT 1 FROM job_marks WHERE kind = 'agenda' AND key = '2026-12-01'").get(),
    );

    f.clock.set("2026-12-02T05:00:00Z"); // Wednesday 08:00
    await f.tick();
    assert.equal(f.sent(900).length, 2);
    assert.match(f.sent(900)[1], /Записей: 1/);
  } finally {
    await f.close();
  }
});

Deno.test("jobs: a master linked in Telegram gets their own agenda; an admin master one agenda", async () => {
  const f = await setup({ now: "2026-12-01T05:00:00Z" }); // Tue 08:00 Moscow
  try {
    const service = addService(f.db);
    for (const id of [801, 950, 951]) addUser(f.db, id);
    upsertAdmin(f.db, 951, "owner", null, past);
    const olga = insertStaff(f.db, "Ольга", past);
    setStaffUser(f.db, olga, 950, past);
    setStaffUser(f.db, 1, 951, past);
    book(f.db, service, 801, "2026-12-01T07:00:00Z"); // 10:00, master 1
    const hers = book(f.db, service, 801, "2026-12-01T09:00:00Z"); // 12:00
    f.db.prepare("UPDATE bookings SET staff_id = ? WHERE id = ?").run(olga, hers);

    await f.tick();
    const own = f.sent(950);
    assert.equal(own.length, 1);
    assert.match(own[0], /Записей: 1/);
    assert.match(own[0], /<b>12:00–13:00<\/b> Haircut — Client 801/);
    assert.doesNotMatch(own[0], /10:00/, "only her own bookings");
    assert.equal(f.sent(951).length, 1, "an owner who is a master gets the full agenda once");
    assert.match(f.sent(951)[0], /Записей: 2/);
    f.clock.advance(HOUR);
    await f.tick();
    assert.equal(f.sent(950).length, 1, "once a day");
  } finally {
    await f.close();
  }
});

Deno.test("jobs: cleanup deletes tracked messages after 47 h, ignores failures, spares older ones", async () => {
  const f = await setup({ now: "2026-12-01T06:00:00Z" });
  try {
    const keyboard = { inline_keyboard: [[{ text: "x", callback_data: "n" }]] };
    const sent = await f.api.sendMessage(1001, "with buttons", { reply_markup: keyboard });
    await f.api.sendMessage(1001, "no buttons (not tracked)");
    // A message the user deleted already, and one older than Telegram's 48-hour limit.
    const now = f.clock.now();
    f.db.prepare("INSERT INTO bot_messages (chat_id, message_id, sent_at) VALUES (?, ?, ?)")
      .run(1001, 9999, now);
    f.db.prepare("INSERT INTO bot_messages (chat_id, message_id, sent_at) VALUES (?, ?, ?)")
      .run(1002, 1, now - 49 * HOUR);

    f.clock.advance(46 * HOUR);
    await f.tick();
    assert.equal(f.fake.callsOf("deleteMessage").length, 0, "too young");

    f.clock.advance(HOUR);
    await f.tick();
    const deletes = f.fake.callsOf("deleteMessage");
    assert.deepEqual(
      deletes.map((c) => [Number(c.payload.chat_id), Number(c.payload.message_id)]).sort(),
      [[1001, 9999], [1001, sent.message_id]].sort(),
    );
    assert.ok(f.fake.getMessage(1001, sent.message_id)!.deleted);
    const pending = f.db.prepare(
      "SELECT chat_id, message_id FROM bot_messages WHERE deleted_at IS NULL",
    ).all();
    assert.deepEqual(pending.map((r) => Number(r.chat_id)), [1002], "only the too-old one");

    f.clock.advance(HOUR);
    await f.tick();
    assert.equal(f.fake.callsOf("deleteMessage").length, 2, "not retried");
  } finally {
    await f.close();
  }
});

Deno.test("jobs: a verified backup when due, none when not, old ones pruned", async () => {
  const f = await setup({
    now: "2026-12-01T06:00:00Z",
    // The earlier variable name still works (an alias of BACKUP_INTERVAL_MINUTES=1440).
    env: { BACKUP_RETENTION_DAYS: "30", BACKUP_INTERVAL_HOURS: "24" },
  });
  try {
    addService(f.db);
    await createBackup(f.db, f.config.backupDir, f.clock.now() - 40 * DAY);
    await f.tick();
    let backups = listBackups(f.config.backupDir);
    assert.equal(backups.length, 1, "the 40-day-old backup was pruned");
    assert.equal(backups[0].takenAt, f.clock.now());
    assert.ok(backups[0].ok);
    assert.ok(checkDatabaseFile(backups[0].path).ok);

    f.clock.advance(23 * HOUR);
    addService(f.db, "Manicure"); // a change, so the next backup has something new to keep
    await f.tick();
    assert.equal(listBackups(f.config.backupDir).length, 1, "not due yet");

    f.clock.advance(HOUR);
    await f.tick();
    backups = listBackups(f.config.backupDir);
    assert.equal(backups.length, 2);
    assert.ok(backups.every((b) => b.ok));
  } finally {
    await f.close();
  }
});

Deno.test("jobs: BACKUP_INTERVAL_HOURS=0 turns scheduled backups off", async () => {
  const f = await setup({ now: "2026-12-01T06:00:00Z", env: { BACKUP_INTERVAL_HOURS: "0" } });
  try {
    const report = await f.tick();
    assert.equal(report.backup?.note, "off");
    assert.equal(listBackups(f.config.backupDir).length, 0);
  } finally {
    await f.close();
  }
});

/** A logger that keeps its records. */
function recordingLogger(): Logger & { records: string[] } {
  const records: string[] = [];
  const log = (level: string, message: string) => void records.push(`${level} ${message}`);
  const logger: Logger & { records: string[] } = {
    records,
    debug: (m) => log("DEBUG", m),
    info: (m) => log("INFO", m),
    warning: (m) => log("WARNING", m),
    error: (m) => log("ERROR", m),
    critical: (m) => log("CRITICAL", m),
    log: (level, m) => log(level, m),
    enabled: () => true,
    child: () => logger,
    close() {},
  };
  return logger;
}

Deno.test("jobs: startJobs catches up at once, never overlaps ticks, stops cleanly", async () => {
  const f = await setup({ now: "2026-12-01T10:00:00Z" });
  const kv = await Deno.openKv(":memory:");
  try {
    const service = addService(f.db);
    addUser(f.db, 1101);
    book(f.db, service, 1101, "2026-12-02T09:00:00Z");
    const logger = recordingLogger();
    const deps: BotDeps = {
      ...f.deps,
      logger,
      bookings: new BookingService(f.db, f.clock, "Europe/Moscow"),
      services: {
        adminBookings: new AdminBookingsService(
          f.db,
          f.clock,
          new BookingService(f.db, f.clock, "Europe/Moscow"),
        ),
        catalog: new CatalogService(f.db, f.clock),
        deposits: new DepositService(
          f.db,
          f.clock,
          new BookingService(f.db, f.clock, "Europe/Moscow"),
          15,
        ),
        schedule: new ScheduleService(f.db, f.clock, "Europe/Moscow"),
        funnel: new FunnelService(f.db, f.clock, "Europe/Moscow"),
        feedback: new FeedbackService(f.db, f.clock),
        users: new UsersService(f.db, f.clock),
        profile: new ProfileService(f.db, f.clock),
        clientNotes: new ClientNotesService(f.db, f.clock),
        waitlist: new WaitlistService(
          f.db,
          f.clock,
          new BookingService(f.db, f.clock, "Europe/Moscow"),
          "Europe/Moscow",
          15,
        ),
        masters: new MasterService(
          f.db,
          f.clock,
          new BookingService(f.db, f.clock, "Europe/Moscow"),
        ),
      },
      kv,
    };
    let scheduled: (() => Promise<void>) | undefined;
    let unscheduled = false;
    const reminder = f.fake.waitForCall("sendMessage");
    const handle = startJobs({
      config: f.config,
      deps,
      api: new Api(TOKEN, { apiRoot: f.fake.apiRoot }),
      scheduler: (tick) => {
        scheduled = tick;
        return () => (unscheduled = true);
      },
      sleep: (ms) => {
        f.clock.advance(ms);
        return Promise.resolve();
      },
    });
    assert.ok(scheduled, "the tick is scheduled");
    await scheduled(); // the catch-up tick is still running: this one is skipped
    assert.ok(logger.records.some((r) => /still running; skipping/.test(r)));
    await reminder; // stop() does not wait for sends that have not started
    await handle.stop();
    assert.ok(unscheduled);
    assert.equal(f.sent(1101).length, 1, "the catch-up tick sent the due reminder");
    assert.ok(logger.records.some((r) => r.startsWith("INFO Job run")));
    await scheduled(); // after stop: nothing
    assert.equal(f.sent(1101).length, 1);
  } finally {
    kv.close();
    await f.close();
  }
});

Deno.test("jobs run NAME: backup works offline; sending jobs need BOT_TOKEN", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "booking-jobs-cli-" });
  try {
    assert.ok(JOB_NAMES.includes("reminders") && JOB_NAMES.includes("tick"));
    const config = parseConfig({ DATA_DIR: dataDir, LOG_FILE: `${dataDir}/test.log` });
    const db = openMigrated(config.dbPath, Date.now());
    try {
      const summary = await runJobOnce(config, db, "backup");
      assert.match(summary, /due 1, done 1/);
      assert.equal(listBackups(config.backupDir).length, 1);
      assert.match(await runJobOnce(config, db, "backup"), /not due/);
      await assert.rejects(runJobOnce(config, db, "reminders"), /BOT_TOKEN/);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("jobs: a backup every BACKUP_INTERVAL_MINUTES (default 60), only after a change", async () => {
  const f = await setup({ now: "2026-12-01T06:00:00Z", env: { BACKUP_TO_OWNERS: "0" } });
  try {
    assert.equal(f.config.backupIntervalMinutes, 60);
    addService(f.db);
    assert.match((await f.tick()).backup?.note ?? "", /^booking-/, "the first one at once");
    f.clock.advance(HOUR);
    assert.equal((await f.tick()).backup?.note, "no change");
    f.clock.advance(5 * HOUR);
    assert.equal((await f.tick()).backup?.note, "no change", "an idle bot makes no new copies");
    addService(f.db, "Manicure");
    assert.match((await f.tick()).backup?.note ?? "", /^booking-/, "due and changed");
    addService(f.db, "Pedicure");
    f.clock.advance(30 * MINUTE);
    assert.equal((await f.tick()).backup?.note, "not due");
    f.clock.advance(30 * MINUTE);
    assert.match((await f.tick()).backup?.note ?? "", /^booking-/);
    assert.equal(listBackups(f.config.backupDir).length, 3);
  } finally {
    await f.close();
  }
});

Deno.test("jobs: backups every 6 h over 40 days are thinned to the promised set", async () => {
  const f = await setup({ now: "2026-11-01T00:00:00Z", env: { BACKUP_TO_OWNERS: "0" } });
  try {
    addService(f.db);
    const start = f.clock.now();
    for (let h = 0; h < 40 * 24; h += 6) {
      await createBackup(f.db, f.config.backupDir, start + h * HOUR);
    }
    f.clock.set(new Date(start + 40 * 24 * HOUR).toISOString());
    addService(f.db, "Manicure");
    await f.tick();
    const now = f.clock.now();
    const left = listBackups(f.config.backupDir);
    assert.ok(left.every((b) => b.ok));
    const recent = left.filter((b) => now - b.takenAt <= 48 * HOUR);
    assert.equal(recent.length, 9, "all of the last 48 h (8 at 6-h steps + the new one)");
    const older = left.filter((b) => now - b.takenAt > 48 * HOUR);
    const days = older.map((b) => new Date(b.takenAt).toISOString().slice(0, 10));
    assert.equal(new Set(days).size, older.length, "one a day beyond 48 h");
    assert.equal(older.length, 28, "up to BACKUP_RETENTION_DAYS (30)");
    assert.ok(older.every((b) => now - b.takenAt <= 30 * DAY));
    assert.ok(older.every((b) => new Date(b.takenAt).getUTCHours() === 18), "newest of each day");
  } finally {
    await f.close();
  }
});

Deno.test("jobs: once a day the newest backup, gzip-compressed, goes to the owners; restore FILE.db.gz works", async () => {
  const f = await setup({ now: "2026-12-01T06:00:00Z" });
  const restoreDir = await Deno.makeTempDir({ prefix: "booking-gz-" });
  try {
    upsertAdmin(f.db, 900, "owner", null, past);
    upsertAdmin(f.db, 901, "admin", null, past);
    addService(f.db, "Gzip Haircut");
    await f.tick();
    const docs = () => f.fake.callsOf("sendDocument").filter((c) => c.response.ok);
    assert.equal(docs().length, 1, "one copy, to the owner only");
    const [call] = docs();
    assert.equal(Number(call.payload.chat_id), 900);
    const file = call.payload.document as { file_name: string; bytes: Uint8Array };
    assert.match(file.file_name, /^booking-\d{8}T\d{6}Z\.db\.gz$/);
    assert.deepEqual([...file.bytes.subarray(0, 2)], [0x1f, 0x8b], "gzip");
    assert.match(String(call.payload.caption), /Ежедневная резервная копия/);

    f.clock.advance(23 * HOUR);
    addService(f.db, "Later");
    await f.tick();
    assert.equal(docs().length, 1, "not again within the day");
    f.clock.advance(HOUR);
    await f.tick();
    assert.equal(docs().length, 2, "the next day's copy");

    // The copy restores through the CLI.
    const gz = `${restoreDir}/${file.file_name}`;
    await Deno.writeFile(gz, file.bytes);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../../src/main.ts", import.meta.url).pathname, "restore", gz],
      env: { DATA_DIR: `${restoreDir}/data`, HEALTH_PORT: "0" },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const restored = openMigrated(`${restoreDir}/data/booking.db`, f.clock.now());
    const names = restored.prepare("SELECT name FROM services").all().map((r) => r.name);
    restored.close();
    assert.ok(names.includes("Gzip Haircut"));

    const bad = `${restoreDir}/broken.db.gz`;
    await Deno.writeTextFile(bad, "not gzip at all");
    const refused = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../../src/main.ts", import.meta.url).pathname, "restore", bad],
      env: { DATA_DIR: `${restoreDir}/data`, HEALTH_PORT: "0" },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(refused.code, 1);
    assert.match(new TextDecoder().decode(refused.stderr), /not a readable gzip file/);
  } finally {
    await f.close();
    await Deno.remove(restoreDir, { recursive: true });
  }
});

Deno.test("jobs: BACKUP_TO_OWNERS=0 sends no copy", async () => {
  const f = await setup({ now: "2026-12-01T06:00:00Z", env: { BACKUP_TO_OWNERS: "0" } });
  try {
    upsertAdmin(f.db, 900, "owner", null, past);
    addService(f.db);
    const report = await f.tick();
    assert.equal(report.backup_to_owners?.note, "off");
    assert.equal(f.fake.callsOf("sendDocument").length, 0);
  } finally {
    await f.close();
  }
});
