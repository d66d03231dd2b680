import assert from "node:assert/strict";
import { PauseGate } from "../../src/ops/pause_gate.ts";

/** Lets pending promise callbacks run (no timers). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

Deno.test("pause gate: pause waits for updates in progress; new ones wait, none is dropped", async () => {
  const gate = new PauseGate();
  const log: string[] = [];
  let finishFirst!: () => void;
  const first = gate.pass(async () => {
    log.push("first started");
    await new Promise<void>((resolve) => (finishFirst = resolve));
    log.push("first done");
  });
  let paused = false;
  const pausing = gate.pause().then(() => (paused = true));
  await settle();
  assert.ok(gate.paused);
  assert.equal(paused, false, "pause waits for the update in progress");
  const second = gate.pass(() => {
    log.push("second ran");
    return Promise.resolve(2);
  });
  await settle();
  assert.equal(gate.waiting, 1);
  finishFirst();
  await pausing;
  assert.ok(paused);
  assert.deepEqual(log, ["first started", "first done"], "the waiting one has not run");
  gate.resume();
  assert.equal(await second, 2);
  await first;
  assert.deepEqual(log, ["first started", "first done", "second ran"]);
  assert.equal(gate.waiting, 0);
  assert.equal(gate.paused, false);
});

Deno.test("pause gate: pausing an idle gate resolves at once; errors pass through", async () => {
  const gate = new PauseGate();
  await gate.pause();
  assert.ok(gate.paused);
  gate.resume();
  await assert.rejects(gate.pass(() => Promise.reject(new Error("boom"))), /boom/);
  await gate.pause(); // the failed update does not count as in progress
  gate.resume();
});
