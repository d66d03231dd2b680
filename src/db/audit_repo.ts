/** The audit log: who changed what, when, from which value to which. */
import type { Db } from "./connection.ts";
import { stmt } from "./statements.ts";

/** The kinds of things audited. */
export type AuditEntity =
  | "booking"
  | "service"
  | "staff"
  | "settings"
  | "schedule"
  | "admin"
  | "user"
  | "backup"
  | "deposit";

/** One audit record to write. */
export interface AuditEntry {
  at: number;
  actorId: number | null;
  entity: AuditEntity;
  entityId?: string | number | null;
  action: string;
  field?: string | null;
  oldValue?: unknown;
  newValue?: unknown;
}

/** One stored audit record. */
export interface AuditRow {
  id: number;
  at: number;
  actorId: number | null;
  entity: AuditEntity;
  entityId: string | null;
  action: string;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Appends one record to the audit log (call inside the write transaction it describes). */
export function audit(db: Db, e: AuditEntry): void {
  stmt(
    db,
    `INSERT INTO audit_log (at, actor_id, entity, entity_id, action, field, old_value, new_value)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.at,
    e.actorId,
    e.entity,
    e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
    e.action,
    e.field ?? null,
    text(e.oldValue),
    text(e.newValue),
  );
}

/** Filters for reading the audit log. */
export interface AuditFilter {
  entity?: AuditEntity;
  entityId?: string | number;
  actorId?: number;
  limit: number;
  offset: number;
}

/** Audit records newest first, filtered, one page; also returns the total count. */
export function listAudit(db: Db, f: AuditFilter): { rows: AuditRow[]; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.entity) {
    where.push("entity = ?");
    params.push(f.entity);
  }
  if (f.entityId !== undefined) {
    where.push("entity_id = ?");
    params.push(String(f.entityId));
  }
  if (f.actorId !== undefined) {
    where.push("actor_id = ?");
    params.push(f.actorId);
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const total = Number(
    stmt(db, `SELECT count(*) AS n FROM audit_log ${clause}`).get(...params)!.n,
  );
  const rows = stmt(
    db,
    `SELECT id, at, actor_id AS actorId, entity, entity_id AS entityId, action, field,
            old_value AS oldValue, new_value AS newValue
     FROM audit_log ${clause} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
  ).all(...params, f.limit, f.offset) as unknown as AuditRow[];
  return { rows, total };
}

/** How many changes of `entity` `id` were recorded: a revision number that only grows. */
export function auditCount(db: Db, entity: string, id: number | string): number {
  return Number(
    stmt(db, "SELECT COUNT(*) AS n FROM audit_log WHERE entity = ? AND entity_id = ?")
      .get(entity, String(id))!.n,
  );
}
