import assert from "node:assert/strict";
import { startTestBot } from "../support/harness.ts";
import { catalogLinePatterns, fuzzUpdates, recordingLogger } from "../support/fuzz.ts";

const COUNT = Number(Deno.env.get("FUZZ_UPDATES") ?? 1500);

/** Pushes COUNT random updates and checks the bot stayed healthy and on-catalog. */
async function fuzz(adminIds: number[], seed: number) {
  const logger = recordingLogger();
  const t = await startTestBot({ adminIds, logger });
  try {
    const rejections: unknown[] = [];
    const onRejection = (e: PromiseRejectionEvent) => {
      rejections.push(e.reason);
      e.preventDefault();
    };
    globalThis.addEventListener("unhandledrejection", onRejection);
    try {
      const updates = fuzzUpdates(COUNT, seed);
      for (let i = 0; i < updates.length; i++) {
        t.fake.pushUpdate(updates[i]);
        // Spread over "minutes" so the rate limiter lets most through.
        if (i % 40 === 39) {
          await t.idle();
          t.clock.advance(61_000);
        }
      }
      await t.idle();
    } finally {
      globalThis.removeEventListener("unhandledrejection", onRejection);
    }
    assert.deepEqual(rejections, []);
    assert.deepEqual(
      logger.errors.map((e) => e.slice(0, 600)),
      [],
      "no update ended in the error boundary",
    );
    assert.equal(t.running.deps.metrics.errorsTotal.get(), 0);
    const patterns = catalogLinePatterns();
    const strays: string[] = [];
    for (const call of t.fake.calls) {
      if (!["sendMessage", "editMessageText"].includes(call.method)) continue;
      const text = String((call.payload as { text?: string }).text ?? "");
      for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        if (!patterns.some((p) => p.test(line))) strays.push(line.slice(0, 120));
      }
    }
    assert.deepEqual(strays.slice(0, 10), [], "lines not from the locale catalogs");
    const failed = t.fake.calls.filter((c) =>
      !(c.response as { ok: boolean }).ok && c.method !== "getUpdates"
    );
    assert.deepEqual(
      failed.map((c) => `${c.method}: ${JSON.stringify(c.response)}`).slice(0, 5).filter((s) =>
        !/message is not modified|query is too old|message to edit not found|message can't be edited/
          .test(s)
      ),
      [],
    );
    // Still alive and answering.
    const probe = t.fake.user(1, { first_name: "Probe", language_code: "en" });
    probe.sendText("/start");
    await t.idle();
    assert.match(probe.lastMessage()!.text!, /Hello/);
  } finally {
    await t.close();
  }
}

Deno.test(`fuzz: ${COUNT} random updates from clients — no crash, no error, every reply from the catalog`, () =>
  fuzz([700_003], 42));

// Every fuzz user an owner: forged and random admin buttons and inputs (found a NUL-in-name crash).
Deno.test(`fuzz: ${COUNT} random updates from owners — admin sections stay healthy too`, () =>
  fuzz(Array.from({ length: 12 }, (_, i) => 700_000 + i), 2));
