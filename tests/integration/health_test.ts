import assert from "node:assert/strict";
import { startHealthServer, type UpdatesStatus } from "../../src/ops/health.ts";
import { createBotMetrics, Registry } from "../../src/ops/metrics.ts";

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
/** The version deno.json declares, read from the file itself (not through src/version.ts). */
const DENO_JSON_VERSION: string =
  JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url))).version;

Deno.test("port 0 without ephemeral means the server is off", () => {
  const server = startHealthServer({
    port: 0,
    metrics: new Registry(),
    checks: { database: () => true, updates: () => ({ mode: "polling", alive: true }) },
  });
  assert.equal(server, null);
});

Deno.test("/healthz reports 200 when healthy and 503 otherwise; /metrics; 404", async () => {
  const metrics = createBotMetrics();
  let databaseOk = true;
  let updates: UpdatesStatus = { mode: "polling", alive: true, lastUpdateAt: T0 };
  let uptime = 42;
  const server = startHealthServer({
    port: 0,
    ephemeral: true,
    hostname: "127.0.0.1",
    metrics,
    checks: { database: () => databaseOk, updates: () => updates, uptimeSeconds: () => uptime },
  });
  assert.ok(server);
  assert.ok(server.port > 0);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    let res = await fetch(`${base}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    assert.deepEqual(await res.json(), {
      status: "ok",
      database: true,
      mode: "polling",
      alive: true,
      lastUpdateAt: T0,
      version: DENO_JSON_VERSION,
      uptimeSeconds: 42,
    });

    databaseOk = false;
    uptime = 3600;
    res = await fetch(`${base}/healthz`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), {
      status: "unhealthy",
      database: false,
      mode: "polling",
      alive: true,
      lastUpdateAt: T0,
      version: DENO_JSON_VERSION,
      uptimeSeconds: 3600,
    });

    databaseOk = true;
    updates = { mode: "webhook", alive: false };
    res = await fetch(`${base}/healthz`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), {
      status: "unhealthy",
      database: true,
      mode: "webhook",
      alive: false,
      version: DENO_JSON_VERSION,
      uptimeSeconds: 3600,
    });

    // A check that throws counts as failed, not as a crash.
    updates = { mode: "polling", alive: true };
    const throwing = startHealthServer({
      port: 0,
      ephemeral: true,
      hostname: "127.0.0.1",
      metrics,
      checks: {
        database: () => {
          throw new Error("database is locked");
        },
        updates: () => updates,
      },
    })!;
    try {
      res = await fetch(`http://127.0.0.1:${throwing.port}/healthz`);
      assert.equal(res.status, 503);
      assert.equal((await res.json()).database, false);
    } finally {
      await throwing.shutdown();
    }

    metrics.updatesTotal.inc();
    metrics.updatesTotal.inc();
    metrics.bookingsCreatedTotal.inc();
    metrics.remindersSentTotal.inc({ kind: "day_before" });
    metrics.telegramApiCallDuration.observe({ method: "sendMessage" }, 0.02);
    metrics.telegramApiCallDuration.observe({ method: "sendMessage" }, 7);
    metrics.lastUpdateTimestampSeconds.set(undefined, T0 / 1000);
    res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (
      const line of [
        "# HELP updates_total Telegram updates received.",
        "# TYPE updates_total counter",
        "updates_total 2",
        "# TYPE errors_total counter",
        "errors_total 0",
        "bookings_created_total 1",
        "bookings_cancelled_total 0",
        "# TYPE reminders_sent_total counter",
        'reminders_sent_total{kind="day_before"} 1',
        "# TYPE telegram_api_call_duration_seconds histogram",
        'telegram_api_call_duration_seconds_bucket{method="sendMessage",le="0.005"} 0',
        'telegram_api_call_duration_seconds_bucket{method="sendMessage",le="0.025"} 1',
        'telegram_api_call_duration_seconds_bucket{method="sendMessage",le="5"} 1',
        'telegram_api_call_duration_seconds_bucket{method="sendMessage",le="+Inf"} 2',
        'telegram_api_call_duration_seconds_sum{method="sendMessage"} 7.02',
        'telegram_api_call_duration_seconds_count{method="sendMessage"} 2',
        "# TYPE last_update_timestamp_seconds gauge",
        `last_update_timestamp_seconds ${T0 / 1000}`,
      ]
    ) {
      assert.ok(text.split("\n").includes(line), `missing line: ${line}\n${text}`);
    }
    assert.ok(text.endsWith("\n"));

    res = await fetch(`${base}/nope`);
    assert.equal(res.status, 404);
    await res.body?.cancel();
    res = await fetch(`${base}/healthz`, { method: "POST" });
    assert.equal(res.status, 405);
    await res.body?.cancel();
  } finally {
    await server.shutdown();
  }
});

Deno.test("/healthz shows the deno.json version and the process uptime in whole seconds", async () => {
  assert.match(
    DENO_JSON_VERSION,
    /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/,
    "deno.json version is semver",
  );
  const server = startHealthServer({
    port: 0,
    ephemeral: true,
    hostname: "127.0.0.1",
    metrics: new Registry(),
    checks: { database: () => true, updates: () => ({ mode: "polling", alive: true }) },
  })!;
  try {
    const before = Math.floor(performance.now() / 1000);
    const body = await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json();
    const after = Math.floor(performance.now() / 1000);
    assert.equal(body.version, DENO_JSON_VERSION);
    assert.ok(Number.isInteger(body.uptimeSeconds), `uptime ${body.uptimeSeconds}`);
    assert.ok(before <= body.uptimeSeconds && body.uptimeSeconds <= after);
  } finally {
    await server.shutdown();
  }
});

Deno.test("metrics registry: label escaping, validation, gauges", () => {
  const registry = new Registry();
  const counter = registry.counter("things_total", "Things\nwith a newline in help.", ["name"]);
  counter.inc({ name: 'say "hi"\\now' }, 2);
  const gauge = registry.gauge("queue_length", "Items waiting.");
  gauge.inc();
  gauge.inc(undefined, 4);
  gauge.dec();
  assert.equal(gauge.get(), 4);
  assert.throws(() => counter.inc({ name: "x" }, -1), /only go up/);
  assert.throws(() => counter.inc({ other: "x" }), /takes labels/);
  assert.throws(() => registry.counter("things_total", "again"), /already exists/);
  assert.throws(() => registry.counter("bad-name", "x"), /Invalid metric name/);
  assert.equal(
    registry.render(),
    "# HELP things_total Things\\nwith a newline in help.\n" +
      "# TYPE things_total counter\n" +
      'things_total{name="say \\"hi\\"\\\\now"} 2\n' +
      "# HELP queue_length Items waiting.\n" +
      "# TYPE queue_length gauge\n" +
      "queue_length 4\n",
  );
});

Deno.test("metrics registry: series without labels count apart per metric; labels still checked", () => {
  const registry = new Registry();
  const a = registry.counter("a_total", "A.");
  const b = registry.counter("b_total", "B.");
  const h = registry.histogram("h_seconds", "H.", [], [0.1, 1]);
  a.inc();
  a.inc();
  b.inc(undefined, 5);
  h.observe(undefined, 0.5);
  h.observe(undefined, 2);
  assert.equal(a.get(), 2);
  assert.equal(b.get(), 5);
  assert.deepEqual(h.get(), { count: 2, sum: 2.5 });
  assert.throws(() => a.inc({ x: "1" }), /takes labels/);
  assert.throws(() => registry.counter("c_total", "C.", ["x"]).inc(), /takes labels/);
  assert.match(registry.render(), /^a_total 2$/m);
  assert.match(registry.render(), /^h_seconds_bucket\{le="1"\} 1$/m);
});
