import assert from "node:assert/strict";
import { DenoKvStorage, type SessionKv } from "../../src/bot/kv_storage.ts";

/** The sets and deletes of one atomic operation (the session id, or undefined for a delete). */
type Ops = Array<[string, unknown]>;

/** An atomic operation that records its sets and deletes and hands them to `commit`. */
function atomicOf(commit: (ops: Ops) => Promise<Deno.KvCommitResult>) {
  const ops: Ops = [];
  const op = {
    set(key: Deno.KvKey, value: unknown) {
      ops.push([String(key[1]), value]);
      return op;
    },
    delete(key: Deno.KvKey) {
      ops.push([String(key[1]), undefined]);
      return op;
    },
    commit: () => commit(ops),
  };
  return op;
}

/** A KV whose commits the test finishes by hand, recording what each commit wrote. */
function manualKv() {
  const store = new Map<string, unknown>();
  const commits: Array<{ keys: string[]; finish: (ok: boolean | Error) => void }> = [];
  const kv = {
    get: (key: Deno.KvKey) =>
      Promise.resolve({ key, value: store.get(String(key[1])) ?? null, versionstamp: null }),
    atomic: () =>
      atomicOf((ops) =>
        new Promise((resolve, reject) => {
          commits.push({
            keys: ops.map(([k]) => k),
            finish: (outcome) => {
              if (outcome instanceof Error) return reject(outcome);
              if (outcome) {
                for (const [k, v] of ops) v === undefined ? store.delete(k) : store.set(k, v);
              }
              resolve({ ok: outcome, versionstamp: "0" } as Deno.KvCommitResult);
            },
          });
        })
      ),
  } as unknown as SessionKv;
  return { kv, store, commits };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function track(p: Promise<void>) {
  const state = { done: false, error: undefined as unknown };
  p.then(() => (state.done = true), (e) => (state.error = e));
  return state;
}

Deno.test("kv storage: each write resolves only after the commit that holds it", async () => {
  const { kv, store, commits } = manualKv();
  const storage = new DenoKvStorage<{ n: number }>(kv);
  const a = track(storage.write("a", { n: 1 }));
  const b = track(storage.write("b", { n: 2 }));
  const c = track(storage.write("c", { n: 3 }));
  await settle();
  // The first write commits at once; the others wait for the next commit, together.
  assert.deepEqual(commits.map((x) => x.keys), [["a"]]);
  assert.equal(a.done || b.done || c.done, false);
  commits[0].finish(true);
  await settle();
  assert.equal(a.done, true);
  assert.equal(b.done || c.done, false, "not committed yet, not resolved");
  assert.deepEqual(commits.map((x) => x.keys), [["a"], ["b", "c"]]);
  commits[1].finish(true);
  await settle();
  assert.equal(b.done && c.done, true);
  assert.deepEqual([...store.keys()].sort(), ["a", "b", "c"]);
  assert.equal(storage.commits, 2);
});

Deno.test("kv storage: a failed commit rejects each of its writes; later writes still commit", async () => {
  const { kv, commits } = manualKv();
  const storage = new DenoKvStorage<{ n: number }>(kv);
  const first = track(storage.write("a", { n: 1 }));
  const second = track(storage.write("b", { n: 2 }));
  const third = track(storage.write("c", { n: 3 }));
  await settle();
  commits[0].finish(true);
  await settle();
  const disk = new Error("disk full");
  commits[1].finish(disk);
  await settle();
  assert.equal(first.done, true);
  assert.equal(second.error, disk);
  assert.equal(third.error, disk);
  const fourth = track(storage.write("d", { n: 4 }));
  await settle();
  commits[2].finish(false); // a commit that reports ok: false is a failure too
  await settle();
  assert.ok(fourth.error instanceof Error);
  const fifth = track(storage.write("e", { n: 5 }));
  await settle();
  commits[3].finish(true);
  await settle();
  assert.equal(fifth.done, true);
});

Deno.test("kv storage: a write not yet committed is what the next read sees", async () => {
  const { kv, commits } = manualKv();
  const storage = new DenoKvStorage<{ n: number }>(kv);
  const w = track(storage.write("a", { n: 7 }));
  await settle();
  assert.deepEqual(await storage.read("a"), { n: 7 });
  // Written back unchanged: resolves only when the pending commit is durable.
  const again = track(storage.write("a", { n: 7 }));
  await settle();
  assert.equal(again.done, false);
  commits[0].finish(true);
  await settle();
  assert.equal(w.done && again.done, true);
  assert.equal(commits.length, 1, "the unchanged session was not written again");
});

Deno.test("kv storage: 200 concurrent writes on real Deno KV share few commits and all survive reopening", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv-storage-" });
  try {
    const path = `${dir}/sessions.kv`;
    let kv = await Deno.openKv(path);
    const storage = new DenoKvStorage<{ step: string; n: number }>(kv);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => storage.write(String(i), { step: "name", n: i })),
    );
    assert.ok(storage.commits <= 3, `${storage.commits} commits for 200 writes`);
    kv.close();
    kv = await Deno.openKv(path);
    const reread = new DenoKvStorage<{ step: string; n: number }>(kv);
    for (let i = 0; i < 200; i++) {
      assert.deepEqual(await reread.read(String(i)), { step: "name", n: i });
    }
    await reread.delete("5");
    assert.equal(await reread.read("5"), undefined);
    kv.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A store with versionstamps, standing for Deno KV and the file other processes write too. */
function versionedKv() {
  const store = new Map<string, { value: unknown; versionstamp: string }>();
  let version = 0;
  const put = (key: string, value: unknown) => {
    const versionstamp = String(++version).padStart(20, "0");
    if (value === undefined) store.delete(key);
    else store.set(key, { value: structuredClone(value), versionstamp });
    return versionstamp;
  };
  const kv = {
    get: (key: Deno.KvKey) => {
      const entry = store.get(String(key[1]));
      return Promise.resolve({
        key,
        value: entry ? structuredClone(entry.value) : null,
        versionstamp: entry?.versionstamp ?? null,
      });
    },
    atomic: () =>
      atomicOf((ops) => {
        const versionstamp = String(++version).padStart(20, "0");
        for (const [k, v] of ops) {
          if (v === undefined) store.delete(k);
          else store.set(k, { value: structuredClone(v), versionstamp });
        }
        return Promise.resolve({ ok: true as const, versionstamp });
      }),
  } as unknown as SessionKv;
  const versions = {
    versionOf: (key: readonly string[]) => store.get(key[1])?.versionstamp ?? null,
    close() {},
  };
  return { kv, versions, otherProcessWrites: put };
}

Deno.test("kv storage: a session is read from memory while its versionstamp is unchanged, as a copy", async () => {
  const { kv, versions } = versionedKv();
  const storage = new DenoKvStorage<{ n: number }>(kv, "sessions", versions);
  await storage.write("a", { n: 1 });
  const first = await storage.read("a");
  assert.deepEqual(first, { n: 1 });
  assert.equal(storage.kvReads, 0, "what was just committed is what is stored");
  first!.n = 99; // the handler changes its copy
  assert.deepEqual(await storage.read("a"), { n: 1 });
  assert.equal(storage.kvReads, 0);
  // Absent sessions are remembered as absent.
  assert.equal(await storage.read("new"), undefined);
  assert.equal(await storage.read("new"), undefined);
  assert.equal(storage.kvReads, 1);
});

Deno.test("kv storage: a write by another process (a new versionstamp) sends the next read to Deno KV", async () => {
  const { kv, versions, otherProcessWrites } = versionedKv();
  const storage = new DenoKvStorage<{ n: number }>(kv, "sessions", versions);
  await storage.write("a", { n: 1 });
  assert.equal(await storage.read("new"), undefined);
  otherProcessWrites("a", { n: 2 });
  otherProcessWrites("new", { n: 3 });
  assert.deepEqual(await storage.read("a"), { n: 2 });
  assert.deepEqual(await storage.read("new"), { n: 3 });
  assert.equal(storage.kvReads, 3);
  otherProcessWrites("a", undefined); // deleted elsewhere
  assert.equal(await storage.read("a"), undefined);
  assert.deepEqual(await storage.read("new"), { n: 3 });
  assert.equal(storage.kvReads, 4);
});

Deno.test("kv storage: without versionstamps every read goes to Deno KV; memory holds at most 1,000", async () => {
  const plain = versionedKv();
  const storage = new DenoKvStorage<{ n: number }>(plain.kv);
  await storage.write("a", { n: 1 });
  await storage.read("a");
  await storage.read("a");
  assert.equal(storage.kvReads, 2);

  const { kv, versions } = versionedKv();
  const bounded = new DenoKvStorage<{ n: number }>(kv, "sessions", versions);
  for (let i = 0; i <= 1000; i++) await bounded.write(String(i), { n: i });
  assert.deepEqual(await bounded.read("1000"), { n: 1000 });
  assert.equal(bounded.kvReads, 0);
  assert.deepEqual(await bounded.read("0"), { n: 0 }, "the least recently used went first");
  assert.equal(bounded.kvReads, 1);
});
