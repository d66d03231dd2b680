/** The environment contract of DESIGN.md, parsed once at start and passed down. */
import { z } from "zod";
import { isLang, type Lang, LANGUAGES } from "./ui/i18n.ts";
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

const port = (fallback: number) =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      ctx.addIssue({ code: "custom", message: `must be a port 0..65535, got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

const hostname = z.string().optional().transform((v, ctx) => {
  const host = v?.trim() || "127.0.0.1";
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) {
    ctx.addIssue({ code: "custom", message: `must be an interface address, got "${v}"` });
    return z.NEVER;
  }
  return host;
});

const hour = (fallback: number) =>
  nonNegativeNumber(fallback).refine((n) => Number.isInteger(n) && n <= 23, {
    message: "must be an hour 0..23",
  });

/** "0" turns a feature off; anything else that is set turns it on. */
const flag = (fallback: boolean) =>
  z.string().optional().transform((v, ctx) => {
    const value = v?.trim().toLowerCase();
    if (!value) return fallback;
    if (["1", "true", "yes", "on"].includes(value)) return true;
    if (["0", "false", "no", "off"].includes(value)) return false;
    ctx.addIssue({ code: "custom", message: `must be 1 or 0, got "${v}"` });
    return z.NEVER;
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
  BUSINESS_LANGUAGE: z.string().optional().transform((v, ctx) => {
    const lang = v?.trim().toLowerCase() || "ru";
    if (!isLang(lang)) {
      ctx.addIssue({
        code: "custom",
        message: `must be one of ${LANGUAGES.join(", ")}, got "${v}"`,
      });
      return z.NEVER;
    }
    return lang;
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
  HEALTH_PORT: port(8080),
  HEALTH_HOST: hostname,
  WEBHOOK_URL: z.string().trim().optional().transform((v, ctx) => {
    if (!v) return undefined;
    let protocol = "";
    try {
      protocol = new URL(v).protocol;
    } catch {
      // reported below
    }
    if (protocol !== "https:") {
      // Telegram delivers webhooks over HTTPS only; a plain URL would carry the secret in clear.
      ctx.addIssue({ code: "custom", message: `must be an https:// URL, got "${v}"` });
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
  WEBHOOK_PORT: port(8443),
  WEBHOOK_HOST: hostname,
  BACKUP_INTERVAL_MINUTES: nonNegativeNumber(60),
  /** The earlier name; used when BACKUP_INTERVAL_MINUTES is not set. */
  BACKUP_INTERVAL_HOURS: nonNegativeNumber(-1),
  BACKUP_RETENTION_DAYS: nonNegativeNumber(30),
  BACKUP_TO_OWNERS: flag(true),
  REMINDER_DAY_BEFORE_HOUR: hour(10),
  ADMIN_AGENDA_HOUR: hour(8),
  DIALOG_TIMEOUT_MINUTES: nonNegativeNumber(30),
  PAYMENT_PROVIDER_TOKEN: optionalText,
  DEPOSIT_HOLD_MINUTES: nonNegativeNumber(15).refine((n) => Number.isInteger(n) && n >= 1, {
    message: "must be a whole number of minutes, at least 1",
  }),
  WAITLIST_HOLD_MINUTES: nonNegativeNumber(15),
  MESSAGE_CLEANUP_HOURS: nonNegativeNumber(47).refine((n) => n <= 47, {
    message: "must be at most 47 (Telegram deletes only up to 48 h)",
  }),
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
  /** The salon's language: default names (master, demo services) and people without one. */
  businessLanguage: Lang;
  logLevel: LogLevel;
  logFile: string;
  healthPort: number;
  /** Interface of the health server; 127.0.0.1 unless opened on purpose (Docker: 0.0.0.0). */
  healthHost: string;
  webhookUrl?: string;
  webhookSecret?: string;
  webhookPort: number;
  /** Interface of the webhook server; 127.0.0.1 behind a local TLS proxy, 0.0.0.0 in Docker. */
  webhookHost: string;
  /** A backup is made when the database changed and the last one is this old; 0 = off. */
  backupIntervalMinutes: number;
  backupRetentionDays: number;
  /** Send the newest backup, compressed, to the owners once a day. */
  backupToOwners: boolean;
  reminderDayBeforeHour: number;
  adminAgendaHour: number;
  dialogTimeoutMinutes: number;
  messageCleanupHours: number;
  /** A card provider's token from BotFather: deposits exist only when it is set. */
  paymentProviderToken?: string;
  /** How long a slot is held while the client pays the deposit. */
  depositHoldMinutes: number;
  /** How long a freed time offered to a waiting client is held before it passes on. */
  waitlistHoldMinutes: number;
}

/** BACKUP_INTERVAL_MINUTES, else the earlier BACKUP_INTERVAL_HOURS × 60, else 60. */
function backupIntervalMinutes(
  env: Record<string, string | undefined>,
  e: { BACKUP_INTERVAL_MINUTES: number; BACKUP_INTERVAL_HOURS: number },
): number {
  if (env.BACKUP_INTERVAL_MINUTES?.trim()) return e.BACKUP_INTERVAL_MINUTES;
  if (e.BACKUP_INTERVAL_HOURS >= 0) return e.BACKUP_INTERVAL_HOURS * 60;
  return 60;
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
  const problems = result.success
    ? []
    : result.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
  // Webhook mode without a secret would take any POST from anywhere as a Telegram update.
  if (env.WEBHOOK_URL?.trim() && !env.WEBHOOK_SECRET?.trim()) {
    problems.push("WEBHOOK_SECRET: is required in webhook mode (WEBHOOK_URL is set)");
  }
  if (!result.success || problems.length) throw new ConfigError(problems);
  const e = result.data;
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
    businessLanguage: e.BUSINESS_LANGUAGE,
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE ?? `${dataDir}/bot.log`,
    healthPort: e.HEALTH_PORT,
    healthHost: e.HEALTH_HOST,
    webhookUrl: e.WEBHOOK_URL,
    webhookSecret: e.WEBHOOK_SECRET,
    webhookPort: e.WEBHOOK_PORT,
    webhookHost: e.WEBHOOK_HOST,
    backupIntervalMinutes: backupIntervalMinutes(env, e),
    backupRetentionDays: e.BACKUP_RETENTION_DAYS,
    backupToOwners: e.BACKUP_TO_OWNERS,
    reminderDayBeforeHour: e.REMINDER_DAY_BEFORE_HOUR,
    adminAgendaHour: e.ADMIN_AGENDA_HOUR,
    dialogTimeoutMinutes: e.DIALOG_TIMEOUT_MINUTES,
    messageCleanupHours: e.MESSAGE_CLEANUP_HOURS,
    paymentProviderToken: e.PAYMENT_PROVIDER_TOKEN,
    depositHoldMinutes: e.DEPOSIT_HOLD_MINUTES,
    waitlistHoldMinutes: e.WAITLIST_HOLD_MINUTES,
  };
}
