import assert from "node:assert/strict";
import { secretMatches } from "../../src/ops/webhook_server.ts";

Deno.test("webhook secret: only the exact secret matches", () => {
  assert.equal(secretMatches("s3cret_token", "s3cret_token"), true);
  for (const given of [null, "", "s3cret_toke", "s3cret_token_", "S3cret_token", "x".repeat(12)]) {
    assert.equal(secretMatches(given, "s3cret_token"), false, String(given));
  }
});
