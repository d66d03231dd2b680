/**
 * Runs the real bot (the production start sequence) against the fake Bot API, with a fake
 * clock, in a temporary data directory. Tests act as clients through `fake.user(id)`.
 */
import assert from "node:assert/strict";
import { type Config, parseConfig } from "../../src/config.ts";
import { type RunningBot, startBot } from "../../src/app.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { type Logger, nullLogger } from "../../src/ops/log.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { BookingService } from "../../src/services/booking_service.ts";
import { FakeBotApi, type FakeUser } from "./fake_bot_api.ts";
import type { SyncFile } from "../../src/db/wal_sync.ts";

/** A running test bot. */
export interface TestBot {
  fake: FakeBotApi;
  clock: FakeClock;
  config: Config;
  running: RunningBot;
  dataDir: string;
  /** Waits until the bot has fetched every queued update and gone quiet. */
  idle(): Promise<void>;
  /** Stops the bot (not the fake API) and starts it again on the same data. */
  restart(): Promise<void>;
  /** Stops everything and removes the data directory. */
  close(): Promise<void>;
}

/** Options of a test bot. */
export interface TestBotOptions {
  /** Owner ids (ADMIN_IDS). */
  adminIds?: number[];
  /** Start instant of the fake clock; default Tue 2026-12-01 09:00 Moscow. */
  now?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Load the demo services and schedule; default true. */
  demoData?: boolean;
  /** Reuse a running fake API. */
  fake?: FakeBotApi;
  /** A logger to inspect (default: silent). */
  logger?: Logger;
  /**
   * Bookings the test makes through `running.deps.bookings` owe messages like the bot's own
   * (confirmation, admins' notices). Default false: they are fixtures, made quietly.
   */
  owedMessages?: boolean;
  /** How long bookkeeping (funnel counts, tracked messages) may wait; the bot's 100 ms. */
  bookkeepingDelayMs?: number;
  /** The fsync of the durability barrier (default the real one); a test may hold it. */
  syncWal?: SyncFile;
}

/**
 * The running bot as tests see it: `deps.bookings` is an engine on the same database that,
 * unless `owed`, writes no outbox rows, so bookings a test sets up directly are fixtures (as
 * before the outbox existed), not changes someone must be told about. The bot's handlers use
 * their own engine, which always does.
 */
function fixtureEngine(running: RunningBot, owed: boolean): RunningBot {
  if (owed) return running;
  const { db, clock, bookings } = running.deps;
  return {
    ...running,
    deps: {
      ...running.deps,
      bookings: new BookingService(db, clock, bookings.timeZone, { silent: true }),
    },
  };
}

/** 09:00 Moscow on Tuesday 1 December 2026. */
export const DEFAULT_NOW = "2026-12-01T06:00:00Z";

/** Starts a test bot. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const fake = options.fake ?? await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-e2e-" });
  const config = parseConfig({
    BOT_TOKEN: "123456:TEST",
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATA_DIR: dataDir,
    ADMIN_IDS: (options.adminIds ?? []).join(","),
    HEALTH_PORT: "0",
    BUSINESS_TIMEZONE: "Europe/Moscow",
    ...options.env,
  });
  const clock = new FakeClock(Date.parse(options.now ?? DEFAULT_NOW));
  const start = async () =>
    fixtureEngine(
      await startBot(config, {
        clock,
        logger: options.logger ?? nullLogger,
        noSignals: true,
        noJobs: true,
        bookkeepingDelayMs: options.bookkeepingDelayMs,
        syncWal: options.syncWal,
      }),
      options.owedMessages ?? false,
    );
  let running = await start();
  if (options.demoData ?? true) loadDemoData(running.deps.db, clock.now());
  const bot: TestBot = {
    fake,
    clock,
    config,
    get running() {
      return running;
    },
    dataDir,
    async idle() {
      // Quiet at the fake API, nothing queued, and nothing in the bot's hands.
      const deadline = Date.now() + 20_000;
      do {
        await fake.waitForIdle(40, 20_000);
      } while ((running.inFlight() > 0 || fake.pendingUpdates > 0) && Date.now() < deadline);
    },
    async restart() {
      await running.stop();
      running = await start();
    },
    async close() {
      await running.stop();
      if (!options.fake) await fake.stop();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
  return bot;
}

/**
 * From the services list, a demo client picks Haircut, 2 December 2026 (the day after the
 * default "now") and 10:00, and the bot has handled each press: the name step comes next.
 */
export async function pickDemoSlot(t: TestBot, client: FakeUser): Promise<void> {
  client.press("Haircut");
  await t.idle();
  client.press((b) => b.data === "bd:2026-12-02");
  await t.idle();
  client.press("10:00");
  await t.idle();
}

/** No handler failed: no failed API call (but "not modified") and no apology was sent. */
export function assertNoErrors(t: TestBot): void {
  // "Message is not modified" is expected when a screen is shown again unchanged.
  const failed = t.fake.calls.filter((c) =>
    !c.response.ok && !/not modified/.test(c.response.description)
  );
  assert.deepEqual(failed.map((c) => [c.method, c.response]), [], "no failed API calls");
  const apologies = t.fake.callsOf("sendMessage").filter((c) =>
    String(c.payload.text).includes("пошло не так")
  );
  assert.equal(apologies.length, 0, "no handler errors");
}
