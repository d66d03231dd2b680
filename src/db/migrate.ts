/** Versioned migrations: migrations/NNNN_name.up.sql and .down.sql, tracked in schema_migrations. */
import type { Db } from "./connection.ts";
import { writeTransaction } from "./connection.ts";

/** One migration found on disk. */
export interface Migration {
  version: number;
  name: string;
  up: string;
  down: string;
}

/** Where the migration files live (also inside the compiled binary, via --include). */
export const MIGRATIONS_DIR = new URL("../../migrations/", import.meta.url);

/** The database was written by a newer version of the program; we refuse to touch it. */
export class DatabaseTooNewError extends Error {
  constructor(readonly dbVersion: number, readonly codeVersion: number) {
    super(
      `The database schema is version ${dbVersion}, but this program knows only up to ` +
        `version ${codeVersion}. It was written by a newer release: run that release, ` +
        `or restore a backup made by this one. The database was not modified.`,
    );
    this.name = "DatabaseTooNewError";
  }
}

/** Reads all migrations from `dir`, sorted by version; checks every up has its down. */
export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  const found = new Map<number, Partial<Migration>>();
  for (const entry of Deno.readDirSync(dir)) {
    const match = /^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$/.exec(entry.name);
    if (!entry.isFile || !match) continue;
    const version = Number(match[1]);
    const item = found.get(version) ?? { version, name: match[2] };
    // Two branches picking the same number would silently merge into one migration.
    if (item.name !== match[2]) {
      throw new Error(`Two migrations are numbered ${match[1]}: ${item.name} and ${match[2]}`);
    }
    const sql = Deno.readTextFileSync(new URL(entry.name, dir));
    if (match[3] === "up") item.up = sql;
    else item.down = sql;
    found.set(version, item);
  }
  const migrations = [...found.values()].sort((a, b) => a.version! - b.version!);
  for (const m of migrations) {
    if (m.up === undefined || m.down === undefined) {
      throw new Error(`Migration ${m.version} (${m.name}) needs both .up.sql and .down.sql`);
    }
  }
  return migrations as Migration[];
}

function ensureTable(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
}

function hasTable(db: Db): boolean {
  return db.prepare(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
  ).get() !== undefined;
}

/** Versions applied to the database, ascending. */
export function appliedVersions(db: Db): number[] {
  if (!hasTable(db)) return [];
  return db.prepare("SELECT version FROM schema_migrations ORDER BY version").all()
    .map((r) => Number(r.version));
}

/** The status line of each known or applied migration. */
export interface MigrationStatus {
  version: number;
  name: string;
  applied: boolean;
}

/** Lists every migration and whether it is applied. */
export function migrationStatus(db: Db, migrations = loadMigrations()): MigrationStatus[] {
  const applied = new Set(appliedVersions(db));
  return migrations.map((m) => ({
    version: m.version,
    name: m.name,
    applied: applied.has(m.version),
  }));
}

/** Refuses (throws DatabaseTooNewError) when the database has a version the code lacks. */
export function assertNotTooNew(db: Db, migrations = loadMigrations()): void {
  const known = migrations.at(-1)?.version ?? 0;
  const newest = appliedVersions(db).at(-1) ?? 0;
  if (newest > known) throw new DatabaseTooNewError(newest, known);
}

/** Applies every pending migration, each in its own transaction; returns those applied. */
export function migrateUp(db: Db, now: number, migrations = loadMigrations()): Migration[] {
  assertNotTooNew(db, migrations);
  const applied = new Set(appliedVersions(db));
  const done: Migration[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    writeTransaction(db, () => {
      ensureTable(db);
      db.exec(m.up);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .run(m.version, m.name, now);
    });
    done.push(m);
  }
  return done;
}

/** Reverts the newest `steps` applied migrations; returns those reverted. */
export function migrateDown(db: Db, steps: number, migrations = loadMigrations()): Migration[] {
  assertNotTooNew(db, migrations);
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  const applied = appliedVersions(db).reverse().slice(0, steps);
  const done: Migration[] = [];
  for (const version of applied) {
    const m = byVersion.get(version)!;
    writeTransaction(db, () => {
      db.exec(m.down);
      db.prepare("DELETE FROM schema_migrations WHERE version = ?").run(version);
    });
    done.push(m);
  }
  return done;
}
