// Brings a vault's schema up to date. Each migration runs in its own transaction together with
// the PRAGMA user_version bump, so a failing migration leaves the previous schema and data intact.
import type { Logger } from 'pino';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import type { Db } from './sqlcipher-connection.js';
import { VaultError } from './vault-error.js';

export function schemaVersionOf(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function assertWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (!Number.isInteger(migration.version) || migration.version !== index + 1) {
      throw new VaultError(
        'MIGRATION_FAILED',
        `The chart cache's migration list is malformed ("${migration.name}" is numbered ${migration.version}; expected ${index + 1}). This is a Wardline defect: report it.`,
      );
    }
  });
}

/**
 * Runs every migration newer than the database's user_version, in order. Returns the versions
 * before and after. Throws VaultError MIGRATION_FAILED (schema left at the last good version) or
 * SCHEMA_TOO_NEW (a newer Wardline wrote this vault; it is not touched).
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, logger?: Logger): { from: number; to: number } {
  assertWellFormed(migrations);
  const latest = migrations.length;
  const from = schemaVersionOf(db);
  if (from > latest) {
    throw new VaultError(
      'SCHEMA_TOO_NEW',
      `The chart cache was written by a newer Wardline (schema ${from}; this version knows up to ${latest}). Update Wardline on this workstation, or wipe the cache (wardline wipe).`,
    );
  }
  for (const migration of migrations.slice(from)) {
    const apply = db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply.immediate();
    } catch (error) {
      logger?.error({ version: migration.version, migration: migration.name }, 'vault migration failed');
      throw new VaultError(
        'MIGRATION_FAILED',
        `Updating the chart cache to schema ${migration.version} (${migration.name}) failed; it was left unchanged at schema ${schemaVersionOf(db)}. Ask IT to report this, or wipe the cache (wardline wipe) and let it sync again.`,
        { cause: error },
      );
    }
    logger?.info({ version: migration.version, migration: migration.name }, 'vault migrated');
  }
  return { from, to: schemaVersionOf(db) };
}
