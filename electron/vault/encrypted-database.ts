// An encrypted database of another purpose than the chart cache (the audit log), in the same data
// directory: its own file, its own random key under its own keystore name (same custody), its own
// migrations and user_version. Built from the vault's internals, so the cipher settings, the key
// handling (hex key zeroed after use, staged rekeys completed) and the create-then-rename stay the
// same; the chart cache's own file and key are never touched, so wiping the vault leaves it alone.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { KeyCustodian } from './key-custodian.js';
import { keyNameFor, stagingNameFor, type KeyPurpose } from './key-name.js';
import { migrate } from './migration-runner.js';
import type { Migration } from './migrations/migration.js';
import { openKeyedConnection, type Db } from './sqlcipher-connection.js';
import { syncDirectory, VAULT_FILE_NAME, withSideFiles } from './vault-files.js';
import { VaultError } from './vault-error.js';
import { createStoredKey, rotateKey, unlockConnection } from './vault-keys.js';

/** An open connection to such a database (better-sqlite3 API). */
export type EncryptedConnection = Db;

export interface OpenEncryptedDatabaseOptions {
  readonly dataDir: string;
  /** A plain file name inside dataDir, e.g. "audit.db" (never the chart cache's). */
  readonly fileName: string;
  /** Names its key in the keystore (keyNameFor(dataDir, purpose)); never "vault". */
  readonly purpose: Exclude<KeyPurpose, 'vault' | 'device'>;
  readonly custodian: KeyCustodian;
  /** Its own schema history, numbered from 1. */
  readonly migrations: readonly Migration[];
  /** When the file does not exist: create it with a new key (true) or fail with NOT_FOUND (false). */
  readonly create: boolean;
  /** FULL flushes every commit to disk (survives a power cut); the vault's default is NORMAL. */
  readonly synchronous?: 'NORMAL' | 'FULL';
  readonly logger?: Logger;
}

export interface OpenedEncryptedDatabase {
  readonly db: EncryptedConnection;
  /** True when the file was created by this call. */
  readonly created: boolean;
}

/** Whether `<dataDir>/<fileName>` exists. */
export function encryptedDatabaseExists(dataDir: string, fileName: string): boolean {
  return existsSync(path.join(path.resolve(dataDir), fileName));
}

/**
 * Opens (or, with `create`, first creates) the database, keyed with its own key from the
 * custodian, and brings its schema up to date. A new file is built as `<file>.partial` and renamed
 * into place once its schema is complete, so a crash never leaves a schema-less file behind.
 * Fails like openVault: KEYSTORE_UNAVAILABLE, KEY_MISSING, WRONG_KEY_OR_CORRUPT, CORRUPT,
 * SCHEMA_TOO_NEW, MIGRATION_FAILED, or NOT_FOUND without `create`.
 */
export async function openEncryptedDatabase(options: OpenEncryptedDatabaseOptions): Promise<OpenedEncryptedDatabase> {
  const { dataDir, fileName, purpose, custodian, migrations, logger } = options;
  if (fileName !== path.basename(fileName) || fileName === VAULT_FILE_NAME || (purpose as string) === 'vault') {
    throw new TypeError(
      `"${fileName}" cannot hold a database of another purpose: it must be a plain file name other than the chart cache's.`,
    );
  }
  const file = path.join(path.resolve(dataDir), fileName);
  const name = keyNameFor(dataDir, purpose);
  let created = false;
  if (!existsSync(file)) {
    if (!options.create) {
      throw new VaultError('NOT_FOUND', `There is no ${purpose} database on this workstation.`);
    }
    await createDatabaseFile(file, name, options);
    created = true;
  }
  const { db, key } = await unlockConnection(file, custodian, name, logger);
  key.fill(0);
  try {
    migrate(db, migrations, logger);
    if (options.synchronous === 'FULL') db.pragma('synchronous=FULL');
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, created };
}

async function createDatabaseFile(file: string, name: string, options: OpenEncryptedDatabaseOptions): Promise<void> {
  const { custodian, migrations, logger } = options;
  const key = await createStoredKey(custodian, name);
  try {
    await custodian.destroy(stagingNameFor(name));
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const partial = `${file}.partial`;
    for (const leftover of withSideFiles(partial)) rmSync(leftover, { force: true });
    try {
      const db = openKeyedConnection(partial, key, { create: true });
      try {
        migrate(db, migrations, logger);
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      renameSync(partial, file);
      syncDirectory(path.dirname(file));
    } catch (error) {
      for (const leftover of withSideFiles(partial)) rmSync(leftover, { force: true });
      await custodian.destroy(name).catch(() => undefined);
      throw error;
    }
    logger?.info({ purpose: options.purpose, schemaVersion: migrations.length }, 'encrypted database created');
  } finally {
    key.fill(0);
  }
}

/**
 * Re-encrypts such a database, open on `db`, under a new random key with the vault's crash-safe
 * protocol (the new key staged in the keystore first; an interrupted change is completed or rolled
 * back by the next open). Throws VaultError REKEY_FAILED, worded with `label`.
 */
export async function rekeyEncryptedDatabase(
  db: EncryptedConnection,
  options: { dataDir: string; purpose: Exclude<KeyPurpose, 'vault' | 'device'>; custodian: KeyCustodian; label: string },
): Promise<void> {
  if (db.inTransaction) {
    throw new VaultError(
      'REKEY_FAILED',
      `The ${options.label} key cannot be changed inside a transaction. Try again once it has finished.`,
    );
  }
  await rotateKey(db, options.custodian, keyNameFor(options.dataDir, options.purpose), options.label);
}
