/**
 * What the bot reads as every update starts, in one statement: each statement of its own would
 * take and release the WAL read lock again, which costs more than these small reads do.
 */
import type { StatementSync } from "node:sqlite";
import { noteGeneration } from "./config_cache.ts";
import type { Db } from "./connection.ts";
import { OWED_ROWS } from "./outbox_repo.ts";
import { stmt } from "./statements.ts";
import type { User } from "./users_repo.ts";

/** The sender's row and whether messages are owed to the chat, read at one instant. */
export interface UpdateStartRow {
  /** The sender as stored (getUser), undefined for someone new. */
  user: User | undefined;
  /** Whether a message to the chat is owed and may be sent now (hasOwed). */
  owed: boolean;
}

/** Read as an array (cheaper than a row object): the user's fields, owed, generation. */
const START = `SELECT users.id, first_name, last_name, username, language_code, language,
    last_client_name, last_phone, blocked_at, EXISTS (SELECT 1 ${OWED_ROWS}),
    (SELECT n FROM config_generation WHERE id = 1)
  FROM (SELECT 1) LEFT JOIN users ON users.id = ?`;

type Value = string | number | null;

/** node:sqlite has it; Deno's types of it do not list it yet. */
type ReturnsArrays = StatementSync & { setReturnArrays(enabled: boolean): void };

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
  const statement = stmt(db, START) as ReturnsArrays;
  statement.setReturnArrays(true);
  const row = statement.get(chatId, now, now, userId) as unknown as Value[];
  const generation = row[10];
  if (typeof generation === "number") noteGeneration(db, generation);
  return { user: row[0] === null ? undefined : userOf(row), owed: row[9] === 1 };
}

function userOf(row: Value[]): User {
  return {
    id: row[0] as number,
    firstName: row[1] as string,
    lastName: row[2] as string | null,
    username: row[3] as string | null,
    languageCode: row[4] as string | null,
    language: row[5] as string | null,
    lastClientName: row[6] as string | null,
    lastPhone: row[7] as string | null,
    blockedAt: row[8] as number | null,
  };
}
