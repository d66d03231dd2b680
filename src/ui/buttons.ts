/** Inline buttons as plain data, shared by the bot's screens and the jobs' messages. */
import type { InlineKeyboardButton } from "grammy/types";

/** Rows of inline buttons. */
export type Buttons = InlineKeyboardButton[][];

/** A button with callback data. */
export function button(text: string, data: string): InlineKeyboardButton {
  return { text, callback_data: data };
}

/** A screen as plain data: what a pure view returns and a handler shows. */
export interface Screen {
  text: string;
  buttons: Buttons;
}
