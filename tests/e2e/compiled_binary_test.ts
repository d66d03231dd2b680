/**
 * Smoke test of `deno task compile`: builds the single executable and runs `check`,
 * `migrate status` and a short `start` against the fake Bot API. `deno compile` needs the
 * denort runtime; it runs only where one is present (DENORT_BIN set, or denort already in
 * Deno's download cache) and says clearly that it skipped otherwise.
 */
import assert from "node:assert/strict";
import { FakeBotApi } from "../support/fake_bot_api.ts";

function denortAvailable(): string | undefined {
  const explicit = Deno.env.get("DENORT_BIN");
  if (explicit) {
    try {
      if (Deno.statSync(explicit).isFile) return `DENORT_BIN=${explicit}`;
    } catch {
      return undefined;
    }
  }
  const home = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
  const target = `${Deno.build.arch}-unknown-linux-gnu`;
  const cached = `${home}/dl/release/v${Deno.version.deno}/denort-${target}.zip`;
  try {
    if (Deno.statSync(cached).isFile) return cached;
  } catch {
    return undefined;
  }
  return undefined;
}

const denort = denortAvailable();
if (!denort) {
  console.log(
    "compiled_binary_test: SKIPPED — no denort runtime (set DENORT_BIN or cache it) so `deno compile` cannot run here",
  );
}

Deno.test({
  name: "compiled binary: check, migrate status and a short start against the fake Bot API",
  ignore: !denort,
  async fn() {
    const root = new URL("../../", import.meta.url).pathname;
    const dir = await Deno.makeTempDir({ prefix: "booking-compiled-" });
    const binary = `${dir}/booking-bot`;
    try {
      const compile = await new Deno.Command(Deno.execPath(), {
        args: [
          "compile",
          "--allow-all",
          "--include",
          "migrations",
          "--include",
          "locales",
          "--output",
          binary,
          "src/main.ts",
        ],
        cwd: root,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(compile.code, 0, new TextDecoder().decode(compile.stderr));
      const env = { DATA_DIR: `${dir}/data`, HEALTH_PORT: "0" };
      const run = (...args: string[]) =>
        new Deno.Command(binary, { args, env, stdout: "piped", stderr: "piped" }).output();
      const migrate = await run("migrate", "up");
      assert.equal(migrate.code, 0, new TextDecoder().decode(migrate.stderr));
      const status = await run("migrate", "status");
      assert.match(new TextDecoder().decode(status.stdout), /0001 initial: applied/);
      const version = await run("--version");
      const declared = JSON.parse(await Deno.readTextFile(`${root}deno.json`)).version;
      assert.equal(new TextDecoder().decode(version.stdout), `${declared}\n`);
      const check = await run("check");
      assert.equal(check.code, 0);
      const fake = await FakeBotApi.start();
      try {
        const child = new Deno.Command(binary, {
          args: ["start"],
          env: { ...env, BOT_TOKEN: "1:T", TELEGRAM_API_ROOT: fake.apiRoot },
          stdout: "null",
          stderr: "piped",
        }).spawn();
        await fake.waitForCall("getUpdates", undefined, 15_000);
        const u = fake.user(5, { first_name: "Smoke", language_code: "en" });
        const reply = u.nextMessage(undefined, 10_000);
        u.sendText("/start");
        assert.match((await reply).text ?? "", /Hello/);
        child.kill("SIGTERM");
        const result = await child.output();
        assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
      } finally {
        await fake.stop();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
