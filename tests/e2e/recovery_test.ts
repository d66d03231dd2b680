import assert from "node:assert/strict";
import { parseConfig } from "../../src/config.ts";
import { startBot } from "../../src/app.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { nullLogger } from "../../src/ops/log.ts";
import { createBackup } from "../../src/ops/backup.ts";
import { NoValidBackupError } from "../../src/ops/restore.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { FakeBotApi } from "../support/fake_bot_api.ts";
import { DatabaseSync } from "node:sqlite";
import { startTestBot } from "../support/harness.ts";

async function listing(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("recovery: a corrupted booking.db is moved aside, the newest valid backup restored, owners told", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-recovery-" });
  try {
    const config = parseConfig({
      BOT_TOKEN: "1:T",
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATA_DIR: dataDir,
      ADMIN_IDS: "900",
      HEALTH_PORT: "0",
    });
    const clock = new FakeClock(Date.parse("2026-12-01T06:00:00Z"));
    const options = { clock, logger: nullLogger, noSignals: true, noJobs: true };
    const owner = fake.user(900, { first_name: "Owner", language_code: "en" });

    let running = await startBot(config, options);
    loadDemoData(running.deps.db, clock.now());
    owner.sendText("/start");
    await fake.waitForIdle(60, 5000);
    await createBackup(running.deps.db, config.backupDir, clock.now());
    clock.advance(3_600_000);
    await running.stop();

    const garbage = crypto.getRandomValues(new Uint8Array(64 * 1024));
    await Deno.writeFile(config.dbPath, garbage);

    running = await startBot(config, options);
    assert.equal(listBookableServices(running.deps.db).length, 4, "data back from the backup");
    const names = await listing(dataDir);
    const aside = names.find((n) => n.startsWith("booking.db.corrupt-"));
    assert.ok(aside, `bad file kept: ${names.join(", ")}`);
    assert.deepEqual(await Deno.readFile(`${dataDir}/${aside}`), garbage);
    await fake.waitForIdle(60, 5000);
    assert.ok(
      owner.messages().some((m) => /restored automatically/.test(m.text ?? "")),
      "owner notified",
    );
    await running.stop();
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("recovery: with no valid backup the bot refuses to start and touches nothing", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-recovery-" });
  try {
    const config = parseConfig({
      BOT_TOKEN: "1:T",
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATA_DIR: dataDir,
      HEALTH_PORT: "0",
    });
    await Deno.mkdir(config.backupDir, { recursive: true });
    await Deno.writeTextFile(`${config.backupDir}/booking-20261130T000000Z.db`, "not a database");
    const garbage = new TextEncoder().encode("SQLite format 3\0".padEnd(8192, "x"));
    await Deno.writeFile(config.dbPath, garbage);
    const before = await listing(dataDir);
    await assert.rejects(
      () => startBot(config, { logger: nullLogger, noSignals: true, noJobs: true }),
      NoValidBackupError,
    );
    assert.deepEqual(await listing(dataDir), before);
    assert.deepEqual(await Deno.readFile(config.dbPath), garbage);
    assert.equal(fake.callsOf("getMe").length, 0, "the bot never started");
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("monitoring: CRITICAL log records reach the owners in Telegram, throttled", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-critical-" });
  try {
    const config = parseConfig({
      BOT_TOKEN: "1:T",
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATA_DIR: dataDir,
      ADMIN_IDS: "900",
      HEALTH_PORT: "0",
      LOG_LEVEL: "CRITICAL",
    });
    // No logger passed: the production logger with its owner hook is built.
    const running = await startBot(config, { noSignals: true, noJobs: true });
    try {
      const owner = fake.user(900, { first_name: "Owner", language_code: "en" });
      // The owner never wrote to the bot: the alert comes in the default language (Russian).
      const alert = owner.nextMessage((m) => /КРИТИЧЕСКАЯ/.test(m.text ?? ""));
      running.deps.logger.critical("disk is on fire <now>");
      running.deps.logger.critical("second alarm within the minute");
      assert.match((await alert).text ?? "", /disk is on fire &lt;now&gt;/);
      await fake.waitForIdle(100, 5000);
      assert.equal(owner.messages().filter((m) => /КРИТИЧЕСКАЯ/.test(m.text ?? "")).length, 1);
      assert.match(await Deno.readTextFile(`${dataDir}/bot.log`), /CRITICAL disk is on fire/);
    } finally {
      await running.stop();
    }
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("recovery: auto-restore at start skips a backup from a newer program and takes the newest compatible one", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-recovery-" });
  try {
    const config = parseConfig({
      BOT_TOKEN: "1:T",
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATA_DIR: dataDir,
      ADMIN_IDS: "900",
      HEALTH_PORT: "0",
    });
    const clock = new FakeClock(Date.parse("2026-12-01T06:00:00Z"));
    const options = { clock, logger: nullLogger, noSignals: true, noJobs: true };
    let running = await startBot(config, options);
    loadDemoData(running.deps.db, clock.now());
    const good = await createBackup(running.deps.db, config.backupDir, clock.now());
    clock.advance(3_600_000);
    const newer = await createBackup(running.deps.db, config.backupDir, clock.now());
    const db = new DatabaseSync(newer.path);
    db.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'x', 0)");
    db.close();
    await running.stop();
    await Deno.writeFile(config.dbPath, crypto.getRandomValues(new Uint8Array(64 * 1024)));

    running = await startBot(config, options);
    try {
      assert.equal(listBookableServices(running.deps.db).length, 4, "data back from the backup");
      await fake.waitForIdle(60, 5000);
      const owner = fake.user(900);
      const notice = owner.messages().find((m) => /автоматически восстановлена/.test(m.text ?? ""));
      assert.ok(notice, "owner notified");
      assert.match(notice.text!, new RegExp(good.name), "restored from the compatible backup");
      assert.doesNotMatch(notice.text!, new RegExp(newer.name));
    } finally {
      await running.stop();
    }
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("recovery: a damaged state.kv is moved aside, owners told, and clients can book", async () => {
  const fake = await FakeBotApi.start();
  const t0 = await startTestBot({ fake, adminIds: [900] });
  // Same data folder, restarted with garbage in place of the dialog store.
  await t0.running.stop();
  const garbage = crypto.getRandomValues(new Uint8Array(32 * 1024));
  await Deno.writeFile(t0.config.kvPath, garbage);
  for (const suffix of ["-wal", "-shm"]) {
    await Deno.remove(t0.config.kvPath + suffix).catch(() => {});
  }
  await t0.restart();
  try {
    const names = await listing(t0.dataDir);
    const aside = names.find((n) => n.startsWith("state.kv.corrupt-"));
    assert.ok(aside, `damaged store kept: ${names.join(", ")}`);
    assert.deepEqual(await Deno.readFile(`${t0.dataDir}/${aside}`), garbage);
    await t0.idle();
    const owner = fake.user(900);
    assert.ok(
      owner.messages().some((m) => /state\.kv\.corrupt-/.test(m.text ?? "")),
      "an owner is told where the old file is",
    );
    const client = fake.user(4100, { first_name: "Kira", language_code: "en" });
    const menu = client.nextMessage((m) => /Book/.test(JSON.stringify(m.reply_markup ?? {})));
    client.sendText("/start");
    await menu;
    client.sendText("/book");
    await t0.idle();
    client.press("Haircut");
    await t0.idle();
    const day = client.buttons().find((b) => b.data?.startsWith("bd:"))!;
    client.press((b) => b.data === day.data);
    await t0.idle();
    const slot = client.buttons().find((b) => b.data?.startsWith("bt:"))!;
    client.press((b) => b.data === slot.data);
    await t0.idle();
    client.sendText("Kira K");
    await t0.idle();
    client.sendContact("+79161234567");
    await t0.idle();
    client.press("✅");
    await t0.idle();
    const count = t0.running.deps.db.prepare(
      "SELECT COUNT(*) AS n FROM bookings WHERE user_id = 4100",
    ).get()!.n;
    assert.equal(count, 1, "the client booked");
  } finally {
    await t0.close();
    await fake.stop();
  }
});

Deno.test("restore: refused while a bot runs on the same DATA_DIR; a lock left by a stopped bot does not block", async () => {
  const t = await startTestBot();
  const main = new URL("../../src/main.ts", import.meta.url).pathname;
  const restore = async (file: string) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", main, "restore", file],
      env: { DATA_DIR: t.dataDir, HEALTH_PORT: "0" },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  };
  try {
    const backup = await createBackup(t.running.deps.db, t.config.backupDir, t.clock.now());
    const lock = await Deno.readTextFile(`${t.dataDir}/bot.lock`);
    assert.equal(lock.trim(), `pid ${Deno.pid}`);
    const before = await listing(t.dataDir);
    const busy = await restore(backup.path);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, new RegExp(`A bot is running on .* \\(pid ${Deno.pid}\\)`));
    assert.match(busy.stderr, /Nothing was changed/);
    assert.deepEqual(await listing(t.dataDir), before, "nothing swapped under the bot");

    await t.running.stop();
    assert.ok((await listing(t.dataDir)).includes("bot.lock"), "the file stays, unlocked");
    const done = await restore(backup.path);
    assert.equal(done.code, 0, done.stderr);
    await t.restart();
  } finally {
    await t.close();
  }
});
