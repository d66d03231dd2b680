/** The durability barrier's group commit, with a sync the test completes by hand (no sleeping). */
import assert from "node:assert/strict";
import { WalSync } from "../../src/db/wal_sync.ts";

/** A sync function whose calls stay open until the test settles them. */
function heldSync() {
  const calls: { path: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const sync = (path: string) =>
    new Promise<void>((resolve, reject) => calls.push({ path, resolve, reject }));
  return { calls, sync };
}

/** Lets every pending promise continuation run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Tracks whether a promise has settled, and how. */
function watch(promise: Promise<void>) {
  const state = { done: false, error: undefined as unknown };
  promise.then(() => state.done = true, (error) => {
    state.done = true;
    state.error = error;
  });
  return state;
}

Deno.test("wal sync: a clean flush syncs nothing and resolves at once", async () => {
  const { calls, sync } = heldSync();
  const barrier = new WalSync("/data/booking.db", sync);
  assert.equal(barrier.dirty, false);
  await barrier.flush();
  assert.equal(calls.length, 0);
});

Deno.test("wal sync: a flush waits for one sync of the database's path", async () => {
  const { calls, sync } = heldSync();
  const barrier = new WalSync("/data/booking.db", sync);
  barrier.markDirty();
  assert.equal(barrier.dirty, true);
  const flushed = watch(barrier.flush());
  await settle();
  assert.equal(calls.length, 1);
  assert.equal(calls[0].path, "/data/booking.db");
  assert.equal(flushed.done, false, "not durable before the sync ends");
  calls[0].resolve();
  await settle();
  assert.equal(flushed.done, true);
  assert.equal(barrier.dirty, false);
  await barrier.flush();
  assert.equal(calls.length, 1, "clean again: no second sync");
});

Deno.test("wal sync: a commit made while a sync runs needs the next sync", async () => {
  const { calls, sync } = heldSync();
  const barrier = new WalSync("/db", sync);
  barrier.markDirty();
  const first = watch(barrier.flush());
  await settle();
  assert.equal(calls.length, 1);
  barrier.markDirty(); // committed while the first sync is in flight
  const second = watch(barrier.flush());
  await settle();
  assert.equal(calls.length, 1, "the second waits for the first to end before its own starts");
  calls[0].resolve();
  await settle();
  assert.equal(first.done, true);
  assert.equal(second.done, false, "the sync that started before its commit does not count");
  assert.equal(barrier.dirty, true);
  assert.equal(calls.length, 2, "the next sync started at once");
  calls[1].resolve();
  await settle();
  assert.equal(second.done, true);
  assert.equal(barrier.dirty, false);
});

Deno.test("wal sync: many commits during one sync share one more sync", async () => {
  const { calls, sync } = heldSync();
  const barrier = new WalSync("/db", sync);
  barrier.markDirty();
  const first = watch(barrier.flush());
  await settle();
  const waiters = [];
  for (let i = 0; i < 20; i++) {
    barrier.markDirty();
    waiters.push(watch(barrier.flush()));
  }
  await settle();
  assert.equal(calls.length, 1);
  calls[0].resolve();
  await settle();
  assert.equal(first.done, true);
  assert.equal(calls.length, 2, "20 commits made during the first sync: exactly one more sync");
  assert.ok(waiters.every((w) => !w.done));
  calls[1].resolve();
  await settle();
  assert.ok(waiters.every((w) => w.done && w.error === undefined));
  assert.equal(calls.length, 2);
});

Deno.test("wal sync: a failed sync rejects its waiters, stays dirty, and the next flush retries", async () => {
  const { calls, sync } = heldSync();
  const barrier = new WalSync("/db", sync);
  barrier.markDirty();
  const a = watch(barrier.flush());
  const b = watch(barrier.flush());
  await settle();
  assert.equal(calls.length, 1, "two waiters of one commit share one sync");
  calls[0].reject(new Error("EIO"));
  await settle();
  assert.match(String(a.error), /EIO/);
  assert.match(String(b.error), /EIO/);
  assert.equal(barrier.dirty, true, "a failed sync makes nothing durable");
  const retry = watch(barrier.flush());
  await settle();
  assert.equal(calls.length, 2, "the next flush syncs again");
  calls[1].resolve();
  await settle();
  assert.equal(retry.done, true);
  assert.equal(retry.error, undefined);
  assert.equal(barrier.dirty, false);
});

Deno.test("wal sync: a commit waiting behind a sync that fails is not rejected by it", async () => {
  const { calls, sync } = heldSync();
  const barrier = new WalSync("/db", sync);
  barrier.markDirty();
  const first = watch(barrier.flush());
  await settle();
  barrier.markDirty();
  const second = watch(barrier.flush());
  calls[0].reject(new Error("EIO"));
  await settle();
  assert.match(String(first.error), /EIO/);
  assert.equal(second.done, false, "its own sync (the next one) decides");
  assert.equal(calls.length, 2);
  calls[1].resolve();
  await settle();
  assert.equal(second.done, true);
  assert.equal(second.error, undefined);
  assert.equal(barrier.dirty, false);
});
