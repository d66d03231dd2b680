/** Messages to admins and to clients outside the update that caused them. */
import { GrammyError } from "grammy";
import type { Api } from "grammy";
import { listAdmins } from "../db/admins_repo.ts";
import { getUser } from "../db/users_repo.ts";
import type { BotDeps } from "../deps.ts";
import type { Buttons } from "../ui/buttons.ts";
import { type Lang, pickLanguage, type Translate, translator } from "../ui/i18n.ts";

/** The language and translate function for messages to `userId`. */
export function userLanguage(deps: BotDeps, userId: number): { lang: Lang; t: Translate } {
  const user = getUser(deps.db, userId);
  const lang = pickLanguage(user?.language, user?.languageCode, deps.businessLanguage);
  return { lang, t: translator(deps.catalogs, lang) };
}

/** True when Telegram says the user blocked the bot (or deleted their account). */
export function isBlockedError(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 403;
}

/**
 * Sends a message to one user in their language (a 403 marks the user as blocked: the API
 * transformer markBlockedUsers does it). Returns whether it was delivered. Never throws.
 */
export async function sendToUser(
  api: Api,
  deps: BotDeps,
  userId: number,
  render: (t: Translate, lang: Lang) => string,
  extra: Parameters<Api["sendMessage"]>[2] = {},
): Promise<boolean> {
  const user = getUser(deps.db, userId);
  if (user?.blockedAt) return false;
  const { t, lang } = userLanguage(deps, userId);
  try {
    await api.sendMessage(userId, render(t, lang), extra);
    return true;
  } catch (error) {
    if (!isBlockedError(error)) {
      deps.logger.warning("Could not message user", { userId, error: String(error) });
    }
    return false;
  }
}

/** Tells every admin (owners, admins, viewers) something, each in their language. */
export async function notifyAdmins(
  api: Api,
  deps: BotDeps,
  render: (t: Translate, lang: Lang) => string,
  options: { exceptUserId?: number; buttons?: (t: Translate) => Buttons } = {},
): Promise<void> {
  for (const admin of listAdmins(deps.db)) {
    if (admin.userId === options.exceptUserId) continue;
    const buttons = options.buttons?.(userLanguage(deps, admin.userId).t);
    const extra = buttons ? { reply_markup: { inline_keyboard: buttons } } : {};
    await sendToUser(api, deps, admin.userId, render, extra);
  }
}
