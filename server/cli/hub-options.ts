// Options every hub command shares: where the data lives (a folder holding the SQLite file and the
// development certificate, or a PostgreSQL URL), where its key lives (--key-file or the OS
// keystore, see hub-key-source.ts) and opening that database, keyed and migrated.
import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { migrateHub } from '../app.js';
import { openHubDatabase, type HubKeyRing, type SqlDatabase } from '../storage/index.js';
import { HubCliError } from './hub-cli-error.js';
import { loadHubKey, type HubKeyStore } from './hub-key-source.js';

export const DEFAULT_DATA_DIR = '.wardline-hub';
export const SQLITE_FILE = 'hub.sqlite';

export interface StoreOptions {
  readonly data?: string | undefined;
  readonly postgres?: string | undefined;
  /** The hub key's file (mode 0600, outside the data folder); the OS keystore when absent. */
  readonly keyFile?: string | undefined;
}

export async function dataDirOf(options: StoreOptions): Promise<string> {
  const dir = resolve(options.data ?? DEFAULT_DATA_DIR);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch {
    throw new HubCliError('DATA_DIR_UNUSABLE', `The data folder ${dir} cannot be created; choose another with --data.`);
  }
  return dir;
}

export interface OpenedStore {
  readonly db: SqlDatabase;
  /** For messages: the SQLite file or "PostgreSQL". */
  readonly description: string;
  /** Where the hub key came from. */
  readonly keyStore: HubKeyStore;
  /** A key rotation was interrupted: wardline-hub rotate-keys finishes it. */
  readonly rotationPending: boolean;
}

/** Opens the store with a key ring already loaded (rotate-keys). */
export async function openStoreWithKeys(options: StoreOptions, ring: HubKeyRing): Promise<{ db: SqlDatabase; description: string }> {
  if (options.postgres) {
    const db = await openHubDatabase({ postgresUrl: options.postgres, hubKey: ring });
    await migrateHub(db);
    return { db, description: 'PostgreSQL' };
  }
  const file = join(await dataDirOf(options), SQLITE_FILE);
  const db = await openHubDatabase({ sqlitePath: file, hubKey: ring });
  // Patient data: readable by the hub's account only (and encrypted).
  await chmod(file, 0o600).catch(() => undefined);
  await migrateHub(db);
  return { db, description: `${file} (encrypted)` };
}

/**
 * Who opens the store: a production `serve` (its key must exist), a development `serve` (--demo or
 * --dev-tls: makes its own key when none is given), or an admin command (falls back to that
 * development key when no other exists).
 */
export type StoreOpener = 'serve' | 'dev-serve' | 'admin';

/** Opens the store with its hub key (see StoreOpener). */
export async function openStore(options: StoreOptions, opener: StoreOpener = 'admin'): Promise<OpenedStore> {
  const dataDir = await dataDirOf(options);
  const key = await loadHubKey(options, dataDir, { dev: opener === 'dev-serve', allowDevKey: opener === 'admin' });
  const opened = await openStoreWithKeys(options, key.ring);
  return { ...opened, keyStore: key.store, rotationPending: key.pending };
}
