// Picks the engine from the hub's options: the embedded SQLite file by default, or PostgreSQL
// when a URL is given (several hub processes may share it).
import { openPostgresDatabase } from './postgres-database.js';
import type { SqlDatabase } from './sql-database.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { StorageError } from './storage-error.js';

export type HubDatabaseOptions = { readonly sqlitePath: string } | { readonly postgresUrl: string; readonly maxConnections?: number };

export async function openHubDatabase(options: HubDatabaseOptions): Promise<SqlDatabase> {
  if ('postgresUrl' in options) {
    return openPostgresDatabase(
      options.postgresUrl,
      options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections },
    );
  }
  if ('sqlitePath' in options) return openSqliteDatabase(options.sqlitePath);
  throw new StorageError('INVALID_DATABASE_OPTIONS', 'The hub needs either a data folder (SQLite) or a PostgreSQL URL.');
}
