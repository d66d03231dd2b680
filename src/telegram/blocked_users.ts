/**
 * The one place that notices users who blocked the bot: a Bot API transformer installed on the
 * bot's API and on the jobs' API. Any request to a private chat answered with 403 ("bot was
 * blocked by the user", "user is deactivated") marks that user; the user's next update unmarks
 * them (see the user middleware of the bot). Bulk sends skip marked users.
 */
import type { RawApi, Transformer } from "grammy";
import type { Db } from "../db/connection.ts";
import { markBlocked } from "../db/users_repo.ts";
import type { Clock } from "../domain/clock.ts";
import type { Logger } from "../ops/log.ts";

/** What the transformer needs. */
export interface BlockedUsersDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

/** Whether a Bot API answer says the private chat `chatId` no longer takes our messages. */
export function isBlockedAnswer(
  answer: { ok: boolean; error_code?: number },
  chatId: unknown,
): chatId is number {
  return !answer.ok && answer.error_code === 403 && typeof chatId === "number" && chatId > 0;
}

/** An API transformer that marks a user blocked when Telegram answers 403 for their chat. */
export function markBlockedUsers(deps: BlockedUsersDeps): Transformer<RawApi> {
  return async (prev, method, payload, signal) => {
    const answer = await prev(method, payload, signal);
    const chatId = payload && "chat_id" in payload ? payload.chat_id : undefined;
    if (isBlockedAnswer(answer, chatId)) {
      markBlocked(deps.db, chatId, deps.clock.now());
      deps.logger.info("User blocked the bot; marked", { userId: chatId, method });
    }
    return answer;
  };
}
