/**
 * Allocation profile of the booking bot under load: where it allocates per update.
 * Starts the bot the load benchmark's way (webhook mode, the flags of `deno task start`, the
 * bench's data) with `--inspect`, warms it up, then runs V8's sampling heap profiler (through the
 * inspector, objects later collected by minor and major GC included, so the figures are bytes
 * ALLOCATED, not retained) during a closed loop, and prints the sampled bytes per update: in all,
 * by allocating function, by file or package, and by the nearest frame in our src/ (our caller).
 * Usage: deno run -A bench/alloc_profile.ts [seconds] [clients] [top] [--gc | --retained]
 *   --gc: no inspector; the bytes per update from the heap sizes `--trace-gc` prints around each
 *   collection (no sites, but free of the inspector's own allocations).
 *   --retained: what is still ALIVE after the loop and a full collection, by allocation site (a
 *   leak shows as bytes per update that stay).
 * Env: BENCH_BOT_FLAGS (extra `deno run` flags for the bot), ALLOC_PROFILE_OUT (also save the raw
 * profile, loadable in Chrome DevTools as a .heapprofile).
 */
import { FakeBotApi } from "../tests/support/fake_bot_api.ts";
import { freePorts } from "../tests/support/webhook_cluster.ts";
import {
  botEnv,
  closedLoop,
  type ClosedRun,
  seed,
  startFlags,
  Target,
  waitForPort,
} from "./load_bench.ts";

const root = new URL("../", import.meta.url).pathname;

/** A node of `HeapProfiler.SamplingHeapProfile`. */
export interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
class Inspector {
  #id = 0;
  #waiting = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  private constructor(readonly ws: WebSocket) {
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      this.#waiting.get(m.id)?.(m);
      this.#waiting.delete(m.id);
    };
  }
  static async connect(port: number): Promise<Inspector> {
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const ws = new WebSocket(list[0].webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    return new Inspector(ws);
  }
  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.#id;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => {
      this.#waiting.set(
        id,
        (m) => m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result as T),
      );
    });
  }
  close(): Promise<void> {
    const closed = new Promise<void>((r) => this.ws.onclose = () => r());
    this.ws.close();
    return closed;
  }
}

/** A short name for a script: our files relative to the repo, npm packages from their name on. */
export function shortUrl(url: string): string {
  if (url.startsWith(`file://${root}`)) return url.slice(`file://${root}`.length);
  const npm = url.indexOf("registry.npmjs.org/");
  if (npm >= 0) return url.slice(npm + "registry.npmjs.org/".length);
  return url || "(native)";
}

const isOurs = (url: string) => url.startsWith(`file://${root}src/`);

/**
 * Frames of the inspector's own network capture: with --inspect, Deno reports every fetch to
 * the inspector and tees each response body to read it again. A bot run without --inspect
 * allocates none of it, so the report counts it apart.
 */
const INSPECTOR_FRAMES =
  /^(requestWillBeSent|emitWithData|safeEmit|joinHeaderValuesForCdp|drainResponseForInspector|tee)$/;
const isInspectors = (f: ProfileNode["callFrame"]) =>
  f.url.includes("inspector_network_bridge") ||
  (f.url.startsWith("ext:") && INSPECTOR_FRAMES.test(f.functionName));

/** Sampled bytes by allocating function, by file, and by our nearest src/ frame (self included). */
export function aggregate(head: ProfileNode): {
  total: number;
  inspectors: number;
  byFunction: Map<string, number>;
  byFile: Map<string, number>;
  byOurCaller: Map<string, number>;
} {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byOurCaller = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let total = 0;
  let inspectors = 0;
  const walk = (n: ProfileNode, ours: string, inspector: boolean) => {
    const f = n.callFrame;
    const here = `${f.functionName || "(anonymous)"} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
    const caller = isOurs(f.url) ? here : ours;
    inspector ||= isInspectors(f);
    if (n.selfSize > 0 && inspector) inspectors += n.selfSize;
    else if (n.selfSize > 0) {
      total += n.selfSize;
      add(byFunction, here, n.selfSize);
      add(byFile, shortUrl(f.url).split("/").slice(0, 3).join("/"), n.selfSize);
      add(byOurCaller, caller, n.selfSize);
    }
    for (const c of n.children) walk(c, caller, inspector);
  };
  walk(head, "(no src/ frame)", false);
  return { total, inspectors, byFunction, byFile, byOurCaller };
}

function printTop(
  title: string,
  m: Map<string, number>,
  total: number,
  updates: number,
  top: number,
) {
  console.log(`\n== ${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    const share = ((v / total) * 100).toFixed(1).padStart(5);
    console.log(`${share}% ${(v / updates / 1024).toFixed(2).padStart(7)} KB/update  ${k}`);
  }
}

/**
 * Bytes the V8 heap grew by between garbage collections, from `--trace-gc` lines ("Scavenge
 * 5.2 (7.0) -> 4.1 (8.0) MB"): each collection's size before it minus the size after the one
 * before. Needs no inspector, so it also shows what the inspector's own capture adds.
 */
export class GcMeter {
  allocated = 0;
  collections = 0;
  #after: number | undefined;
  /** Reads one line of the bot's stdout. */
  line(text: string): void {
    const m =
      /: (?:Scavenge|Mark-Compact|Minor Mark-Compact|Mark-Sweep)\S* ([\d.]+) \([\d.]+\) -> ([\d.]+) /
        .exec(text);
    if (!m) return;
    const [before, after] = [Number(m[1]) * 1048576, Number(m[2]) * 1048576];
    if (this.#after !== undefined && before > this.#after) this.allocated += before - this.#after;
    this.#after = after;
    this.collections++;
  }
}

async function meterLines(stream: ReadableStream<Uint8Array>, meter: GcMeter): Promise<void> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    for (const l of lines) meter.line(l);
  }
}

/** Samples allocations during `during` through the inspector on `port`. */
async function sampled<T>(
  port: number,
  during: () => Promise<T>,
  retained = false,
): Promise<[T, ProfileNode]> {
  const inspector = await Inspector.connect(port);
  await inspector.send("HeapProfiler.enable");
  await inspector.send("HeapProfiler.startSampling", {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: !retained,
    includeObjectsCollectedByMinorGC: !retained,
  });
  const result = await during();
  if (retained) await inspector.send("HeapProfiler.collectGarbage");
  const { profile } = await inspector.send<{ profile: { head: ProfileNode } }>(
    "HeapProfiler.getSamplingProfile",
  );
  await inspector.send("HeapProfiler.stopSampling");
  await inspector.close();
  const out = Deno.env.get("ALLOC_PROFILE_OUT");
  if (out) Deno.writeTextFileSync(out, JSON.stringify(profile));
  return [result, profile.head];
}

function report(head: ProfileNode, run: ClosedRun, clients: number, top: number): void {
  const { total, inspectors, byFunction, byFile, byOurCaller } = aggregate(head);
  const kb = (bytes: number) => (bytes / run.updates / 1024).toFixed(1);
  console.log(
    `${run.updates} updates in ${run.seconds.toFixed(1)} s (${clients} clients); sampled ` +
      `${((total + inspectors) / 1048576).toFixed(1)} MB allocated: ${kb(total)} KB per update ` +
      `(+ ${kb(inspectors)} KB per update by the inspector's network capture, left out below)`,
  );
  printTop("by allocating function", byFunction, total, run.updates, top);
  printTop("by file or package", byFile, total, run.updates, top);
  printTop("by nearest src/ frame (our caller)", byOurCaller, total, run.updates, top);
}

/** Starts the bot the load benchmark's way with `flags` on `dataDir`, webhook on `port`. */
function spawnBot(fake: FakeBotApi, dataDir: string, port: number, flags: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...startFlags(), ...flags, `${root}src/main.ts`, "start"],
    env: { ...botEnv(fake.apiRoot, dataDir), WEBHOOK_PORT: String(port) },
    stdout: "piped",
    stderr: "null",
  }).spawn();
}

async function main() {
  const gc = Deno.args.includes("--gc");
  const retained = Deno.args.includes("--retained");
  const [seconds = 6, clients = 32, top = 30] = Deno.args.filter((a) => !a.startsWith("--"))
    .map(Number);
  const fake = await FakeBotApi.start({ record: false, validateHtml: false });
  fake.onMethod("answerCallbackQuery", () => true);
  const dataDir = await Deno.makeTempDir({ prefix: "booking-alloc-" });
  const [port, inspectPort] = freePorts(2);
  const meter = new GcMeter();
  let target: Target | undefined;
  try {
    seed(dataDir);
    const extra = Deno.env.get("BENCH_BOT_FLAGS")?.split(" ").filter(Boolean) ?? [];
    const how = gc ? "--v8-flags=--trace-gc" : `--inspect=127.0.0.1:${inspectPort}`;
    const child = spawnBot(fake, dataDir, port, [...extra, how]);
    const reading = meterLines(child.stdout, meter);
    await waitForPort(port);
    target = new Target("bot", fake, port, child, 1_000_000);
    await closedLoop(target, 4, { seconds: 2 });
    if (gc) {
      const [before, count] = [meter.allocated, meter.collections];
      const run = await closedLoop(target, clients, { seconds });
      const bytes = meter.allocated - before;
      console.log(
        `${run.updates} updates in ${run.seconds.toFixed(1)} s (${clients} clients), no ` +
          `inspector: ${meter.collections - count} collections, heap grew by ` +
          `${(bytes / 1048576).toFixed(1)} MB: ${
            (bytes / run.updates / 1024).toFixed(1)
          } KB per update`,
      );
    } else {
      const [run, head] = await sampled(
        inspectPort,
        () => closedLoop(target!, clients, { seconds }),
        retained,
      );
      report(head, run, clients, top);
    }
    await target.stop();
    target = undefined;
    await reading;
  } finally {
    await target?.stop();
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

if (import.meta.main) await main();
