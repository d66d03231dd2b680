import assert from "node:assert/strict";
import { FakeBotApi } from "../support/fake_bot_api.ts";

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

Deno.test("start prints no punycode deprecation warning (other warnings are not hidden)", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-warn-" });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "start"],
      env: {
        BOT_TOKEN: "1:T",
        TELEGRAM_API_ROOT: fake.apiRoot,
        DATA_DIR: dataDir,
        HEALTH_PORT: "0",
        LOG_LEVEL: "ERROR",
      },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const polled = fake.waitForCall("getUpdates", undefined, 30_000);
    await polled;
    child.kill("SIGTERM");
    const out = await child.output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.doesNotMatch(stderr, /punycode|DEP0040/, stderr);
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("the punycode filter drops only DEP0040", async () => {
  const script = `
    import "${new URL("../../src/ops/quiet_punycode.ts", import.meta.url).href}";
    import process from "node:process";
    process.emitWarning("The punycode module is deprecated", "DeprecationWarning", "DEP0040");
    process.emitWarning("a real one", "DeprecationWarning", "DEP0005");
    process.emitWarning("another real one", { type: "Warning", code: "X1" });
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.doesNotMatch(stderr, /punycode/);
  assert.match(stderr, /a real one/);
  assert.match(stderr, /another real one/);
});
