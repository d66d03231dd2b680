/** The first log record of a start names the release (deno.json `version`). */
import assert from "node:assert/strict";
import { startTestBot } from "../support/harness.ts";
import { createLogger } from "../../src/ops/log.ts";

Deno.test("e2e: the first log line is the Starting record with the deno.json version", async () => {
  const declared: string = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  ).version;
  const dir = await Deno.makeTempDir({ prefix: "booking-version-log-" });
  const file = `${dir}/bot.log`;
  const logger = createLogger({ level: "INFO", file, console: false });
  try {
    const t = await startTestBot({ logger });
    await t.close();
    const first = (await Deno.readTextFile(file)).split("\n")[0];
    assert.match(first, /Starting/);
    assert.ok(first.includes(declared), `no version ${declared} in: ${first}`);
    assert.match(first, new RegExp(`version[=:]"?${declared.replaceAll(".", "\\.")}`));
  } finally {
    logger.close();
    await Deno.remove(dir, { recursive: true });
  }
});
