/**
 * A small structured logger: one line per record
 * (`2026-11-25T09:00:00.000Z INFO message key=value ...`) to stderr and to a size-rotated file,
 * plus a throttled hook that tells the owners about CRITICAL records.
 */
import type { LogLevel } from "../config.ts";
import { type Clock, systemClock } from "../domain/clock.ts";

export type { Clock, LogLevel };

/** Extra key=value pairs of a record; `undefined` values are left out. */
export type LogFields = Record<string, unknown>;

/** The logger every part of the program receives. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warning(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  critical(message: string, fields?: LogFields): void;
  /** Writes a record at `level` (dropped when below the logger's level). */
  log(level: LogLevel, message: string, fields?: LogFields): void;
  /** Whether a record at `level` would be written. */
  enabled(level: LogLevel): boolean;
  /** A logger that adds `fields` to every record and shares this one's outputs. */
  child(fields: LogFields): Logger;
  /** Closes the log file (the shared one: closing a child closes its parent's file too). */
  close(): void;
}

/** Options of createLogger. */
export interface LoggerOptions {
  /** The least severe level written. */
  level: LogLevel;
  /** Log file path; rotated to `file.1` ... `file.<keep>` when it would exceed `maxBytes`. */
  file?: string;
  /** Size at which the file is rotated; default 5 MiB. */
  maxBytes?: number;
  /** How many rotated files are kept; default 5. */
  keep?: number;
  /** Also write every record to stderr; default true. */
  console?: boolean;
  /** Called for CRITICAL records (e.g. to message the owners), at most once per throttle window. */
  onCritical?: (message: string) => void | Promise<void>;
  /** Minimum time between two onCritical calls; default 60 s. */
  criticalThrottleMs?: number;
  /** Clock for timestamps and the throttle; default real time. */
  clock?: Clock;
}

const SEVERITY: Record<LogLevel, number> = {
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
};

/** Parses a level name (any case); throws on an unknown one. */
export function parseLogLevel(name: string): LogLevel {
  const upper = name.trim().toUpperCase();
  if (!Object.hasOwn(SEVERITY, upper)) {
    throw new Error(`Unknown log level "${name}": use one of ${Object.keys(SEVERITY).join(", ")}`);
  }
  return upper as LogLevel;
}

/** Formats one value for `key=value`: plain when safe, JSON-encoded otherwise. */
export function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(`${value.name}: ${value.message}`);
  if (value instanceof Date) return isNaN(value.getTime()) ? "invalid-date" : value.toISOString();
  if (typeof value === "string") {
    return value === "" || /[\s"=\\]|\p{Cc}/u.test(value) ? JSON.stringify(value) : value;
  }
  if (
    typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" ||
    value === null
  ) {
    return String(value);
  }
  try {
    const json = JSON.stringify(value, (_k, v) => typeof v === "bigint" ? String(v) : v);
    return json === undefined ? JSON.stringify(String(value)) : json;
  } catch {
    return JSON.stringify(String(value));
  }
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, "\\n").replace(/\r/g, "\\r");
}

/** Formats a whole record line (without the trailing newline). */
export function formatRecord(
  at: number,
  level: LogLevel,
  message: string,
  fields: LogFields = {},
): string {
  return `${new Date(at).toISOString()} ${level} ${formatBody(message, fields)}`;
}

function formatBody(message: string, fields: LogFields): string {
  const parts = [oneLine(message)];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(`${key.replace(/[\s=]/g, "_")}=${formatValue(value)}`);
  }
  return parts.join(" ");
}

/** The file with size-based rotation shared by a logger and its children. */
class RotatingFile {
  #file: Deno.FsFile | undefined;
  #size = 0;
  #failed = false;
  readonly #encoder = new TextEncoder();

  constructor(
    readonly path: string,
    readonly maxBytes: number,
    readonly keep: number,
  ) {}

  write(line: string): void {
    const bytes = this.#encoder.encode(line + "\n");
    try {
      if (!this.#file) this.#open();
      if (this.#size > 0 && this.#size + bytes.length > this.maxBytes) this.#rotate();
      let written = 0;
      while (written < bytes.length) written += this.#file!.writeSync(bytes.subarray(written));
      this.#size += bytes.length;
      this.#failed = false;
    } catch (error) {
      // Logging must never take the bot down (disk full, folder removed...): say so once on stderr.
      if (!this.#failed) {
        console.error(`Cannot write the log file ${this.path}: ${(error as Error).message}`);
      }
      this.#failed = true;
      this.close();
    }
  }

  #open(): void {
    const dir = this.path.replace(/[\\/][^\\/]*$/, "");
    if (dir && dir !== this.path) Deno.mkdirSync(dir, { recursive: true });
    this.#file = Deno.openSync(this.path, { create: true, append: true });
    this.#size = this.#file.statSync().size;
  }

  #rotate(): void {
    this.close();
    if (this.keep <= 0) {
      Deno.removeSync(this.path);
    } else {
      removeIfExists(`${this.path}.${this.keep}`);
      for (let i = this.keep - 1; i >= 1; i--) {
        renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      }
      Deno.renameSync(this.path, `${this.path}.1`);
    }
    this.#open();
  }

  close(): void {
    if (!this.#file) return;
    try {
      this.#file.close();
    } catch {
      // already closed
    }
    this.#file = undefined;
  }
}

function removeIfExists(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    Deno.renameSync(from, to);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** State shared by a logger and its children. */
interface Core {
  threshold: number;
  level: LogLevel;
  clock: Clock;
  console: boolean;
  file?: RotatingFile;
  onCritical?: (message: string) => void | Promise<void>;
  throttleMs: number;
  lastCriticalAt?: number;
  suppressed: number;
}

function notifyCritical(core: Core, text: string): void {
  if (!core.onCritical) return;
  const now = core.clock.now();
  if (core.lastCriticalAt !== undefined && now - core.lastCriticalAt < core.throttleMs) {
    core.suppressed++;
    return;
  }
  const suffix = core.suppressed > 0 ? ` (${core.suppressed} more suppressed)` : "";
  core.lastCriticalAt = now;
  core.suppressed = 0;
  const report = (error: unknown) =>
    console.error(`The CRITICAL notification hook failed: ${(error as Error)?.message ?? error}`);
  try {
    const result = core.onCritical(text + suffix);
    if (result instanceof Promise) result.catch(report);
  } catch (error) {
    report(error);
  }
}

function makeLogger(core: Core, fixed: LogFields): Logger {
  const log = (level: LogLevel, message: string, fields?: LogFields) => {
    if (SEVERITY[level] < core.threshold) return;
    const all = fields ? { ...fixed, ...fields } : fixed;
    const body = formatBody(message, all);
    const line = `${new Date(core.clock.now()).toISOString()} ${level} ${body}`;
    if (core.console) console.error(line);
    core.file?.write(line);
    if (level === "CRITICAL") notifyCritical(core, body);
  };
  return {
    debug: (m, f) => log("DEBUG", m, f),
    info: (m, f) => log("INFO", m, f),
    warning: (m, f) => log("WARNING", m, f),
    error: (m, f) => log("ERROR", m, f),
    critical: (m, f) => log("CRITICAL", m, f),
    log,
    enabled: (level) => SEVERITY[level] >= core.threshold,
    child: (fields) => makeLogger(core, { ...fixed, ...fields }),
    close: () => core.file?.close(),
  };
}

/** Creates a logger writing to stderr and (optionally) a size-rotated file. */
export function createLogger(options: LoggerOptions): Logger {
  const core: Core = {
    threshold: SEVERITY[options.level],
    level: options.level,
    clock: options.clock ?? systemClock,
    console: options.console ?? true,
    file: options.file
      ? new RotatingFile(options.file, options.maxBytes ?? 5 * 1024 * 1024, options.keep ?? 5)
      : undefined,
    onCritical: options.onCritical,
    throttleMs: options.criticalThrottleMs ?? 60_000,
    suppressed: 0,
  };
  return makeLogger(core, {});
}

/** A logger that drops everything (for tests and tools that want silence). */
export const nullLogger: Logger = {
  debug() {},
  info() {},
  warning() {},
  error() {},
  critical() {},
  log() {},
  enabled: () => false,
  child: () => nullLogger,
  close() {},
};

/** E.164 country codes of two digits; 1 and 7 are the one-digit ones, every other code has three. */
// deno-fmt-ignore
const TWO_DIGIT_CODES = new Set([
  "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
  "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
  "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
]);

const MASK = "*******";

/**
 * Masks a phone number for INFO logs: keeps the country code (of `+` numbers) and the last 2
 * digits behind a fixed-width mask that hides the length too: "+7 916 123-45-67" -> "+7*******67".
 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 5) return MASK;
  const tail = digits.slice(-2);
  if (!phone.trim().startsWith("+")) return MASK + tail;
  const codeLength = digits[0] === "1" || digits[0] === "7"
    ? 1
    : TWO_DIGIT_CODES.has(digits.slice(0, 2))
    ? 2
    : 3;
  return `+${digits.slice(0, Math.min(codeLength, digits.length - 4))}${MASK}${tail}`;
}
