/**
 * Two (or more) bot processes in webhook mode on one data directory, behind a tiny load
 * balancer: the fake Bot API delivers to the balancer, which answers at once and forwards
 * each user's updates, in order, to the process chosen by the user id. Different users are
 * forwarded concurrently, so processes really race for the same slots.
 */
import { FakeBotApi, type FakeUser } from "./fake_bot_api.ts";
import { behindTlsProxy } from "./tls_proxy.ts";

/** Free TCP ports on 127.0.0.1. */
export function freePorts(n: number): number[] {
  const listeners = Array.from(
    { length: n },
    () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  );
  const ports = listeners.map((l) => (l.addr as Deno.NetAddr).port);
  for (const l of listeners) l.close();
  return ports;
}

/** A running cluster. */
export interface Cluster {
  fake: FakeBotApi;
  dataDir: string;
  /** Updates forwarded per process. */
  forwarded: number[];
  stop(): Promise<void>;
}

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

/**
 * Starts `processes` bot processes in webhook mode plus the balancer, which sends each user's
 * updates (one at a time) to one process, or with `alternate` to each process in turn.
 */
export async function startCluster(
  processes = 2,
  fake?: FakeBotApi,
  options: { alternate?: boolean } = {},
): Promise<Cluster> {
  const api = fake ?? await FakeBotApi.start({ record: false });
  const dataDir = await Deno.makeTempDir({ prefix: "booking-cluster-" });
  const [lbPort, ...botPorts] = freePorts(processes + 1);
  const secret = "cluster_secret";
  const baseEnv = {
    BOT_TOKEN: "1:T",
    TELEGRAM_API_ROOT: api.apiRoot,
    DATA_DIR: dataDir,
    HEALTH_PORT: "0",
    LOG_LEVEL: "ERROR",
    WEBHOOK_URL: "https://bot.example.test/",
    WEBHOOK_SECRET: secret,
    // The clients speak English, and so do the demo services.
    BUSINESS_LANGUAGE: "en",
  };
  const seed = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "demo-data"],
    env: baseEnv,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (seed.code !== 0) throw new Error(new TextDecoder().decode(seed.stderr));

  // The balancer stands where the TLS proxy would: Telegram posts to it.
  behindTlsProxy(api, `http://127.0.0.1:${lbPort}/`);
  const forwarded = botPorts.map(() => 0);
  const chains = new Map<number, Promise<void>>();
  const turns = new Map<number, number>();
  const lb = Deno.serve(
    { hostname: "127.0.0.1", port: lbPort, onListen: () => {} },
    async (req) => {
      const body = await req.text();
      const token = req.headers.get("X-Telegram-Bot-Api-Secret-Token") ?? "";
      const update = JSON.parse(body);
      const userId = Number(
        update.message?.from?.id ?? update.callback_query?.from?.id ?? 0,
      );
      const turn = turns.get(userId) ?? 0;
      turns.set(userId, turn + 1);
      const target = (options.alternate ? turn : userId) % botPorts.length;
      const previous = chains.get(userId) ?? Promise.resolve();
      const next = previous.then(async () => {
        forwarded[target]++;
        const res = await fetch(`http://127.0.0.1:${botPorts[target]}/`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": token,
          },
          body,
        });
        if (!res.ok) console.error("LB: bot answered", res.status, await res.text());
        else await res.body?.cancel();
      }).catch((e) => console.error("LB forward failed", e));
      chains.set(userId, next);
      return new Response("ok");
    },
  );

  const children = botPorts.map((port) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "start"],
      env: { ...baseEnv, WEBHOOK_PORT: String(port) },
      stdout: "null",
      stderr: "inherit",
    }).spawn()
  );
  // Ready when every process has registered its webhook and answers on its port.
  const deadline = Date.now() + 30_000;
  for (const port of botPorts) {
    while (true) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}" });
        await res.body?.cancel();
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`bot on port ${port} did not start`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  return {
    fake: api,
    dataDir,
    forwarded,
    async stop() {
      for (const child of children) child.kill("SIGTERM");
      for (const child of children) await child.status;
      await lb.shutdown();
      if (!fake) await api.stop();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** Acts, then waits for the screen the action leads to. */
export async function step(u: FakeUser, act: () => void, expect: RegExp, timeoutMs = 60_000) {
  const seen = u.nextMessage((m) => expect.test(m.text ?? ""), timeoutMs);
  act();
  await seen;
}

/** Brings a client (English) to the booking summary of `date` `time`. */
export async function toSummary(u: FakeUser, date: string, time: string): Promise<void> {
  await step(u, () => u.sendText("/book"), /Choose a service/);
  await step(u, () => u.press("Haircut"), /Choose a day/);
  if (!u.buttons().some((b) => b.data === `bd:${date}`)) {
    await step(u, () => u.press("▶️"), /Choose a day/);
  }
  await step(u, () => u.press((b) => b.data === `bd:${date}`), /Choose a time/);
  await step(u, () => u.press((b) => b.text === time && b.data!.startsWith("bt:")), /What name/);
  await step(u, () => u.sendText("Race Client"), /use the buttons below/);
  await step(u, () => u.sendText("+79161234567"), /Please check your booking/);
}

/** `count` future weekday slots (date, time) on the demo schedule, from the day after tomorrow. */
export function demoSlots(count: number): Array<{ date: string; time: string }> {
  const times = ["09:00", "10:00", "11:00", "12:00", "14:00", "15:00", "16:00", "17:00"];
  const out: Array<{ date: string; time: string }> = [];
  let d = Temporal.Now.plainDateISO("Europe/Moscow").add({ days: 2 });
  while (out.length < count) {
    if (d.dayOfWeek <= 5) {
      for (const time of times) if (out.length < count) out.push({ date: d.toString(), time });
    }
    d = d.add({ days: 1 });
  }
  return out;
}
