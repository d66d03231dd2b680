/** The environment contract of DESIGN.md, parsed once at start and passed down. */
import { z } from "zod";
import { VERSION } from "./version.ts";

/** Log levels from least to most severe. */
export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;
/** One of the log levels. */
export type LogLevel = typeof LOG_LEVELS[number];

function isTimeZone(zone: string): boolean {
  try {
    Temporal.Now.zonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

const optionalText = z.string().trim().optional().transform((v) => (v ? v : undefined));

const nonNegativeNumber = (fallback: number) =>
  z.string().trim().optional().transform((v, ctx) => {
    if (v === undefined || v === "") return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) {
      ctx.addIssue({ code: "custom", message: `must be a non-negative number, got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

const envSchema = z.object({
  BOT_TOKEN: optionalText,
  ADMIN_IDS: z.string().optional().transform((v, ctx) => {
    const parts = (v ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
    const ids: number[] = [];
    for (const part of parts) {
      if (!/^\d{1,15}$/.test(part)) {
        ctx.addIssue({
          code: "custom",
          message: `must be comma-separated numeric Telegram ids, got "${part}"`,
        });
        return z.NEVER;
      }
      ids.push(Number(part));
    }
    return ids;
  }),
  TELEGRAM_API_ROOT: z.string().trim().optional().transform((v, ctx) => {
    const value = v || "https://api.telegram.org";
    try {
      const url = new URL(value);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
    } catch {
      ctx.addIssue({ code: "custom", message: `must be an http(s) URL, got "${v}"` });
      return z.NEVER;
    }
    return value.replace(/\/+$/, "");
  }),
  DATA_DIR: z.string().optional().transform((v) => (v && v.trim() ? v.trim() : "./data")),
  BUSINESS_TIMEZONE: z.string().optional().transform((v, ctx) => {
    const zone = v?.trim() || "Europe/Moscow";
    if (!isTimeZone(zone)) {
      ctx.addIssue({ code: "custom", message: `unknown IANA time zone "${zone}"` });
      return z.NEVER;
    }
    return zone;
  }),
  LOG_LEVEL: z.string().optional().transform((v, ctx) => {
    const level = (v?.trim() || "INFO").toUpperCase();
    if (!(LOG_LEVELS as readonly string[]).includes(level)) {
      ctx.addIssue({ code: "custom", message: `must be one of ${LOG_LEVELS.join(", ")}` });
      return z.NEVER;
    }
    return level as LogLevel;
  }),
  LOG_FILE: optionalText,
  HEALTH_PORT: z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return 8080;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      ctx.addIssue({ code: "custom", message: `must be a port 0..65535, got "${v}"` });
      return z.NEVER;
    }
    return n;
  }),
  WEBHOOK_URL: z.string().trim().optional().transform((v, ctx) => {
    if (!v) return undefined;
    try {
      const url = new URL(v);
      if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error();
    } catch {
      ctx.addIssue({ code: "custom", message: `must be an http(s) URL, got "${v}"` });
      return z.NEVER;
    }
    return v;
  }),
  WEBHOOK_SECRET: z.string().trim().optional().transform((v, ctx) => {
    if (!v) return undefined;
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(v)) {
      ctx.addIssue({
        code: "custom",
        message: "must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)",
      });
      return z.NEVER;
    }
    return v;
  }),
  WEBHOOK_PORT: z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return 8443;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      ctx.addIssue({ code: "custom", message: `must be a port 0..65535, got "${v}"` });
      return z.NEVER;
    }
    return n;
  }),
  BACKUP_INTERVAL_HOURS: nonNegativeNumber(24),
  BACKUP_RETENTION_DAYS: nonNegativeNumber(30),
  REMINDER_DAY_BEFORE_HOUR: nonNegativeNumber(10),
  ADMIN_AGENDA_HOUR: nonNegativeNumber(8),
  DIALOG_TIMEOUT_MINUTES: nonNegativeNumber(30),
  MESSAGE_CLEANUP_HOURS: nonNegativeNumber(47),
});

/** The parsed configuration every part of the program receives. */
export interface Config {
  /** This release's version (from deno.json, not the environment), for logs and /healthz. */
  version: string;
  botToken?: string;
  adminIds: number[];
  apiRoot: string;
  dataDir: string;
  dbPath: string;
  kvPath: string;
  backupDir: string;
  timeZone: string;
  logLevel: LogLevel;
  logFile: string;
  healthPort: number;
  webhookUrl?: string;
  webhookSecret?: string;
  webhookPort: number;
  backupIntervalHours: number;
  backupRetentionDays: number;
  reminderDayBeforeHour: number;
  adminAgendaHour: number;
  dialogTimeoutMinutes: number;
  messageCleanupHours: number;
}

/** A configuration that failed validation; `problems` names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment map (Deno.env.toObject() in production) into a Config. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(problems);
  }
  const e = result.data;
  const extra: string[] = [];
  for (
    const [name, value] of [
      ["REMINDER_DAY_BEFORE_HOUR", e.REMINDER_DAY_BEFORE_HOUR],
      ["ADMIN_AGENDA_HOUR", e.ADMIN_AGENDA_HOUR],
    ] as const
  ) {
    if (!Number.isInteger(value) || value > 23) extra.push(`${name}: must be an hour 0..23`);
  }
  if (e.MESSAGE_CLEANUP_HOURS > 47) {
    extra.push("MESSAGE_CLEANUP_HOURS: must be at most 47 (Telegram deletes only up to 48 h)");
  }
  if (extra.length) throw new ConfigError(extra);
  const dataDir = e.DATA_DIR;
  return {
    version: VERSION,
    botToken: e.BOT_TOKEN,
    adminIds: e.ADMIN_IDS,
    apiRoot: e.TELEGRAM_API_ROOT,
    dataDir,
    dbPath: `${dataDir}/booking.db`,
    kvPath: `${dataDir}/state.kv`,
    backupDir: `${dataDir}/backups`,
    timeZone: e.BUSINESS_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE ?? `${dataDir}/bot.log`,
    healthPort: e.HEALTH_PORT,
    webhookUrl: e.WEBHOOK_URL,
    webhookSecret: e.WEBHOOK_SECRET,
    webhookPort: e.WEBHOOK_PORT,
    backupIntervalHours: e.BACKUP_INTERVAL_HOURS,
    backupRetentionDays: e.BACKUP_RETENTION_DAYS,
    reminderDayBeforeHour: e.REMINDER_DAY_BEFORE_HOUR,
    adminAgendaHour: e.ADMIN_AGENDA_HOUR,
    dialogTimeoutMinutes: e.DIALOG_TIMEOUT_MINUTES,
    messageCleanupHours: e.MESSAGE_CLEANUP_HOURS,
  };
}
