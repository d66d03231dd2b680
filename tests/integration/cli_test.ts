import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { compileArgs } from "../../scripts/compile.ts";
import { VERSION } from "../../src/version.ts";

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

async function cli(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env: { HEALTH_PORT: "0", ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "booking-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else out.push(`${p}:${(await Deno.stat(p)).size}`);
    }
  };
  await walk(dir);
  return out.sort();
}

Deno.test("cli: --version prints the deno.json version; --help names it and the commands", async () => {
  const declared = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  ).version;
  assert.match(declared, /^\d+\.\d+\.\d+/);
  for (const flag of ["--version", "-V"]) {
    const r = await cli([flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${declared}\n`);
  }
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  assert.ok(help.stdout.startsWith(`booking-bot ${declared}\n`), help.stdout);
  assert.match(help.stdout, /--version/);
  assert.match(help.stdout, /migrate down \[N\]/);
});

Deno.test("compile task: the binary is named after the deno.json version", async () => {
  const declared = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  ).version;
  assert.equal(VERSION, declared);
  const args = compileArgs(VERSION, ["--target", "x86_64-unknown-linux-gnu"]);
  assert.equal(args[args.indexOf("--output") + 1], `dist/booking-bot-${declared}`);
  assert.deepEqual(args.slice(-3), ["--target", "x86_64-unknown-linux-gnu", "src/main.ts"]);
  const tasks = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)))
    .tasks;
  assert.match(tasks.compile, /scripts\/compile\.ts/);
});

Deno.test("cli: start without BOT_TOKEN explains how to get one and exits 2", async () => {
  await withDir(async (dir) => {
    const r = await cli(["start"], { DATA_DIR: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /BotFather/);
    assert.match(r.stderr, /\/newbot/);
  });
});

Deno.test("cli: bad configuration names every bad variable and exits 2", async () => {
  const r = await cli(["migrate", "status"], {
    ADMIN_IDS: "12,abc",
    BUSINESS_TIMEZONE: "Mars/Olympus",
    TELEGRAM_API_ROOT: "not a url",
    BACKUP_INTERVAL_HOURS: "-3",
    LOG_LEVEL: "LOUD",
  });
  assert.equal(r.code, 2);
  for (
    const name of [
      "ADMIN_IDS",
      "BUSINESS_TIMEZONE",
      "TELEGRAM_API_ROOT",
      "BACKUP_INTERVAL_HOURS",
      "LOG_LEVEL",
    ]
  ) {
    assert.match(r.stderr, new RegExp(name));
  }
});

Deno.test("cli: webhook mode without WEBHOOK_SECRET or with an http:// URL refuses to start (exit 2)", async () => {
  await withDir(async (dir) => {
    const noSecret = await cli(["start"], {
      DATA_DIR: dir,
      BOT_TOKEN: "1:T",
      WEBHOOK_URL: "https://bot.example.test/hook",
    });
    assert.equal(noSecret.code, 2, noSecret.stderr);
    assert.match(noSecret.stderr, /WEBHOOK_SECRET: is required/);
    const plain = await cli(["start"], {
      DATA_DIR: dir,
      BOT_TOKEN: "1:T",
      WEBHOOK_URL: "http://bot.example.test/hook",
      WEBHOOK_SECRET: "s3cret",
      REMINDER_DAY_BEFORE_HOUR: "24",
    });
    assert.equal(plain.code, 2, plain.stderr);
    assert.match(plain.stderr, /WEBHOOK_URL: must be an https:\/\/ URL/);
    // Every bad setting is named at once, the hour range with the others.
    assert.match(plain.stderr, /REMINDER_DAY_BEFORE_HOUR: must be an hour 0..23/);
    assert.deepEqual(await tree(dir), [], "nothing was created");
  });
});

Deno.test("cli: unknown commands and bad arguments print usage and exit 2", async () => {
  await withDir(async (dir) => {
    for (
      const args of [
        ["fly"],
        ["migrate", "sideways"],
        ["migrate", "down", "-1"],
        ["restore"],
        ["restore", "--bogus"],
        ["jobs", "run", "nope"],
        ["demo-data", "x"],
      ]
    ) {
      const r = await cli(args, { DATA_DIR: dir });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /Usage|Unknown|Use:|takes/);
    }
  });
});

Deno.test("cli: migrate, demo-data (idempotent), backup, restore --list, check", async () => {
  await withDir(async (dir) => {
    const env = { DATA_DIR: dir };
    assert.equal((await cli(["migrate"], env)).code, 0);
    assert.match((await cli(["migrate", "status"], env)).stdout, /0001 initial: applied/);
    assert.match((await cli(["demo-data"], env)).stdout, /4 services added/);
    assert.match(
      (await cli(["demo-data"], env)).stdout,
      /0 services added, 0 weekdays set, 0 breaks added/,
    );
    const backup = await cli(["backup"], env);
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /verified/);
    assert.match((await cli(["restore", "--list"], env)).stdout, /booking-\d{8}T\d{6}Z\.db .* ok/);
    assert.equal((await cli(["check"], env)).code, 0);
  });
});

Deno.test("cli: restore refuses missing files, directories and non-databases, changing nothing", async () => {
  await withDir(async (dir) => {
    const env = { DATA_DIR: dir };
    await cli(["demo-data"], env);
    await Deno.writeTextFile(`${dir}/notes.txt`, "hello");
    await Deno.mkdir(`${dir}/folder`);
    const before = await tree(dir);
    for (const source of [`${dir}/missing.db`, `${dir}/folder`, `${dir}/notes.txt`]) {
      const r = await cli(["restore", source], env);
      assert.equal(r.code, 1, source);
      assert.match(r.stderr, /Nothing was changed/);
    }
    assert.deepEqual(await tree(dir), before);
    const latest = await cli(["restore", "--latest"], env);
    assert.equal(latest.code, 1);
    assert.match(latest.stderr, /Nothing was changed/);
  });
});

/** Copies `source` to `target` and marks the copy as written by a newer program (version 9999). */
function newerSchemaCopy(source: string, target: string): void {
  Deno.copyFileSync(source, target);
  const db = new DatabaseSync(target);
  db.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)");
  db.close();
}

Deno.test("cli: a backup from a newer program is never restored; --list and check say why", async () => {
  await withDir(async (dir) => {
    const env = { DATA_DIR: dir };
    await cli(["demo-data"], env);
    assert.equal((await cli(["backup"], env)).code, 0);
    const [good] = [...Deno.readDirSync(`${dir}/backups`)].map((e) => `${dir}/backups/${e.name}`);
    const newer = `${dir}/backups/booking-20991231T000000Z.db`;
    newerSchemaCopy(good, newer);
    const before = await Deno.readFile(`${dir}/booking.db`);

    const manual = await cli(["restore", newer], env);
    assert.notEqual(manual.code, 0);
    assert.match(manual.stderr, /schema version 9999 is newer than this program/);
    assert.deepEqual(await Deno.readFile(`${dir}/booking.db`), before, "booking.db untouched");

    const list = await cli(["restore", "--list"], env);
    assert.match(
      list.stdout,
      /booking-20991231T000000Z\.db .* v9999 +REFUSED: schema version 9999/,
    );
    assert.match(list.stdout, /booking-\d{8}T\d{6}Z\.db .* v\d+ +ok/);

    // --latest skips the newer file (the newest by name) and takes the compatible one.
    const latest = await cli(["restore", "--latest"], env);
    assert.equal(latest.code, 0, latest.stderr);
    assert.match(latest.stdout, new RegExp(`Restored .* from ${good}`));
    assert.match(
      latest.stdout,
      /Current database backed up first: .*booking-\d{8}T\d{6}Z(-\d+)?\.db\n/,
    );
    assert.doesNotMatch(latest.stdout, /object Object/);

    const check = await cli(["check"], env);
    assert.equal(check.code, 0);
    assert.match(check.stdout, /ok \(schema version \d+;/);
    newerSchemaCopy(good, `${dir}/booking.db`);
    const checkNewer = await cli(["check"], env);
    assert.equal(checkNewer.code, 1);
    assert.match(checkNewer.stderr, /too-new .*schema version 9999/);
  });
});

Deno.test("cli: restore of a missing file says 'Nothing was changed.' once", async () => {
  await withDir(async (dir) => {
    const r = await cli(["restore", "/nonexistent.db"], { DATA_DIR: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.match(/Nothing was changed/g)?.length, 1, r.stderr);
  });
});

Deno.test("cli: demo-data names the services and the master in BUSINESS_LANGUAGE (ru by default)", async () => {
  for (
    const [lang, haircut, description, master] of [
      [undefined, "Стрижка", "Мытьё, стрижка и укладка", "Мастер"],
      ["uk", "Стрижка", "Миття, стрижка та укладання", "Майстер"],
      ["en", "Haircut", "Wash, cut and style", "Master"],
    ] as const
  ) {
    await withDir(async (dir) => {
      const env: Record<string, string> = { DATA_DIR: dir };
      if (lang) env.BUSINESS_LANGUAGE = lang;
      const r = await cli(["demo-data"], env);
      assert.match(r.stdout, /4 services added/, r.stderr);
      const db = new DatabaseSync(`${dir}/booking.db`);
      try {
        const first = db.prepare("SELECT name, description FROM services ORDER BY id").all()[0];
        assert.deepEqual([first.name, first.description], [haircut, description], lang);
        assert.equal(db.prepare("SELECT name FROM staff WHERE id = 1").get()!.name, master);
      } finally {
        db.close();
      }
      // A second run in another language adds nothing: the samples are already there.
      const again = await cli(["demo-data"], { ...env, BUSINESS_LANGUAGE: "en" });
      assert.match(again.stdout, /0 services added/);
    });
  }
  const bad = await cli(["demo-data"], { BUSINESS_LANGUAGE: "de", DATA_DIR: "/nonexistent" });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /BUSINESS_LANGUAGE/);
});
