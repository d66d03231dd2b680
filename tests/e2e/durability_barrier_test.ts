/**
 * The durability barrier end to end: while the fsync of a confirmed booking is held, the bot
 * says nothing to anybody (no answer to the press, no edited screen, no confirmation or .ics
 * from the outbox, no notice to the owner); once the fsync completes, everything arrives.
 */
import assert from "node:assert/strict";
import { pickDemoSlot, startTestBot } from "../support/harness.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";
import { syncWalFile } from "../../src/db/wal_sync.ts";

/** The real sync, which the test can hold: calls made while held wait for `release`. */
function holdableSync() {
  let held = false;
  let release = () => {};
  let opened: Promise<void> = Promise.resolve();
  let requested = () => {};
  const state = {
    calls: 0,
    /** Holds every sync from now on; resolves `firstHeld` when the bot asks for one. */
    hold(): Promise<void> {
      held = true;
      opened = new Promise((resolve) => release = resolve);
      return new Promise((resolve) => requested = resolve);
    },
    release() {
      held = false;
      release();
    },
    async sync(path: string): Promise<void> {
      state.calls++;
      if (held) {
        requested();
        await opened;
      }
      await syncWalFile(path);
    },
  };
  return state;
}

/** `promise`, or a failure naming `what` after 10 s (a broken barrier never asks to sync). */
async function within(promise: Promise<void>, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) =>
    timer = setTimeout(() => reject(new Error(`never happened: ${what}`)), 10_000)
  );
  try {
    await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const OWNER = 900;
const CLIENT = 101;

Deno.test("e2e: nothing leaves the bot before the confirmed booking is fsynced; then everything does", async () => {
  const wal = holdableSync();
  const t = await startTestBot({ adminIds: [OWNER], syncWal: wal.sync });
  try {
    t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" }).sendText("/start");
    await t.idle();
    const anna = t.fake.user(CLIENT, { first_name: "Анна", language_code: "ru" });
    anna.sendText("/start");
    await t.idle();
    anna.press("Записаться");
    await t.idle();
    await pickDemoSlot(t, anna);
    anna.press("Анна");
    await t.idle();
    anna.sendContact("+79161234567");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /Проверьте запись/);

    const firstHeld = wal.hold();
    const before = t.fake.calls.length;
    anna.press("Подтвердить");
    // The booking committed and the bot asked for its fsync.
    await within(firstHeld, "the bot asks for the fsync");
    await t.fake.waitForIdle(300, 10_000); // time for anything that would leave anyway
    const booking = getBooking(t.running.deps.db, 1);
    assert.equal(booking?.status, "active", "committed (visible), only its fsync is held");
    const sent = t.fake.calls.slice(before).filter((c) => c.method !== "getUpdates");
    assert.deepEqual(sent.map((c) => c.method), [], "nothing was said before the fsync");
    assert.ok(t.running.inFlight() > 0, "the update is not finished either");

    wal.release();
    await t.idle();
    const methods = t.fake.calls.slice(before).map((c) => c.method);
    assert.ok(methods.includes("answerCallbackQuery"), "the press is answered");
    assert.ok(anna.messages().some((m) => m.text?.includes("Вы записаны")), "confirmation");
    assert.ok(anna.messages().some((m) => m.kind === "document"), ".ics");
    const owner = t.fake.user(OWNER).messages();
    assert.ok(owner.some((m) => m.text?.includes("Новая запись")), "owner notified");
    assert.equal(t.running.inFlight(), 0);
    assert.ok(wal.calls >= 2, "the booking's sync, then the outbox's own writes");
  } finally {
    wal.release();
    await t.close();
  }
});

Deno.test("e2e: stop waits for the fsync of deferred commits before it closes the database", async () => {
  const wal = holdableSync();
  const t = await startTestBot({ syncWal: wal.sync, owedMessages: false });
  let stopped = false;
  try {
    t.fake.user(CLIENT, { first_name: "Анна", language_code: "ru" }).sendText("/start");
    await t.idle();
    const firstHeld = wal.hold();
    t.running.deps.bookings.createBooking({
      userId: CLIENT,
      serviceId: 1,
      staff: 1,
      start: Date.parse("2026-12-02T07:00:00Z"),
      clientName: "Анна",
      phone: "+79161234567",
    });
    const stopping = t.running.stop().then(() => stopped = true);
    await within(firstHeld, "stop asks for the fsync");
    await t.fake.waitForIdle(100, 5_000);
    assert.equal(stopped, false, "stop is waiting for the fsync");
    assert.ok(t.running.deps.db.isOpen, "the database is still open");
    wal.release();
    await stopping;
    assert.equal(stopped, true);
    assert.equal(t.running.deps.db.isOpen, false);
  } finally {
    wal.release();
    await t.close();
  }
});
