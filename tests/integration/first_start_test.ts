/**
 * A new owner's first start, through the real CLI: every mistake gets one plain sentence that
 * names what to change and a non-zero exit, never a stack trace or silence.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { FakeBotApi } from "../support/fake_bot_api.ts";

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

function command(args: string[], env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env: { HEALTH_PORT: "0", LOG_LEVEL: "INFO", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

async function run(args: string[], env: Record<string, string>) {
  const out = await command(args, env).output();
  const d = new TextDecoder();
  return { code: out.code, text: d.decode(out.stdout) + d.decode(out.stderr) };
}

/** No JavaScript stack frames in what the owner reads. */
function assertNoStack(text: string) {
  assert.doesNotMatch(text, /^\s+at .*(file:|ext:)/m, text);
  assert.doesNotMatch(text, /Uncaught|GrammyError|AddrInUse/, text);
}

Deno.test("first start: a port in use is named, exit 2, before anything else is touched", async () => {
  const dir = await Deno.makeTempDir();
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (taken.addr as Deno.NetAddr).port;
    const r = await run(["start"], {
      BOT_TOKEN: "123:abc",
      DATA_DIR: dir,
      HEALTH_PORT: String(port),
      TELEGRAM_API_ROOT: "http://127.0.0.1:9",
    });
    assert.equal(r.code, 2, r.text);
    assert.match(r.text, new RegExp(`HEALTH_PORT=${port}: the port is already in use`));
    assertNoStack(r.text);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "nothing created in DATA_DIR");
  } finally {
    taken.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("first start: a token Telegram rejects is named, exit 2, no stack trace", async () => {
  const fake = await FakeBotApi.start({ token: "111:right" });
  const dir = await Deno.makeTempDir();
  try {
    const r = await run(["start"], {
      BOT_TOKEN: "111:wrong",
      DATA_DIR: dir,
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    assert.equal(r.code, 2, r.text);
    assert.match(r.text, /Telegram rejected BOT_TOKEN \(401/);
    assert.match(r.text, /@BotFather/);
    assertNoStack(r.text);
  } finally {
    await fake.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("first start: an unreachable Bot API is named and retried, not silence", async () => {
  const dir = await Deno.makeTempDir();
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const child = command(["start"], {
    BOT_TOKEN: "123:abc",
    DATA_DIR: dir,
    LOG_FILE: `${dir}/bot.log`,
    TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`,
  }).spawn();
  try {
    // The console log (stderr) says what is tried and that it retries; read until it does.
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!/Retrying in 2 s/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    reader.releaseLock();
    assert.match(seen, /Connecting to the Telegram Bot API/);
    assert.match(seen, new RegExp(`Cannot reach the Telegram Bot API at http://127.0.0.1:${port}`));
    assert.match(seen, /TELEGRAM_API_ROOT\. Retrying in 1 s[\s\S]*Retrying in 2 s/);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel();
    await child.stderr.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("migrate down: with stored data it asks for --yes, then backs up first", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const env = { DATA_DIR: dir };
    assert.equal((await run(["demo-data"], env)).code, 0);
    const before = await Deno.readFile(`${dir}/booking.db`);

    const refused = await run(["migrate", "down"], env);
    assert.equal(refused.code, 2, refused.text);
    assert.match(refused.text, /may drop stored data \(the database holds \d+ services\)/);
    assert.match(refused.text, /run again with --yes/);
    assert.deepEqual(await Deno.readFile(`${dir}/booking.db`), before, "nothing changed");

    const done = await run(["migrate", "down", "--yes"], env);
    assert.equal(done.code, 0, done.text);
    assert.match(done.text, /Backed up first: .*backups\/booking-\d{8}T\d{6}Z\.db/);
    assert.match(done.text, /Reverted \d+/);
    const backups = [...Deno.readDirSync(`${dir}/backups`)].map((e) => e.name);
    assert.equal(backups.length, 1);
    // The backup still has what the down migration may have dropped.
    const copy = new DatabaseSync(`${dir}/backups/${backups[0]}`, { readOnly: true });
    assert.ok(Number(copy.prepare("SELECT count(*) AS n FROM services").get()?.n) > 0);
    copy.close();

    const usage = await run(["migrate", "up", "--yes"], env);
    assert.equal(usage.code, 2);
    assert.match(usage.text, /--yes is only for migrate down/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
