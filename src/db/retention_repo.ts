/** Aggregates over clients for retention: who came in a period, who came back, who lapsed. */
import type { Db } from "./connection.ts";
import { stmt } from "./statements.ts";

/** Completed visits of a range, by the clients who made them. */
export interface VisitFigures {
  /** Clients with at least one completed visit in the range. */
  clients: number;
  /** Of them, those who had come before the range or came more than once in it. */
  returning: number;
  /** Completed visits in the range. */
  visits: number;
  /** Their prices as booked, in minor units. */
  spentMinor: number;
}

/** The completed visits of [from, to) grouped by client (soft-deleted bookings do not count). */
export function visitFigures(db: Db, from: number, to: number): VisitFigures {
  const row = stmt(
    db,
    `SELECT count(*) AS clients,
       COALESCE(sum(before > 0 OR n > 1), 0) AS returners,
       COALESCE(sum(n), 0) AS visits,
       COALESCE(sum(spent), 0) AS spentMinor
     FROM (
       SELECT b.user_id, count(*) AS n, total(b.price_minor) AS spent,
         (SELECT count(*) FROM bookings p WHERE p.user_id = b.user_id
            AND p.status = 'completed' AND p.deleted_at IS NULL AND p.start_at < ?1) AS before
       FROM bookings b
       WHERE b.status = 'completed' AND b.deleted_at IS NULL
         AND b.start_at >= ?1 AND b.start_at < ?2
       GROUP BY b.user_id
     )`,
  ).get(from, to) as Record<string, number>;
  return {
    clients: Number(row.clients),
    returning: Number(row.returners),
    visits: Number(row.visits),
    spentMinor: Number(row.spentMinor),
  };
}

/** A client who has not come back. */
export interface LapsedClient {
  userId: number;
  name: string;
  lastVisit: number;
  visits: number;
}

const LAPSED = `FROM (
    SELECT b.user_id AS userId, max(b.start_at) AS lastVisit, count(*) AS visits,
      (SELECT client_name FROM bookings x WHERE x.user_id = b.user_id
       ORDER BY x.start_at DESC LIMIT 1) AS name
    FROM bookings b WHERE b.status = 'completed' AND b.deleted_at IS NULL
    GROUP BY b.user_id
  ) c
  WHERE c.lastVisit < ?1 AND NOT EXISTS (
    SELECT 1 FROM bookings f WHERE f.user_id = c.userId AND f.status = 'active'
      AND f.deleted_at IS NULL AND f.start_at >= ?2)`;

/**
 * Clients whose last completed visit was before `before` and who have nothing booked from
 * `now` on, longest gone first (at most `limit`), and how many there are in all.
 */
export function lapsedClients(
  db: Db,
  before: number,
  now: number,
  limit: number,
): { total: number; rows: LapsedClient[] } {
  const total = stmt(db, `SELECT count(*) AS n ${LAPSED}`).get(before, now) as { n: number };
  const rows = stmt(
    db,
    `SELECT c.userId, c.name, c.lastVisit, c.visits ${LAPSED}
     ORDER BY c.lastVisit, c.userId LIMIT ?3`,
  ).all(before, now, limit) as unknown as LapsedClient[];
  return { total: Number(total.n), rows };
}
