import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../src/config.ts";

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

Deno.test("config: servers listen on 127.0.0.1 unless told otherwise", () => {
  const c = parseConfig({});
  assert.equal(c.healthHost, "127.0.0.1");
  assert.equal(c.webhookHost, "127.0.0.1");
  const open = parseConfig({ HEALTH_HOST: "0.0.0.0", WEBHOOK_HOST: "0.0.0.0" });
  assert.equal(open.healthHost, "0.0.0.0");
  assert.equal(open.webhookHost, "0.0.0.0");
});

Deno.test("config: webhook mode needs an https:// URL and a secret", () => {
  assert.deepEqual(problems({ WEBHOOK_URL: "https://bot.example/hook" }), [
    "WEBHOOK_SECRET: is required in webhook mode (WEBHOOK_URL is set)",
  ]);
  assert.match(
    problems({ WEBHOOK_URL: "http://bot.example/hook", WEBHOOK_SECRET: "s" }).join(),
    /WEBHOOK_URL: must be an https:\/\/ URL/,
  );
  const ok = parseConfig({ WEBHOOK_URL: "https://bot.example/hook", WEBHOOK_SECRET: "s" });
  assert.equal(ok.webhookSecret, "s");
});

Deno.test("config: every bad setting is named at once, hour ranges included", () => {
  const names = problems({
    ADMIN_IDS: "x",
    REMINDER_DAY_BEFORE_HOUR: "24",
    ADMIN_AGENDA_HOUR: "7.5",
    MESSAGE_CLEANUP_HOURS: "48",
    BACKUP_TO_OWNERS: "maybe",
    WEBHOOK_URL: "https://bot.example/hook",
  }).map((p) => p.split(":")[0]);
  assert.deepEqual(names.sort(), [
    "ADMIN_AGENDA_HOUR",
    "ADMIN_IDS",
    "BACKUP_TO_OWNERS",
    "MESSAGE_CLEANUP_HOURS",
    "REMINDER_DAY_BEFORE_HOUR",
    "WEBHOOK_SECRET",
  ]);
});

Deno.test("config: BACKUP_INTERVAL_MINUTES (default 60), BACKUP_INTERVAL_HOURS as an alias", () => {
  assert.equal(parseConfig({}).backupIntervalMinutes, 60);
  assert.equal(parseConfig({ BACKUP_INTERVAL_MINUTES: "15" }).backupIntervalMinutes, 15);
  assert.equal(parseConfig({ BACKUP_INTERVAL_HOURS: "24" }).backupIntervalMinutes, 1440);
  assert.equal(parseConfig({ BACKUP_INTERVAL_HOURS: "0" }).backupIntervalMinutes, 0);
  assert.equal(
    parseConfig({ BACKUP_INTERVAL_MINUTES: "30", BACKUP_INTERVAL_HOURS: "24" })
      .backupIntervalMinutes,
    30,
    "the new name wins",
  );
  assert.equal(parseConfig({}).backupToOwners, true);
  assert.equal(parseConfig({ BACKUP_TO_OWNERS: "0" }).backupToOwners, false);
});

Deno.test("config: BUSINESS_LANGUAGE is ru, en or uk (default ru), named with the other bad ones", () => {
  assert.equal(parseConfig({}).businessLanguage, "ru");
  assert.equal(parseConfig({ BUSINESS_LANGUAGE: " UK " }).businessLanguage, "uk");
  assert.equal(parseConfig({ BUSINESS_LANGUAGE: "en" }).businessLanguage, "en");
  const bad = problems({ BUSINESS_LANGUAGE: "de", LOG_LEVEL: "loud" });
  assert.deepEqual(bad.map((p) => p.split(":")[0]).sort(), ["BUSINESS_LANGUAGE", "LOG_LEVEL"]);
  assert.match(bad.join(), /BUSINESS_LANGUAGE: must be one of ru, en, uk, got "de"/);
});
