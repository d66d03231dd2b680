/**
 * The versionstamp reader against the real Deno KV of the pinned Deno: what it reads from the
 * store's file is what Deno KV reports, for this process's writes and another instance's, and a
 * file of another layout gets no reader. Session storage on it, shared by two instances.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openKvVersions } from "../../src/db/kv_versions.ts";
import { DenoKvStorage } from "../../src/bot/kv_storage.ts";

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "kv-versions-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("kv versions: the file says what Deno KV says, whoever wrote", () =>
  withDir(async (dir) => {
    const path = `${dir}/state.kv`;
    const kv = await Deno.openKv(path);
    const other = await Deno.openKv(path); // another process's instance, as far as files go
    const versions = openKvVersions(path)!;
    try {
      assert.ok(versions, "the pinned Deno's layout is recognised");
      const stamp = async (key: string[]) => (await kv.get(key)).versionstamp;
      await kv.set(["sessions", "101"], { step: "idle" });
      assert.equal(versions.versionOf(["sessions", "101"]), await stamp(["sessions", "101"]));
      assert.equal(versions.versionOf(["sessions", "202"]), null, "absent");
      const both = await kv.atomic().set(["sessions", "-100123"], 1).set(["sessions", "a\0b"], 2)
        .commit();
      assert.ok(both.ok);
      assert.equal(versions.versionOf(["sessions", "-100123"]), both.versionstamp);
      assert.equal(versions.versionOf(["sessions", "a\0b"]), both.versionstamp, "NUL escaped");
      assert.equal(versions.versionOf(["sessions", "a"]), null);
      const before = versions.versionOf(["sessions", "101"]);
      await other.set(["sessions", "101"], { step: "name" });
      const after = versions.versionOf(["sessions", "101"]);
      assert.notEqual(after, before);
      assert.equal(after, await stamp(["sessions", "101"]));
      await other.delete(["sessions", "101"]);
      assert.equal(versions.versionOf(["sessions", "101"]), null);
    } finally {
      versions.close();
      other.close();
      kv.close();
    }
  }));

Deno.test("kv versions: no reader for a file of another layout, or none", () =>
  withDir(async (dir) => {
    const db = new DatabaseSync(`${dir}/other.db`);
    db.exec("CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT)");
    db.close();
    assert.equal(openKvVersions(`${dir}/other.db`), undefined);
    assert.equal(openKvVersions(`${dir}/missing.kv`), undefined);
    await Promise.resolve();
  }));

Deno.test("kv versions: two instances share sessions; each serves its own from memory until the other writes", () =>
  withDir(async (dir) => {
    const path = `${dir}/state.kv`;
    const kvA = await Deno.openKv(path);
    const kvB = await Deno.openKv(path);
    const versionsA = openKvVersions(path)!;
    const versionsB = openKvVersions(path)!;
    try {
      const a = new DenoKvStorage<{ step: string }>(kvA, "sessions", versionsA);
      const b = new DenoKvStorage<{ step: string }>(kvB, "sessions", versionsB);
      await a.write("7", { step: "service" });
      assert.deepEqual(await a.read("7"), { step: "service" });
      assert.equal(a.kvReads, 0, "A's own write, from memory");
      assert.deepEqual(await b.read("7"), { step: "service" });
      await b.write("7", { step: "date" });
      assert.deepEqual(await a.read("7"), { step: "date" }, "B's write is seen by A");
      assert.equal(a.kvReads, 1);
      assert.deepEqual(await a.read("7"), { step: "date" });
      assert.equal(a.kvReads, 1, "and then held");
    } finally {
      versionsA.close();
      versionsB.close();
      kvA.close();
      kvB.close();
    }
  }));
