// Hub storage: the two SQL engines behind the SqlDatabase seam (SQLite embedded, PostgreSQL shared)
// and the migration runner every hub store uses. Knows nothing about FHIR or identity.
export type { SqlDatabase, SqlDialect } from './sql-database.js';
export { openHubDatabase, type HubDatabaseOptions } from './open-hub-database.js';
export { openSqliteDatabase, type SqliteOptions } from './sqlite-database.js';
export { openPostgresDatabase, withSerializableRetry, isSerializationFailure, type PostgresOptions } from './postgres-database.js';
export { runMigrations, type HubMigration } from './migrations.js';
export { StorageError, type StorageErrorCode } from './storage-error.js';
