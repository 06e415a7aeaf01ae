// Options every hub command shares: where the data lives (a folder holding the SQLite file and the
// development certificate, or a PostgreSQL URL) and opening that database, migrated.
import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { migrateHub } from '../app.js';
import { openHubDatabase, type SqlDatabase } from '../storage/index.js';
import { HubCliError } from './hub-cli-error.js';

export const DEFAULT_DATA_DIR = '.wardline-hub';
export const SQLITE_FILE = 'hub.sqlite';

export interface StoreOptions {
  readonly data?: string | undefined;
  readonly postgres?: string | undefined;
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
}

export async function openStore(options: StoreOptions): Promise<OpenedStore> {
  if (options.postgres) {
    const db = await openHubDatabase({ postgresUrl: options.postgres });
    await migrateHub(db);
    return { db, description: 'PostgreSQL' };
  }
  const file = join(await dataDirOf(options), SQLITE_FILE);
  const db = await openHubDatabase({ sqlitePath: file });
  // Patient data: readable by the hub's account only.
  await chmod(file, 0o600).catch(() => undefined);
  await migrateHub(db);
  return { db, description: file };
}
