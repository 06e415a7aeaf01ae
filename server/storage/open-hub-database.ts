// Picks the engine from the hub's options: the embedded SQLite file by default, or PostgreSQL
// when a URL is given (several hub processes may share it). With the hub key, the SQLite file is
// encrypted with the hub cipher (AEGIS-256, hub-cipher.ts) and the protected secrets are envelope-encrypted on either engine.
import { databaseKeyOf, kekOf } from './hub-key.js';
import { openPostgresDatabase } from './postgres-database.js';
import { SecretEnvelope } from './secret-envelope.js';
import type { SqlDatabase } from './sql-database.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { StorageError } from './storage-error.js';

export interface HubKeyRing {
  /** The hub key (32 bytes) from the OS keystore or the key file. */
  readonly current: Buffer;
  /**
   * Other hub keys the data may still be under: the new key of a rotation that was interrupted.
   * The SQLite file opens with whichever fits; new secrets are sealed under that one.
   */
  readonly others?: readonly Buffer[];
}

export type HubDatabaseOptions =
  | { readonly sqlitePath: string; readonly hubKey?: HubKeyRing }
  | { readonly postgresUrl: string; readonly maxConnections?: number; readonly hubKey?: HubKeyRing };

function openKeyedSqlite(path: string, ring: HubKeyRing): SqlDatabase {
  const candidates = [ring.current, ...(ring.others ?? [])];
  let wrongKey: unknown;
  for (const hubKey of candidates) {
    try {
      return openSqliteDatabase(path, {
        key: databaseKeyOf(hubKey),
        secrets: SecretEnvelope.withKeys(kekOf(hubKey), candidates.filter((other) => other !== hubKey).map(kekOf)),
      });
    } catch (error) {
      if (!(error instanceof StorageError) || error.code !== 'WRONG_KEY') throw error;
      wrongKey = error;
    }
  }
  throw wrongKey;
}

export async function openHubDatabase(options: HubDatabaseOptions): Promise<SqlDatabase> {
  if ('postgresUrl' in options) {
    return openPostgresDatabase(options.postgresUrl, {
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.hubKey === undefined
        ? {}
        : { secrets: SecretEnvelope.withKeys(kekOf(options.hubKey.current), (options.hubKey.others ?? []).map(kekOf)) }),
    });
  }
  if ('sqlitePath' in options) {
    return options.hubKey === undefined ? openSqliteDatabase(options.sqlitePath) : openKeyedSqlite(options.sqlitePath, options.hubKey);
  }
  throw new StorageError('INVALID_DATABASE_OPTIONS', 'The hub needs either a data folder (SQLite) or a PostgreSQL URL.');
}
