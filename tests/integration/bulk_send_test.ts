import assert from "node:assert/strict";
import { Api } from "grammy";
import { parseConfig } from "../../src/config.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { markBlocked, upsertUser } from "../../src/db/users_repo.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { bulkSender } from "../../src/jobs/bulk_send.ts";
import { createJobContext } from "../../src/jobs/scheduler.ts";
import { nullLogger } from "../../src/ops/log.ts";
import { createBotMetrics } from "../../src/ops/metrics.ts";
import { button } from "../../src/ui/buttons.ts";
import { loadCatalogs } from "../../src/ui/i18n.ts";
import { FakeBotApi } from "../support/fake_bot_api.ts";

const TOKEN = "123456:BULK";

Deno.test("bulk send: through the jobs' sender, paced by the injected sleep, blocked users skipped", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-bulk-" });
  try {
    const config = parseConfig({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATA_DIR: dataDir,
      HEALTH_PORT: "0",
    });
    const clock = new FakeClock(Date.parse("2026-12-01T06:00:00Z"));
    const db = openMigrated(config.dbPath, clock.now());
    upsertUser(db, { id: 101, first_name: "Анна", language_code: "ru" }, clock.now());
    upsertUser(db, { id: 102, first_name: "Bob", language_code: "en" }, clock.now());
    upsertUser(db, { id: 103, first_name: "Gone" }, clock.now());
    markBlocked(db, 103, clock.now());
    const deps = {
      db,
      clock,
      catalogs: loadCatalogs(),
      logger: nullLogger,
      metrics: createBotMetrics(),
    };
    const ctx = createJobContext({ config, deps, api: new Api(TOKEN, { apiRoot: fake.apiRoot }) });
    const sleeps: number[] = [];
    const send = bulkSender(ctx, {
      sleep: (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
        return Promise.resolve();
      },
    });
    const message = (userId: number) => ({
      userId,
      render: (t: (key: "common.menu_button") => string) => `${userId}: ${t("common.menu_button")}`,
      keyboard: () => [[button("ok", "m:main")]],
    });
    const delivered = await send([101, 102, 103].map(message));
    assert.equal(delivered, 2, "the blocked user is not counted");
    assert.deepEqual(sleeps, [40, 40], "a pause between messages, on the injected sleep");
    const sent = fake.callsOf("sendMessage");
    assert.deepEqual(sent.map((c) => Number(c.payload.chat_id)), [101, 102]);
    assert.match(String(sent[0].payload.text), /^101: .*меню/i, "in the user's language");
    assert.match(String(sent[1].payload.text), /^102: .*menu/i);
    assert.ok(sent[0].payload.reply_markup, "with the keyboard");
    ctx.sender.close();
    db.close();
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});
