// The hub key's commands: `init-key` (a new random hub key in the OS keystore or a key file),
// `rotate-keys` (a new hub key: the SQLite file re-encrypted, every protected secret re-wrapped,
// a new token-signing key; tokens already issued stay valid until they expire) and
// `encrypt-database` (an unencrypted hub.sqlite from an earlier version, encrypted in place). A
// rotation is recorded in the hub's trail (audit_hub_actions); `init-key` (no store is open) and
// `encrypt-database` (a store of an earlier version, not yet migrated) are not.
import { join } from 'node:path';
import { rewrapProtectedSecrets, rotateSigningKey } from '../identity/index.js';
import { rewrapDevKey } from '../tls/index.js';
import {
  databaseKeyOf,
  encryptPlainSqliteFile,
  isPlainSqliteFile,
  newHubKey,
  openHubDatabase,
  rekeySqliteFile,
  rollBackInterruptedEncryption,
  sqliteKeyFits,
  type HubKeyRing,
} from '../storage/index.js';
import { recordAdminAction, type CliIo } from './admin-commands.js';
import { HubCliError } from './hub-cli-error.js';
import { keyStoreFor, loadHubKey } from './hub-key-source.js';
import { dataDirOf, openStoreWithKeys, SQLITE_FILE, type StoreOptions } from './hub-options.js';

export async function initKeyCommand(options: StoreOptions, io: CliIo): Promise<void> {
  const dataDir = await dataDirOf(options);
  const store = keyStoreFor(options, dataDir);
  const key = newHubKey();
  try {
    await store.create(key);
  } finally {
    key.fill(0);
  }
  io.print(`A new hub key is stored in ${store.description}.`);
  io.print('Back it up somewhere safe and apart from the database backups: without it the hub data cannot be read.');
}

/** Which hub key opens the SQLite file now (during an interrupted rotation it may be the new one). */
function keyOpeningFile(file: string, candidates: readonly Buffer[]): Buffer {
  for (const candidate of candidates) {
    if (sqliteKeyFits(file, databaseKeyOf(candidate))) return candidate;
  }
  throw new HubCliError('KEY_INVALID', 'Neither the hub key nor the pending one opens the hub database; nothing was changed.');
}

export async function rotateKeysCommand(options: StoreOptions, io: CliIo): Promise<void> {
  const dataDir = await dataDirOf(options);
  const loaded = await loadHubKey(options, dataDir, { dev: false, allowDevKey: true });
  const oldKey = loaded.ring.current;
  // 1. The new key is saved (as pending) before anything is encrypted under it.
  const newKey = (await loaded.store.loadPending()) ?? newHubKey();
  if (!loaded.pending) await loaded.store.savePending(newKey);
  // 2. The SQLite file is re-encrypted under the new key (unless an interrupted run did it).
  if (!options.postgres) {
    const file = join(dataDir, SQLITE_FILE);
    if (keyOpeningFile(file, [oldKey, newKey]) === oldKey) rekeySqliteFile(file, databaseKeyOf(oldKey), databaseKeyOf(newKey));
  }
  // 3. Protected secrets re-wrapped under the new KEK, and a new signing key.
  const ring: HubKeyRing = { current: newKey, others: [oldKey] };
  const { db } = await openStoreWithKeys(options, ring);
  let rewrapped: number;
  try {
    rewrapped = await rewrapProtectedSecrets(db);
    // The --dev-tls private key beside the data, sealed with the same KEK.
    if (await rewrapDevKey(dataDir, db.secrets)) rewrapped += 1;
    const now = new Date();
    const secrets = rewrapped;
    await db.transaction(async (tx) => {
      await rotateSigningKey(tx, now);
      await recordAdminAction(tx, 'keys-rotate', now, { secrets });
    });
  } finally {
    await db.close();
  }
  // 4. The new key becomes the key.
  await loaded.store.promotePending();
  io.print(`Hub key replaced in ${loaded.store.description}; ${rewrapped} protected secret(s) re-wrapped; new token-signing key.`);
  io.print('Tokens issued before stay valid until they expire. Start the hub again with the same key options.');
}

export async function encryptDatabaseCommand(options: StoreOptions, io: CliIo): Promise<void> {
  if (options.postgres) throw new HubCliError('USAGE', 'encrypt-database is for the embedded SQLite hub database (--data).');
  const dataDir = await dataDirOf(options);
  const file = join(dataDir, SQLITE_FILE);
  // An earlier run interrupted once it had written page 1 left a journal: rolled back, the file is plain again.
  rollBackInterruptedEncryption(file);
  if (!isPlainSqliteFile(file)) {
    io.print(`${file} is not an unencrypted hub database; nothing was changed.`);
    return;
  }
  const loaded = await loadHubKey(options, dataDir, { dev: false, allowDevKey: true });
  encryptPlainSqliteFile(file, databaseKeyOf(loaded.ring.current));
  // Proves the result opens with the key, and seals the secrets it held in the clear.
  const db = await openHubDatabase({ sqlitePath: file, hubKey: loaded.ring });
  await db.close();
  io.print(`${file} is now encrypted with the hub key in ${loaded.store.description}.`);
}
