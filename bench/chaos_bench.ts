/**
 * Chaos at benchmark size (smaller copies run in the test suite): Bot API faults, kill -9
 * under load with reminders in flight, 10,000 fuzz updates, and two bot processes in webhook
 * mode racing for 50 slots with 1,000 attempts.
 * Usage: deno run -A bench/chaos_bench.ts [kill]
 */
import { startTestBot } from "../tests/support/harness.ts";
import { FakeBotApi, type FakeUser } from "../tests/support/fake_bot_api.ts";
import { catalogLinePatterns, fuzzUpdates, recordingLogger } from "../tests/support/fuzz.ts";
import { demoSlots, startCluster, step, toSummary } from "../tests/support/webhook_cluster.ts";
import { listBookingsBetween } from "../src/db/bookings_repo.ts";
import { openDatabase, writeTransaction } from "../src/db/connection.ts";
import { openMigrated } from "../src/db/setup.ts";
import { loadDemoData } from "../src/services/demo_data.ts";
import type { Figure } from "./db_bench.ts";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;

async function journey(u: FakeUser, date: string, time: string): Promise<void> {
  await toSummary(u, date, time);
  await step(u, () => u.press("Confirm"), /You're booked|just taken/);
}

/** 30 clients book while 20% of sending calls fail with 429, 500 or a timeout. */
async function faults(): Promise<Figure[]> {
  const t = await startTestBot();
  try {
    t.fake.setFaults({
      failRate: 0.2,
      kinds: ["429", "500", "timeout"],
      retryAfter: 1,
      timeoutMs: 300,
      seed: 11,
    });
    const slots = demoSlotsFrom("2026-12-02", 30);
    const users = slots.map((_, i) =>
      t.fake.user(60_000 + i, { first_name: `F${i}`, language_code: "en" })
    );
    const started = performance.now();
    const results = await Promise.allSettled(
      users.map((u, i) => journey(u, slots[i].date, slots[i].time)),
    );
    const seconds = (performance.now() - started) / 1000;
    const confirmed = users.filter((u) =>
      u.messages().some((m) => /You're booked/.test(m.text ?? ""))
    ).length;
    const stored = listBookingsBetween(t.running.deps.db, { from: 0, to: Number.MAX_SAFE_INTEGER });
    const injected = t.fake.stats.injected;
    return [
      {
        name: `faults: 20% of sends failed (${injected["429"]}x429, ${
          injected["500"]
        }x500, ${injected.timeout} timeouts) in ${seconds.toFixed(0)} s`,
        value: `${confirmed}/30 confirmed`,
        target: "30/30",
        ok: confirmed === 30,
      },
      {
        name: "faults: stuck journeys / duplicate bookings",
        value: `${results.filter((r) => r.status === "rejected").length} / ${
          stored.length - new Set(stored.map((b) => b.userId)).size
        }`,
        target: "0 / 0",
        ok: stored.length === new Set(stored.map((b) => b.userId)).size,
      },
    ];
  } finally {
    t.fake.resetFaults();
    await t.close();
  }
}

/** Weekday slots on the demo schedule from a fixed date (for the fake-clock harness). */
function demoSlotsFrom(first: string, count: number): Array<{ date: string; time: string }> {
  const times = ["09:00", "10:00", "11:00", "12:00", "14:00", "15:00", "16:00", "17:00"];
  const out: Array<{ date: string; time: string }> = [];
  for (let d = Temporal.PlainDate.from(first); out.length < count; d = d.add({ days: 1 })) {
    if (d.dayOfWeek > 5) continue;
    for (const time of times) if (out.length < count) out.push({ date: d.toString(), time });
  }
  return out;
}

/** kill -9 of the bot process while clients book and 200 reminders are being sent. */
async function killNine(): Promise<Figure[]> {
  const fake = await FakeBotApi.start({ faults: { enforceLimits: true } });
  const dataDir = await Deno.makeTempDir({ prefix: "booking-chaos-kill-" });
  const env = {
    BOT_TOKEN: "1:T",
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATA_DIR: dataDir,
    HEALTH_PORT: "0",
    LOG_LEVEL: "ERROR",
  };
  try {
    // 200 bookings starting in 50 minutes: their 1-hour reminders are due at start.
    const now = Date.now();
    const db = openMigrated(`${dataDir}/booking.db`, now);
    loadDemoData(db, now);
    const reminded = 200;
    writeTransaction(db, () => {
      for (let i = 0; i < reminded; i++) {
        const userId = 70_000 + i;
        db.prepare(
          "INSERT INTO users (id, first_name, language_code, created_at, updated_at) VALUES (?, 'R', 'en', 0, 0)",
        ).run(userId);
        db.prepare("INSERT INTO staff (name, created_at, updated_at) VALUES (?, 0, 0)").run(
          `M${i}`,
        );
        const staffId = Number(db.prepare("SELECT max(id) AS id FROM staff").get()!.id);
        db.prepare("UPDATE staff SET is_active = 0 WHERE id = ?").run(staffId);
        const start = now + 50 * 60_000;
        db.prepare(
          `INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name, phone, created_at, updated_at)
           VALUES (?, 1, ?, ?, ?, 'Reminded Client', '+79160000000', ?, ?)`,
        ).run(userId, staffId, start, start + 3_600_000, now - 86_400_000, now - 86_400_000);
      }
    });
    db.close();
    const spawn = () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", MAIN, "start"],
        env,
        stdout: "null",
        stderr: "null",
      }).spawn();
    let child = spawn();
    await fake.waitForCall("getUpdates", undefined, 30_000);
    const slots = demoSlots(20);
    const users = slots.map((_, i) =>
      fake.user(80_000 + i, { first_name: `K${i}`, language_code: "en" })
    );
    const attempts = users.map((u, i) =>
      journey(u, slots[i].date, slots[i].time).then(() => "done", () => "interrupted")
    );
    await new Promise((r) => setTimeout(r, 2_500));
    child.kill("SIGKILL");
    await child.status;
    const sentBeforeKill = Array.from({ length: reminded }, (_, i) =>
      fake.chatMessages(70_000 + i).length).filter((n) =>
        n > 0
      ).length;
    const atKill = openDatabase(`${dataDir}/booking.db`, { readOnly: true });
    // Rows a sender had claimed (leased) and not marked done: the messages in flight.
    const inFlight = Number(
      atKill.prepare(
        "SELECT count(*) AS n FROM outbox WHERE done_at IS NULL AND leased_until IS NOT NULL",
      ).get()!.n,
    );
    atKill.close();
    const firstRun = await Promise.all(attempts);
    child = spawn();
    await fake.waitForCall("getUpdates", undefined, 30_000);
    // Clients whose journey was cut by the kill start again.
    await Promise.all(
      users.map((u, i) =>
        firstRun[i] === "done"
          ? Promise.resolve()
          : journey(u, slots[i].date, slots[i].time).catch(() => {})
      ),
    );
    // Let the restarted process finish the reminders (30/s, so 200 take ~7 s).
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const got = Array.from({ length: reminded }, (_, i) =>
        fake.chatMessages(70_000 + i).length).filter((n) =>
          n > 0
        ).length;
      if (got === reminded) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    child.kill("SIGTERM");
    await child.status;
    const check = openDatabase(`${dataDir}/booking.db`, { readOnly: true });
    const stored = new Set(
      check.prepare("SELECT user_id FROM bookings WHERE status = 'active' AND user_id >= 80000")
        .all().map((r) => Number(r.user_id)),
    );
    check.close();
    const confirmed = users.filter((u) =>
      u.messages().some((m) => /You're booked/.test(m.text ?? ""))
    );
    const missing = confirmed.filter((u) => !stored.has(u.id)).length;
    const counts = Array.from({ length: reminded }, (_, i) => fake.chatMessages(70_000 + i).length);
    return [
      {
        name: "kill -9: confirmed bookings missing after restart",
        value: `${missing} of ${confirmed.length}`,
        target: "0",
        ok: missing === 0,
      },
      {
        name:
          `kill -9: reminders delivered / duplicated / lost (${sentBeforeKill} out before the kill, ${inFlight} claimed at it)`,
        value: `${counts.filter((n) => n > 0).length} / ${counts.filter((n) => n > 1).length} / ${
          counts.filter((n) => n === 0).length
        }`,
        target: "200 / ≤ 1 / 0",
        // At least once: none lost; the sender sends one row at a time, so at most the one
        // in flight at the kill can arrive twice.
        ok: counts.every((n) => n >= 1) && counts.filter((n) => n > 1).length <= 1,
      },
    ];
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** 10,000 random updates through the in-process bot. */
async function fuzz(count = 10_000): Promise<Figure[]> {
  const logger = recordingLogger();
  const t = await startTestBot({ adminIds: [700_003], logger });
  const rejections: unknown[] = [];
  const onRejection = (e: PromiseRejectionEvent) => {
    rejections.push(e.reason);
    e.preventDefault();
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  try {
    const started = performance.now();
    const updates = fuzzUpdates(count, 4242);
    for (let i = 0; i < updates.length; i++) {
      t.fake.pushUpdate(updates[i]);
      if (i % 40 === 39) {
        await t.idle();
        t.clock.advance(61_000);
      }
    }
    await t.idle();
    const seconds = (performance.now() - started) / 1000;
    const patterns = catalogLinePatterns();
    let strays = 0;
    let replies = 0;
    for (const call of t.fake.calls) {
      if (!["sendMessage", "editMessageText"].includes(call.method)) continue;
      replies++;
      const text = String((call.payload as { text?: string }).text ?? "");
      if (
        text.split("\n").some((line) => line.trim() !== "" && !patterns.some((p) => p.test(line)))
      ) strays++;
    }
    return [
      {
        name: `fuzz: ${count} updates in ${seconds.toFixed(0)} s — errors / unhandled rejections`,
        value: `${logger.errors.length} / ${rejections.length}`,
        target: "0 / 0",
        ok: logger.errors.length === 0 && rejections.length === 0,
      },
      {
        name: "fuzz: replies not from the catalog",
        value: `${strays} of ${replies}`,
        target: "0",
        ok: strays === 0,
      },
    ];
  } finally {
    globalThis.removeEventListener("unhandledrejection", onRejection);
    await t.close();
  }
}

/** Two processes in webhook mode, 1,000 attempts at 50 slots. */
async function twoProcesses(users = 1000, slotCount = 50): Promise<Figure[]> {
  const cluster = await startCluster(2);
  try {
    const slots = demoSlots(slotCount);
    const clients = Array.from(
      { length: users },
      (_, i) => cluster.fake.user(90_000 + i, { first_name: `W${i}`, language_code: "en" }),
    );
    const started = performance.now();
    // Bring everybody to the summary in waves, then all confirm at once.
    for (let i = 0; i < users; i += 100) {
      await Promise.all(
        clients.slice(i, i + 100).map((u, j) =>
          toSummary(u, slots[(i + j) % slotCount].date, slots[(i + j) % slotCount].time)
        ),
      );
    }
    const outcomes = await Promise.all(clients.map((u) => {
      const answer = u.nextMessage((m) => /You're booked|just taken/.test(m.text ?? ""), 120_000);
      u.press("Confirm");
      return answer.then((m) => /You're booked/.test(m.text ?? ""));
    }));
    const seconds = (performance.now() - started) / 1000;
    const db = openDatabase(`${cluster.dataDir}/booking.db`, { readOnly: true });
    const perSlot = db.prepare(
      "SELECT count(*) AS n FROM bookings WHERE status = 'active' GROUP BY start_at",
    ).all();
    db.close();
    const doubles = perSlot.filter((r) => Number(r.n) > 1).length;
    return [
      {
        name: `two processes: ${users} attempts at ${slotCount} slots in ${seconds.toFixed(0)} s (${
          cluster.forwarded.join("+")
        } updates)`,
        value: `${outcomes.filter(Boolean).length} won`,
        target: `${slotCount}`,
        ok: outcomes.filter(Boolean).length === slotCount,
      },
      {
        name: "two processes: slots with more than one booking",
        value: String(doubles),
        target: "0",
        ok: doubles === 0 && perSlot.length === slotCount,
      },
    ];
  } finally {
    await cluster.stop();
  }
}

/** All chaos figures. */
export async function runChaosBench(): Promise<Figure[]> {
  return [...await faults(), ...await killNine(), ...await fuzz(), ...await twoProcesses()];
}

if (import.meta.main) {
  const { printTable } = await import("./db_bench.ts");
  // `kill` runs the kill -9 part alone.
  printTable("Chaos", Deno.args[0] === "kill" ? await killNine() : await runChaosBench());
}
