/** Clients as people: who they are, what they booked, and the admins' private notes. */
import type { Db } from "./connection.ts";
import { stmt } from "./statements.ts";

/** A client found by a search. */
export interface ClientHit {
  id: number;
  name: string;
  username: string | null;
  phone: string | null;
  bookings: number;
}

/** What a client's history adds up to (deleted bookings are not counted). */
export interface ClientFigures {
  visits: number;
  cancels: number;
  noShows: number;
  upcoming: number;
  /** Completed visits at the prices they were booked with, in minor units. */
  spentMinor: number;
  firstVisit: number | null;
  lastVisit: number | null;
  favouriteService: string | null;
  favouriteMaster: string | null;
  feedbackCount: number;
  averageRating: number | null;
}

/** One private note about a client. */
export interface ClientNote {
  id: number;
  authorId: number;
  authorName: string | null;
  text: string;
  createdAt: number;
}

const HIT = `u.id AS id,
  COALESCE(NULLIF(u.last_client_name, ''), trim(u.first_name || ' ' || COALESCE(u.last_name, '')))
    AS name,
  u.username AS username, u.last_phone AS phone,
  (SELECT count(*) FROM bookings b WHERE b.user_id = u.id AND b.deleted_at IS NULL) AS bookings`;

/** A client with every name and phone they booked with, to match a query against. */
interface Candidate extends ClientHit {
  names: string;
  phones: string;
}

/**
 * Clients (users with at least one booking) whose name, phone or @username has `query` (any
 * case, any alphabet: SQLite folds only ASCII, so the matching is done here); most booked first.
 */
export function searchClients(db: Db, query: string, limit = 20): ClientHit[] {
  const q = query.trim().replace(/^@/, "").toLocaleLowerCase();
  const digits = q.replace(/\D/g, "");
  const rows = stmt(
    db,
    `SELECT ${HIT},
       u.first_name || ' ' || COALESCE(u.last_name, '') || char(10) ||
         COALESCE((SELECT group_concat(DISTINCT b.client_name) FROM bookings b
                   WHERE b.user_id = u.id), '') AS names,
       COALESCE((SELECT group_concat(DISTINCT b.phone) FROM bookings b
                 WHERE b.user_id = u.id), '') AS phones
     FROM users u WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.id)
     ORDER BY bookings DESC, u.id`,
  ).all() as unknown as Candidate[];
  const matches = (c: Candidate) =>
    q === "" || c.names.toLocaleLowerCase().includes(q) ||
    c.username?.toLocaleLowerCase() === q || String(c.id) === q ||
    (digits.length >= 3 && c.phones.replace(/\D/g, "").includes(digits));
  return rows.filter(matches).slice(0, limit).map(({ names: _n, phones: _p, ...hit }) => hit);
}

/** One client as a search hit, or undefined when unknown. */
export function getClient(db: Db, userId: number): ClientHit | undefined {
  return stmt(db, `SELECT ${HIT} FROM users u WHERE u.id = ?`).get(userId) as
    | ClientHit
    | undefined;
}

/** The name most often booked with `column` among a client's completed visits. */
function favourite(db: Db, userId: number, table: "services" | "staff"): string | null {
  const column = table === "services" ? "service_id" : "staff_id";
  const row = stmt(
    db,
    `SELECT x.name AS name FROM bookings b JOIN ${table} x ON x.id = b.${column}
     WHERE b.user_id = ? AND b.status = 'completed' AND b.deleted_at IS NULL
     GROUP BY x.id ORDER BY count(*) DESC, max(b.start_at) DESC LIMIT 1`,
  ).get(userId) as { name: string } | undefined;
  return row?.name ?? null;
}

/** The figures of a client's history at instant `now`. */
export function clientFigures(db: Db, userId: number, now: number): ClientFigures {
  const counts = stmt(
    db,
    `SELECT
       COALESCE(sum(status = 'completed'), 0) AS visits,
       COALESCE(sum(status = 'cancelled'), 0) AS cancels,
       COALESCE(sum(status = 'no_show'), 0) AS noShows,
       COALESCE(sum(status = 'active' AND start_at >= ?2), 0) AS upcoming,
       COALESCE(sum(CASE WHEN status = 'completed' THEN price_minor END), 0) AS spentMinor,
       min(CASE WHEN status = 'completed' THEN start_at END) AS firstVisit,
       max(CASE WHEN status = 'completed' THEN start_at END) AS lastVisit
     FROM bookings WHERE user_id = ?1 AND deleted_at IS NULL`,
  ).get(userId, now) as Record<string, number | null>;
  const feedback = stmt(
    db,
    `SELECT count(*) AS n, avg(rating) AS avg FROM feedback WHERE user_id = ?`,
  ).get(userId) as { n: number; avg: number | null };
  return {
    visits: Number(counts.visits),
    cancels: Number(counts.cancels),
    noShows: Number(counts.noShows),
    upcoming: Number(counts.upcoming),
    spentMinor: Number(counts.spentMinor),
    firstVisit: counts.firstVisit,
    lastVisit: counts.lastVisit,
    favouriteService: favourite(db, userId, "services"),
    favouriteMaster: favourite(db, userId, "staff"),
    feedbackCount: feedback.n,
    averageRating: feedback.avg,
  };
}

/** A client's notes, newest first. */
export function listClientNotes(db: Db, userId: number, limit = 10): ClientNote[] {
  return stmt(
    db,
    `SELECT n.id, n.author_id AS authorId,
       NULLIF(trim(COALESCE(a.first_name, '') || ' ' || COALESCE(a.last_name, '')), '')
         AS authorName,
       n.text, n.created_at AS createdAt
     FROM client_notes n LEFT JOIN users a ON a.id = n.author_id
     WHERE n.user_id = ? ORDER BY n.created_at DESC, n.id DESC LIMIT ?`,
  ).all(userId, limit) as unknown as ClientNote[];
}

/** Stores a note (call inside the write transaction that audits it); returns its id. */
export function insertClientNote(
  db: Db,
  note: { userId: number; authorId: number; text: string },
  now: number,
): number {
  const r = stmt(
    db,
    `INSERT INTO client_notes (user_id, author_id, text, created_at) VALUES (?, ?, ?, ?)`,
  ).run(note.userId, note.authorId, note.text, now);
  return Number(r.lastInsertRowid);
}
