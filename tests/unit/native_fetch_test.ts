import assert from "node:assert/strict";
import { nativeFetch } from "../../src/telegram/native_fetch.ts";

/** A local server that records what it received; `hold` keeps its answer back until released. */
function server() {
  const received: { body: string; type: string | null }[] = [];
  let release = () => {};
  const held = new Promise<void>((r) => release = r);
  let hold = false;
  const s = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    received.push({ body: await req.text(), type: req.headers.get("content-type") });
    if (hold) await held;
    return new Response("{}");
  });
  return {
    url: `http://127.0.0.1:${s.addr.port}/`,
    received,
    holdAnswers: () => hold = true,
    async close() {
      release();
      await s.shutdown();
    },
  };
}

/** The abort-controller package's signal as grammY's npm build hands it over (not a web one). */
function foreignSignal() {
  const listeners: (() => void)[] = [];
  const signal = {
    aborted: false,
    addEventListener: (_type: string, f: () => void) => listeners.push(f),
  };
  return {
    signal,
    abort() {
      signal.aborted = true;
      for (const f of listeners) f();
    },
  };
}

Deno.test("nativeFetch: a JSON call's string body and headers reach the server as they are", async () => {
  const s = server();
  try {
    const res = await nativeFetch(s.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"chat_id":1}',
      signal: foreignSignal().signal as unknown as AbortSignal,
    });
    await res.body?.cancel();
    assert.deepEqual(s.received, [{ body: '{"chat_id":1}', type: "application/json" }]);
  } finally {
    await s.close();
  }
});

Deno.test("nativeFetch: an upload streamed as an async iterable is sent as its bytes", async () => {
  const s = server();
  async function* parts() {
    yield "--b\r\n";
    yield new TextEncoder().encode("file ✓");
  }
  try {
    const init = { method: "POST", body: parts() } as unknown as RequestInit;
    await (await nativeFetch(s.url, init)).body?.cancel();
    assert.deepEqual(s.received.map((r) => r.body), ["--b\r\nfile ✓"]);
  } finally {
    await s.close();
  }
});

Deno.test("nativeFetch: grammY's foreign signal aborts the call, before or during it", async () => {
  const s = server();
  try {
    const before = foreignSignal();
    before.abort();
    await assert.rejects(
      nativeFetch(s.url, { method: "POST", body: "x", signal: before.signal as never }),
      (e: Error) => e.name === "AbortError",
    );
    s.holdAnswers();
    const during = foreignSignal();
    const call = nativeFetch(s.url, { method: "POST", body: "y", signal: during.signal as never });
    while (s.received.length === 0) await new Promise((r) => setTimeout(r, 0));
    during.abort();
    await assert.rejects(call, (e: Error) => e.name === "AbortError");
  } finally {
    await s.close();
  }
});
