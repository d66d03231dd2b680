/**
 * The buttons under a notice to admins about a client's booking (new, moved, cancelled):
 * open it in /admin, and write to the client. Shared by the bot and the outbox.
 */
import { button, type Buttons } from "./buttons.ts";
import { cb } from "./callback_data.ts";
import { escapeHtml, type Translate } from "./i18n.ts";

/** What a notice about a booking needs to know about it. */
export interface NoticeBooking {
  id: number;
  userId: number;
  clientName: string;
}

/**
 * "📋 Открыть запись" and, when the client has a username, "✍️ Написать клиенту" (t.me link:
 * Telegram refuses a whole message whose tg://user button points at a private profile).
 */
export function ownerNoticeButtons(
  t: Translate,
  b: NoticeBooking,
  username?: string | null,
): Buttons {
  const rows: Buttons = [[
    button(t("admin_notify.open_booking"), cb.adminBooking.pack({ id: b.id })),
  ]];
  if (username) {
    rows.push([{ text: t("admin_notify.write_client"), url: `https://t.me/${username}` }]);
  }
  return rows;
}

/** A line with a tg://user link to the client (a text link works whatever their privacy). */
export function writeClientLine(t: Translate, b: NoticeBooking): string {
  return t("admin_notify.write_line", {
    linkHtml: `<a href="tg://user?id=${b.userId}">${escapeHtml(b.clientName)}</a>`,
  });
}
