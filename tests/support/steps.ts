/** A person's steps in an e2e journey: press or type, then wait for the bot's answer. */
import type { FakeUser } from "./fake_bot_api.ts";

type Button = Parameters<FakeUser["press"]>[0];

/** Presses a button (by label, pattern or predicate) and waits for the message it leads to. */
export async function press(user: FakeUser, match: Button): Promise<void> {
  const next = user.nextMessage();
  try {
    user.press(match);
  } catch (error) {
    next.catch(() => {});
    throw error;
  }
  await next;
}

/** Sends text and waits for the answer. */
export async function send(user: FakeUser, text: string): Promise<void> {
  const next = user.nextMessage();
  user.sendText(text);
  await next;
}
