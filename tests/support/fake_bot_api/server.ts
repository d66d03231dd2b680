/** The HTTP side: routes `/bot<token>/<method>`, runs a call through holds, faults and limits, records it. */
import type { FakeBotApi, MethodHandler } from "./api.ts";
import type { Blocking } from "./blocking.ts";
import type { CallLog } from "./calls.ts";
import type { Chats, Emit } from "./chats.ts";
import type { Faults } from "./faults.ts";
import type { Holds } from "./holds.ts";
import type { Activity } from "./idle.ts";
import type { Builtin } from "./methods/table.ts";
import { jsonResponse, readPayload } from "./request.ts";
import { type ApiResponse, FakeApiError, type FakeStats, type Payload } from "./types.ts";
import type { UpdateQueue } from "./updates.ts";
import { normChatId } from "./util.ts";

/** The parts a call passes through. */
export interface ServerParts {
  fake: FakeBotApi;
  stats: FakeStats;
  log: CallLog;
  activity: Activity;
  holds: Holds;
  faults: Faults;
  blocking: Blocking;
  chats: Chats;
  queue: UpdateQueue;
  methods: Map<string, [string, Builtin]>;
  overrides: Map<string, MethodHandler>;
  /** When set, any other token gets 401. */
  requiredToken?: string;
  /** Notes the token of every request. */
  onToken: (token: string) => void;
}

/** Answers Bot API requests. */
export class Server {
  constructor(readonly parts: ServerParts) {}

  /** Handles one HTTP request. */
  async handle(req: Request): Promise<Response> {
    const url = req.url;
    // path starts after "http://host:port"
    const pathStart = url.indexOf("/", url.indexOf("//") + 2);
    const qm = url.indexOf("?", pathStart);
    const path = qm === -1 ? url.slice(pathStart) : url.slice(pathStart, qm);
    const m = /^\/bot([^/]+)\/(?:test\/)?([A-Za-z0-9_]+)\/?$/.exec(path);
    if (!m) {
      return jsonResponse(404, { ok: false, error_code: 404, description: "Not Found" });
    }
    let payload: Payload;
    try {
      payload = await readPayload(req, qm === -1 ? "" : url.slice(qm + 1));
    } catch (e) {
      return jsonResponse(400, {
        ok: false,
        error_code: 400,
        description: `Bad Request: can't parse request: ${(e as Error).message}`,
      });
    }
    const [status, body] = await this.process(
      decodeURIComponent(m[1]),
      m[2],
      payload,
      () => req.signal,
    );
    return jsonResponse(status, body);
  }

  /** Runs one call and records it; returns the HTTP status and the answer. */
  async process(
    token: string,
    rawMethod: string,
    payload: Payload,
    signal: () => AbortSignal | undefined = () => undefined,
  ): Promise<[number, ApiResponse]> {
    const { activity, stats, log, chats } = this.parts;
    const at = Date.now();
    const lower = rawMethod.toLowerCase();
    const entry = this.parts.methods.get(lower);
    const method = entry ? entry[0] : rawMethod;
    const isPoll = lower === "getupdates";
    this.parts.onToken(token);
    if (!isPoll) {
      activity.inflight++;
      activity.note(method);
    }
    const emits: Emit[] = [];
    let response: ApiResponse;
    try {
      response = await this.#run(token, lower, method, entry?.[1], payload, emits, signal);
    } catch (e) {
      response = errorAnswer(method, e);
    } finally {
      if (!isPoll) activity.inflight--;
    }
    stats.calls++;
    log.add({ method, payload, at, response, token });
    for (const [st, m, ev] of emits) chats.dispatch(st, m, ev);
    if (!isPoll) activity.note();
    return [response.ok ? 200 : response.error_code, response];
  }

  async #run(
    token: string,
    lower: string,
    method: string,
    builtin: Builtin | undefined,
    payload: Payload,
    emits: Emit[],
    signal: () => AbortSignal | undefined,
  ): Promise<ApiResponse> {
    const p = this.parts;
    if (p.requiredToken !== undefined && token !== p.requiredToken) {
      throw new FakeApiError(401, "Unauthorized");
    }
    const override = p.overrides.get(lower);
    if (override) return { ok: true, result: await override(payload, { token, fake: p.fake }) };
    if (!builtin) throw new FakeApiError(404, "Not Found: method not found");
    if (lower === "getupdates") return { ok: true, result: await p.queue.getUpdates(payload) };
    await p.holds.wait(method, payload, signal);
    const lost = await p.faults.inject(method);
    p.blocking.check(method, payload);
    const counted = p.faults.reserve(method, normChatId(payload.chat_id));
    const result = p.chats.collect(emits, () => builtin(payload));
    counted?.();
    if (lost) await p.faults.afterLost();
    return { ok: true, result };
  }
}

function errorAnswer(method: string, e: unknown): ApiResponse {
  if (e instanceof FakeApiError) {
    const response: ApiResponse = {
      ok: false,
      error_code: e.error_code,
      description: e.description,
    };
    if (e.parameters) response.parameters = e.parameters;
    return response;
  }
  console.error(`FakeBotApi: internal error in ${method}:`, e);
  return {
    ok: false,
    error_code: 500,
    description: `Internal Server Error: ${(e as Error)?.message ?? e}`,
  };
}
