import assert from "node:assert/strict";
import { join } from "node:path";
import {
  createLogger,
  formatRecord,
  formatValue,
  maskPhone,
  nullLogger,
  parseLogLevel,
} from "../../src/ops/log.ts";

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

function manualClock(start = T0) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

function lines(path: string): string[] {
  return Deno.readTextFileSync(path).split("\n").filter((l) => l !== "");
}

async function withTempDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "log_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("one line per record: timestamp, level, message, key=value", async () => {
  await withTempDir((dir) => {
    const file = join(dir, "bot.log");
    const logger = createLogger({ level: "DEBUG", file, console: false, clock: manualClock() });
    logger.info("Booking created", {
      id: 42,
      service: "Hair cut",
      paid: false,
      missing: undefined,
      note: 'say "hi"',
      empty: "",
    });
    logger.warning("two\nlines");
    logger.error("failed", { error: new Error("boom here") });
    logger.close();
    assert.deepEqual(lines(file), [
      '2026-11-25T09:00:00.000Z INFO Booking created id=42 service="Hair cut" paid=false ' +
      'note="say \\"hi\\"" empty=""',
      "2026-11-25T09:00:00.000Z WARNING two\\nlines",
      '2026-11-25T09:00:00.000Z ERROR failed error="Error: boom here"',
    ]);
  });
});

Deno.test("formatValue and formatRecord", () => {
  assert.equal(formatValue("plain"), "plain");
  assert.equal(formatValue("with space"), '"with space"');
  assert.equal(formatValue(1.5), "1.5");
  assert.equal(formatValue(null), "null");
  assert.equal(formatValue({ a: [1, 2] }), '{"a":[1,2]}');
  assert.equal(formatValue(new Date(T0)), "2026-11-25T09:00:00.000Z");
  assert.equal(formatRecord(T0, "DEBUG", "x", { k: "v" }), "2026-11-25T09:00:00.000Z DEBUG x k=v");
});

Deno.test("records below the level are dropped", async () => {
  await withTempDir((dir) => {
    const file = join(dir, "bot.log");
    const logger = createLogger({ level: "WARNING", file, console: false, clock: manualClock() });
    logger.debug("d");
    logger.info("i");
    logger.warning("w");
    logger.error("e");
    logger.critical("c");
    assert.equal(logger.enabled("INFO"), false);
    assert.equal(logger.enabled("ERROR"), true);
    logger.close();
    assert.deepEqual(lines(file).map((l) => l.split(" ").slice(1).join(" ")), [
      "WARNING w",
      "ERROR e",
      "CRITICAL c",
    ]);
  });
});

Deno.test("child loggers add their fixed fields and share the file", async () => {
  await withTempDir((dir) => {
    const file = join(dir, "bot.log");
    const logger = createLogger({ level: "INFO", file, console: false, clock: manualClock() });
    const child = logger.child({ job: "reminders" });
    child.child({ run: 3 }).info("sent", { count: 2 });
    logger.info("root");
    child.close();
    assert.deepEqual(lines(file), [
      "2026-11-25T09:00:00.000Z INFO sent job=reminders run=3 count=2",
      "2026-11-25T09:00:00.000Z INFO root",
    ]);
  });
});

Deno.test("the file is rotated by size: bot.log -> bot.log.1 ... bot.log.<keep>", async () => {
  await withTempDir((dir) => {
    const file = join(dir, "logs", "bot.log"); // the folder is created on first write
    const logger = createLogger({
      level: "INFO",
      file,
      maxBytes: 200,
      keep: 2,
      console: false,
      clock: manualClock(),
    });
    // Each line is 2026-11-25T09:00:00.000Z INFO record NN p=<21 x> is 64 bytes: 3 per file.
    for (let i = 0; i < 20; i++) {
      logger.info(`record ${String(i).padStart(2, "0")}`, { p: "x".repeat(21) });
    }
    logger.close();
    const names = [...Deno.readDirSync(join(dir, "logs"))].map((e) => e.name).sort();
    assert.deepEqual(names, ["bot.log", "bot.log.1", "bot.log.2"]);
    for (const name of names) assert.ok(Deno.statSync(join(dir, "logs", name)).size <= 200, name);
    const current = lines(file);
    assert.ok(current.at(-1)!.includes("record 19"));
    const all = [...lines(file + ".2"), ...lines(file + ".1"), ...current];
    const numbers = all.map((l) => Number(/record (\d+)/.exec(l)![1]));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), "rotated files keep the order");
    assert.equal(numbers.at(-1), 19);
    assert.ok(numbers.length < 20, "the oldest records beyond keep are dropped");

    // Appending to an existing file continues its size count.
    const again = createLogger({ level: "INFO", file, maxBytes: 200, keep: 2, console: false });
    again.info("after restart");
    again.close();
    assert.ok(lines(file).at(-1)!.endsWith("INFO after restart"));
  });
});

Deno.test("CRITICAL notifications are throttled and report how many were suppressed", () => {
  const clock = manualClock();
  const sent: string[] = [];
  const logger = createLogger({
    level: "INFO",
    console: false,
    clock,
    criticalThrottleMs: 60_000,
    onCritical: (m) => void sent.push(m),
  });
  logger.critical("Database restored", { from: "b1.db" });
  clock.advance(1_000);
  logger.critical("second");
  clock.advance(1_000);
  logger.critical("third");
  logger.error("errors do not notify");
  assert.deepEqual(sent, ["Database restored from=b1.db"]);
  clock.advance(58_000); // 60 s after the first notification
  logger.critical("fourth");
  assert.deepEqual(sent, ["Database restored from=b1.db", "fourth (2 more suppressed)"]);
  clock.advance(60_000);
  logger.critical("fifth");
  assert.deepEqual(sent.at(-1), "fifth");
  logger.close();
});

Deno.test("a failing notification hook does not break logging", async () => {
  const clock = manualClock();
  let calls = 0;
  const originalError = console.error;
  const stderr: string[] = [];
  console.error = (...args: unknown[]) => void stderr.push(args.join(" "));
  try {
    const sync = createLogger({
      level: "INFO",
      console: false,
      clock,
      onCritical: () => {
        calls++;
        throw new Error("telegram down");
      },
    });
    sync.critical("a");
    const rejecting = createLogger({
      level: "INFO",
      console: false,
      clock,
      onCritical: () => {
        calls++;
        return Promise.reject(new Error("telegram down too"));
      },
    });
    rejecting.critical("b");
    await Promise.resolve();
    await Promise.resolve();
  } finally {
    console.error = originalError;
  }
  assert.equal(calls, 2);
  assert.equal(stderr.length, 2);
  assert.match(stderr.join("\n"), /telegram down/);
});

Deno.test("console output goes to stderr", () => {
  const originalError = console.error;
  const originalLog = console.log;
  const stderr: string[] = [];
  const stdout: string[] = [];
  console.error = (...args: unknown[]) => void stderr.push(args.join(" "));
  console.log = (...args: unknown[]) => void stdout.push(args.join(" "));
  try {
    createLogger({ level: "INFO", clock: manualClock() }).info("hello", { a: 1 });
  } finally {
    console.error = originalError;
    console.log = originalLog;
  }
  assert.deepEqual(stderr, ["2026-11-25T09:00:00.000Z INFO hello a=1"]);
  assert.deepEqual(stdout, []);
});

Deno.test("maskPhone keeps the country code and the last two digits", () => {
  assert.equal(maskPhone("+79161234567"), "+7*******67");
  assert.equal(maskPhone("+7 (916) 123-45-67"), "+7*******67");
  assert.equal(maskPhone("+14155552671"), "+1*******71");
  assert.equal(maskPhone("+447911123456"), "+44*******56");
  assert.equal(maskPhone("+380501234567"), "+380*******67");
  assert.equal(maskPhone("89161234567"), "*******67");
  assert.equal(maskPhone("+12345"), "+1*******45");
  assert.equal(maskPhone("+1234"), "*******");
  assert.equal(maskPhone(""), "");
  assert.equal(maskPhone(undefined), "");
  assert.equal(maskPhone("no digits"), "*******");
});

Deno.test("parseLogLevel and nullLogger", () => {
  assert.equal(parseLogLevel("warning"), "WARNING");
  assert.throws(() => parseLogLevel("verbose"), /Unknown log level/);
  nullLogger.critical("ignored");
  assert.equal(nullLogger.child({ a: 1 }), nullLogger);
  assert.equal(nullLogger.enabled("CRITICAL"), false);
});
