/** The HTTP server for `/healthz` (liveness for Docker and monitors) and `/metrics` (Prometheus). */
import type { Logger } from "./log.ts";
import { METRICS_CONTENT_TYPE } from "./metrics.ts";
import { VERSION } from "../version.ts";

/** How updates arrive and whether they still do. */
export interface UpdatesStatus {
  mode: "polling" | "webhook";
  alive: boolean;
  /** When the last update was received, ms since the epoch. */
  lastUpdateAt?: number;
}

/** The checks behind `/healthz`. */
export interface HealthChecks {
  /** Whether the database answers (e.g. `SELECT 1`). */
  database(): boolean | Promise<boolean>;
  /** The update loop's state. */
  updates(): UpdatesStatus | Promise<UpdatesStatus>;
  /** Whole seconds the process has run; default: since the process started (monotonic). */
  uptimeSeconds?(): number;
  /** The release shown; default: the version in deno.json. */
  version?: string;
}

/** Whole seconds since this process started, from the monotonic clock (not wall time). */
export function processUptimeSeconds(): number {
  return Math.floor(performance.now() / 1000);
}

/** Options of startHealthServer. */
export interface HealthServerOptions {
  /** Port to listen on; 0 means the server is off (unless `ephemeral`). */
  port: number;
  /** Interface to listen on; default all (0.0.0.0). */
  hostname?: string;
  /** Anything that renders the Prometheus text format (a Registry or BotMetrics). */
  metrics: { render(): string };
  checks: HealthChecks;
  /** Listen on a free port chosen by the OS, whatever `port` says (for tests). */
  ephemeral?: boolean;
  logger?: Logger;
}

/** A running health server. */
export interface HealthServer {
  /** The port actually listened on. */
  port: number;
  hostname: string;
  /** Stops accepting connections and waits until the server has stopped. */
  shutdown(): Promise<void>;
}

/** The JSON body of `/healthz`. */
export interface HealthBody {
  status: "ok" | "unhealthy";
  database: boolean;
  mode: "polling" | "webhook" | "unknown";
  alive: boolean;
  lastUpdateAt?: number;
  /** The release that runs (deno.json `version`). */
  version: string;
  /** Whole seconds since the process started. */
  uptimeSeconds: number;
}

/** Runs the checks and builds the `/healthz` body; a check that throws counts as failed. */
export async function evaluateHealth(checks: HealthChecks, logger?: Logger): Promise<HealthBody> {
  let database = false;
  try {
    database = (await checks.database()) === true;
  } catch (error) {
    logger?.warning("Health check: database check failed", { error });
  }
  let updates: UpdatesStatus | undefined;
  try {
    updates = await checks.updates();
  } catch (error) {
    logger?.warning("Health check: updates check failed", { error });
  }
  const alive = updates?.alive === true;
  const body: HealthBody = {
    status: database && alive ? "ok" : "unhealthy",
    database,
    mode: updates?.mode ?? "unknown",
    alive,
    version: "",
    uptimeSeconds: 0,
  };
  if (updates?.lastUpdateAt !== undefined) body.lastUpdateAt = updates.lastUpdateAt;
  body.version = checks.version ?? VERSION;
  body.uptimeSeconds = (checks.uptimeSeconds ?? processUptimeSeconds)();
  return body;
}

/** Builds the request handler serving `/healthz` and `/metrics` (404 for anything else). */
export function createHealthHandler(
  options: Pick<HealthServerOptions, "metrics" | "checks" | "logger">,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname !== "/healthz" && pathname !== "/metrics") {
      return new Response("Not found\n", {
        status: 404,
        headers: { "content-type": "text/plain" },
      });
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("Method not allowed\n", {
        status: 405,
        headers: { allow: "GET, HEAD", "content-type": "text/plain" },
      });
    }
    const head = request.method === "HEAD";
    if (pathname === "/metrics") {
      let text: string;
      try {
        text = options.metrics.render();
      } catch (error) {
        options.logger?.error("Rendering metrics failed", { error });
        return new Response("Metrics unavailable\n", { status: 500 });
      }
      return new Response(head ? null : text, {
        headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" },
      });
    }
    const body = await evaluateHealth(options.checks, options.logger);
    return new Response(head ? null : JSON.stringify(body), {
      status: body.status === "ok" ? 200 : 503,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  };
}

/** Starts the health/metrics server; returns null when `port` is 0 (off) and not `ephemeral`. */
export function startHealthServer(options: HealthServerOptions): HealthServer | null {
  if (options.port === 0 && !options.ephemeral) return null;
  const hostname = options.hostname ?? "0.0.0.0";
  const handler = createHealthHandler(options);
  const server = Deno.serve({
    port: options.ephemeral ? 0 : options.port,
    hostname,
    onListen: () => {},
    onError: (error) => {
      options.logger?.error("Health server request failed", { error });
      return new Response("Internal error\n", { status: 500 });
    },
  }, handler);
  const addr = server.addr as Deno.NetAddr;
  options.logger?.info("Health server listening", { hostname, port: addr.port });
  let stopping: Promise<void> | undefined;
  return {
    port: addr.port,
    hostname,
    shutdown() {
      stopping ??= server.shutdown().then(() => server.finished);
      return stopping;
    },
  };
}
