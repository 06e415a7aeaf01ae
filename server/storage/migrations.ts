// The migration runner: applies each hub migration once, in order, and records it in
// `hub_migrations`. Two hub processes starting together on one database do not migrate twice.
import type { SqlDatabase } from './sql-database.js';
import { isSerializationFailure } from './postgres-database.js';
import { StorageError } from './storage-error.js';

export interface HubMigration {
  /** Stable, unique, never reused: e.g. `resources-0001`. */
  readonly id: string;
  up(db: SqlDatabase): Promise<void>;
}

/** Any constant: the key of the advisory lock under which PostgreSQL hubs create the bookkeeping table. */
const CREATE_TABLE_LOCK = 74_210_001;

/**
 * Creates the bookkeeping table. On PostgreSQL two hub processes starting together would race to
 * create it, and the loser's CREATE TABLE IF NOT EXISTS can fail in several ways depending on the
 * instant (a duplicate pg_type or pg_class key, "relation already exists", "type already exists"):
 * so the creation runs under a transaction-level advisory lock, and the second process, once the
 * first has committed, finds the table and creates nothing. On SQLite the transaction takes the
 * file's write lock first (BEGIN IMMEDIATE), waiting its turn behind another process.
 */
async function createMigrationTable(db: SqlDatabase): Promise<void> {
  await db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [CREATE_TABLE_LOCK]);
    await tx.execute('CREATE TABLE IF NOT EXISTS hub_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  });
}

/** Applies the migrations not yet recorded; returns the ids it applied now. */
export async function runMigrations(db: SqlDatabase, migrations: readonly HubMigration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const migration of migrations) {
    if (ids.has(migration.id)) {
      throw new StorageError('MIGRATION_FAILED', `Two hub migrations share the id ${migration.id}; this is a hub defect.`);
    }
    ids.add(migration.id);
  }
  await createMigrationTable(db);
  const applied: string[] = [];
  // One transaction for the whole run: BEGIN IMMEDIATE on SQLite; on PostgreSQL the table lock is
  // the transaction's first statement (it takes no snapshot), so a second process waits for the
  // first to commit and then reads every migration it applied.
  await db.transaction(async (tx) => {
    applied.length = 0;
    if (tx.dialect === 'postgres') await tx.execute('LOCK TABLE hub_migrations IN SHARE ROW EXCLUSIVE MODE');
    const done = new Set((await tx.query<{ id: string }>('SELECT id FROM hub_migrations')).map((row) => row.id));
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      try {
        await migration.up(tx);
      } catch (cause) {
        if (isSerializationFailure(cause)) throw cause;
        throw new StorageError('MIGRATION_FAILED', `The hub database could not be upgraded (step ${migration.id}); nothing was changed.`, {
          cause,
        });
      }
      await tx.execute('INSERT INTO hub_migrations (id, applied_at) VALUES ($1, $2)', [migration.id, new Date().toISOString()]);
      applied.push(migration.id);
    }
  });
  return applied;
}
