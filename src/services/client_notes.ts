/** Admins' private notes about clients: the note and its audit record in one transaction. */
import { audit } from "../db/audit_repo.ts";
import { insertClientNote } from "../db/clients_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import type { Clock } from "../domain/clock.ts";

/** The longest note kept. */
export const MAX_NOTE = 1000;

/** Why a note was refused. */
export type NoteProblem = "empty" | "too_long";

/** Writes notes about clients. */
export class ClientNotesService {
  constructor(readonly db: Db, readonly clock: Clock) {}

  /** Adds a note about client `userId` by admin `authorId`; a refused text changes nothing. */
  add(
    userId: number,
    text: string,
    authorId: number,
  ): { ok: true; id: number } | { ok: false; problem: NoteProblem } {
    const note = text.trim();
    if (note === "") return { ok: false, problem: "empty" };
    if ([...note].length > MAX_NOTE) return { ok: false, problem: "too_long" };
    return writeTransaction(this.db, () => {
      const now = this.clock.now();
      const id = insertClientNote(this.db, { userId, authorId, text: note }, now);
      audit(this.db, {
        at: now,
        actorId: authorId,
        entity: "user",
        entityId: userId,
        action: "note",
        newValue: note,
      });
      return { ok: true as const, id };
    });
  }
}
