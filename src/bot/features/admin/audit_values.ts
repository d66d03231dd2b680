/**
 * Audit records for reading: local times instead of ISO instants, names instead of ids,
 * words instead of column names and codes ("услуга: Haircut", not "serviceId: 4").
 */
import { getService } from "../../../db/services_repo.ts";
import { getStaff } from "../../../db/staff_repo.ts";
import { formatPrice, formatStamp, weekdayNames } from "../../../ui/format.ts";
import type { LocaleKey } from "../../../ui/locale_keys.ts";
import type { BotContext } from "../../context.ts";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

/** A label from the catalog when it has one, else the fallback as stored. */
export function labelOr(ctx: BotContext, key: string, fallback: string): string {
  return ctx.deps.catalogs[ctx.lang].has(key) || ctx.deps.catalogs.ru.has(key)
    ? ctx.t(key as LocaleKey)
    : fallback;
}

/** "serviceId" and "service_id" alike as "service_id". */
function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The name of a stored field or key: "услуга", "часы работы, ср"; unknown ones as stored. */
export function fieldLabel(ctx: BotContext, field: string): string {
  const weekday = /^(hours|break)_([1-7])$/.exec(field);
  if (weekday) {
    const day = weekdayNames(ctx.lang)[Number(weekday[2]) - 1];
    return `${labelOr(ctx, `admin_insight.field_${weekday[1]}`, weekday[1])}, ${day}`;
  }
  return labelOr(ctx, `admin_insight.field_${snake(field)}`, field);
}

/** One value of field `key` for reading. */
function scalarText(ctx: BotContext, key: string, value: unknown): string {
  if (value === null || value === undefined) return ctx.t("admin_insight.al_none");
  const field = snake(key);
  const id = typeof value === "number" ? value : Number(value);
  if (field === "service_id" && Number.isInteger(id)) {
    return getService(ctx.deps.db, id)?.name ?? `#${id}`;
  }
  if (field === "staff_id" && Number.isInteger(id)) {
    return getStaff(ctx.deps.db, id)?.name ?? `#${id}`;
  }
  if ((field === "price_minor" || field === "price") && Number.isInteger(id)) {
    return formatPrice(id, ctx.lang);
  }
  if (field === "status") return labelOr(ctx, `booking.status_${value}`, String(value));
  if (field === "role") return labelOr(ctx, `admin.role_${value}`, String(value));
  if (typeof value === "boolean" || (field === "is_active" && (id === 0 || id === 1))) {
    return ctx.t(value === true || id === 1 ? "admin_insight.al_yes" : "admin_insight.al_no");
  }
  if (typeof value === "string" && ISO_INSTANT.test(value)) {
    return formatStamp(Date.parse(value), ctx.lang, ctx.config.timeZone);
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A stored value of `field` for reading; a JSON object becomes "label: value, ..." pairs. */
export function auditValueText(ctx: BotContext, field: string | null, stored: string): string {
  if (stored.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(stored);
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
        return Object.entries(parsed).map(([key, v]) =>
          `${fieldLabel(ctx, key)}: ${scalarText(ctx, key, v)}`
        ).join(", ");
      }
    } catch {
      // Not JSON after all: shown as stored.
    }
  }
  return scalarText(ctx, field ?? "", stored);
}
