import assert from "node:assert/strict";
import { z } from "zod";
import { cb, codec } from "../../src/ui/callback_data.ts";

Deno.test("callback data: pack and unpack round-trip, and a foreign prefix does not parse", () => {
  const packed = cb.slot.pack({ start: 1_790_000_000, staff: 3 });
  assert.equal(packed, "bt:1790000000:3");
  assert.deepEqual(cb.slot.unpack(packed), { start: 1_790_000_000, staff: 3 });
  assert.equal(cb.confirm.pack({}), "bo");
  assert.equal(cb.day.unpack(packed), undefined);
});

Deno.test("callback data: more than Telegram's 64 bytes throws, counted in UTF-8 bytes", () => {
  const text = codec("t", { s: z.string() });
  assert.equal(text.pack({ s: "a".repeat(62) }).length, 64);
  assert.throws(() => text.pack({ s: "a".repeat(63) }), /too long/);
  // 3-byte characters: 21 of them are 63 bytes (+ "t:" = 65), though only 23 UTF-16 units.
  assert.equal(text.pack({ s: "€".repeat(20) }), `t:${"€".repeat(20)}`);
  assert.throws(() => text.pack({ s: "€".repeat(21) }), /too long/);
  assert.throws(() => text.pack({ s: "я".repeat(32) }), /too long/);
});
