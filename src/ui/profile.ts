/** The salon's identity as clients see it: in the welcome, /help, booking cards and .ics. */
import type { BusinessProfile } from "../db/profile_repo.ts";
import { button, type Screen } from "./buttons.ts";
import { cb } from "./callback_data.ts";
import type { Translate } from "./i18n.ts";

/**
 * The salon's block (name, address with the map link, phone and, unless `hours` is false, the
 * working-hours note), one line each; "" when the profile is empty.
 */
export function salonBlock(p: BusinessProfile, t: Translate, options = { hours: true }): string {
  const lines: string[] = [];
  if (p.name) lines.push(t("common.salon_name", { name: p.name }));
  if (p.address) lines.push(t("common.salon_address", { address: p.address }));
  if (p.mapUrl) lines.push(t("common.salon_map", { url: p.mapUrl }));
  if (p.phone) lines.push(t("common.salon_phone", { phone: p.phone }));
  if (p.hours && options.hours) lines.push(t("common.salon_hours", { hours: p.hours }));
  return lines.join("\n");
}

/** `text` followed by the salon's block after an empty line (just `text` when it is empty). */
export function withSalon(text: string, p: BusinessProfile, t: Translate): string {
  const block = salonBlock(p, t);
  return block ? `${text}\n\n${block}` : text;
}

/** The LOCATION of a calendar event: "name, address", or what of it is known. */
export function salonLocation(p: BusinessProfile): string | undefined {
  return [p.name, p.address].filter(Boolean).join(", ") || undefined;
}

/**
 * What a client sees instead of a calendar with no free day in it: why, how to reach the
 * salon, and the way back to the main menu.
 */
export function noFreeDaysScreen(
  service: string,
  days: number,
  p: BusinessProfile,
  t: Translate,
): Screen {
  return {
    text: withSalon(t("booking.no_free_days", { service, days }), p, t),
    buttons: [[button(t("common.menu_button"), cb.menu.pack({ item: "main" }))]],
  };
}
