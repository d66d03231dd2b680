/** Telegram users who talked to the bot. */
import type { Db } from "./connection.ts";
import { stmt } from "./statements.ts";

/** A user as stored. */
export interface User {
  id: number;
  firstName: string;
  lastName: string | null;
  username: string | null;
  languageCode: string | null;
  language: string | null;
  lastClientName: string | null;
  lastPhone: string | null;
  blockedAt: number | null;
}

/** The Telegram profile fields we keep. */
export interface TelegramProfile {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

const COLUMNS = `id, first_name AS firstName, last_name AS lastName, username,
  language_code AS languageCode, language, last_client_name AS lastClientName,
  last_phone AS lastPhone, blocked_at AS blockedAt`;

/** Inserts or refreshes a user's profile; a user who writes again is no longer blocked. */
export function upsertUser(db: Db, p: TelegramProfile, now: number): void {
  stmt(
    db,
    `INSERT INTO users (id, first_name, last_name, username, language_code, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name,
       last_name = excluded.last_name, username = excluded.username,
       language_code = excluded.language_code, blocked_at = NULL, updated_at = excluded.updated_at
     WHERE first_name IS NOT excluded.first_name OR last_name IS NOT excluded.last_name
       OR username IS NOT excluded.username OR language_code IS NOT excluded.language_code
       OR blocked_at IS NOT NULL`,
  ).run(
    p.id,
    p.first_name,
    p.last_name ?? null,
    p.username ?? null,
    p.language_code ?? null,
    now,
    now,
  );
}

/** One user by Telegram id. */
export function getUser(db: Db, id: number): User | undefined {
  return stmt(db, `SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id) as User | undefined;
}

/** Stores the language the user chose. */
export function setUserLanguage(db: Db, id: number, language: string, now: number): void {
  stmt(db, "UPDATE users SET language = ?, updated_at = ? WHERE id = ?").run(language, now, id);
}

/** Remembers the name and phone last used so the next booking can offer them. */
export function rememberContact(
  db: Db,
  id: number,
  name: string | null,
  phone: string | null,
  now: number,
) {
  stmt(db, "UPDATE users SET last_client_name = ?, last_phone = ?, updated_at = ? WHERE id = ?")
    .run(name, phone, now, id);
}

/** Marks a user who blocked the bot (Telegram answered 403). */
export function markBlocked(db: Db, id: number, now: number): void {
  stmt(db, "UPDATE users SET blocked_at = ?, updated_at = ? WHERE id = ? AND blocked_at IS NULL")
    .run(now, now, id);
}

/** Finds users by @username, id, or part of a name. */
export function findUsers(db: Db, query: string, limit = 20): User[] {
  const q = query.trim().replace(/^@/, "");
  if (/^\d+$/.test(q)) {
    return stmt(db, `SELECT ${COLUMNS} FROM users WHERE id = ?`).all(
      Number(q),
    ) as unknown as User[];
  }
  const like = `%${q.replace(/[%_\\]/g, (c) => "\\" + c)}%`;
  return stmt(
    db,
    `SELECT ${COLUMNS} FROM users WHERE lower(username) = lower(?)
       OR first_name LIKE ? ESCAPE '\\' OR last_name LIKE ? ESCAPE '\\'
     ORDER BY id LIMIT ?`,
  ).all(q, like, like, limit) as unknown as User[];
}
