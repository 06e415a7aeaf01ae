// Hub storage: the two SQL engines behind the SqlDatabase seam (SQLite embedded, PostgreSQL shared)
// and the migration runner every hub store uses; encryption at rest (the hub cipher, AEGIS-256, for the SQLite file,
// envelope encryption of protected secrets on both engines). Knows nothing about FHIR or identity.
export type { SqlDatabase, SqlDialect, TransactionOptions } from './sql-database.js';
export { openHubDatabase, type HubDatabaseOptions, type HubKeyRing } from './open-hub-database.js';
export { SecretEnvelope, kekId } from './secret-envelope.js';
export { HUB_KEY_BYTES, databaseKeyOf, kekOf, newHubKey } from './hub-key.js';
export {
  encryptPlainSqliteFile,
  isPlainSqliteFile,
  rekeySqliteFile,
  rollBackInterruptedEncryption,
  sqliteKeyFits,
} from './sqlite-cipher.js';
export { HUB_CIPHER, SQLCIPHER_4, type SqliteCipher } from './hub-cipher.js';
export { openSqliteDatabase, type SqliteOptions } from './sqlite-database.js';
export { openPostgresDatabase, withSerializableRetry, isSerializationFailure, type PostgresOptions } from './postgres-database.js';
export { runMigrations, type HubMigration } from './migrations.js';
export { StorageError, type StorageErrorCode } from './storage-error.js';
export { SqlParams, chunked, rowsPlaceholders } from './sql-params.js';
