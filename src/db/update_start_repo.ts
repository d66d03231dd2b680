/**
 * What the bot reads as every update starts, in one statement: each statement of its own would
 * take and release the WAL read lock again, which costs more than these small reads do.
 */
import { noteGeneration } from "./config_cache.ts";
import type { Db } from "./connection.ts";
import { OWED_ROWS } from "./outbox_repo.ts";
import { stmt } from "./statements.ts";
import { type User, USER_COLUMNS } from "./users_repo.ts";

/** The sender's row and whether messages are owed to the chat, read at one instant. */
export interface UpdateStartRow {
  /** The sender as stored (getUser), undefined for someone new. */
  user: User | undefined;
  /** Whether a message to the chat is owed and may be sent now (hasOwed). */
  owed: boolean;
}

/**
 * getUser(userId) and hasOwed(chatId, now) in one statement; the configuration generation read
 * with them is the cache's check (config_cache.ts).
 */
export function readUpdateStart(
  db: Db,
  userId: number,
  chatId: number,
  now: number,
): UpdateStartRow {
  const row = stmt(
    db,
    `SELECT ${USER_COLUMNS}, EXISTS (SELECT 1 ${OWED_ROWS}) AS owed,
       (SELECT n FROM config_generation WHERE id = 1) AS generation
     FROM (SELECT 1) LEFT JOIN users ON users.id = ?`,
  ).get(chatId, now, now, userId)!;
  const { owed, generation, ...user } = row;
  if (typeof generation === "number") noteGeneration(db, generation);
  return { user: user.id === null ? undefined : user as unknown as User, owed: owed === 1 };
}
