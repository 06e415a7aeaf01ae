// The vault key's lifecycle against the KeyCustodian: a new key for a new vault, unlocking an
// existing vault (finishing an interrupted rekey), and rotating the key.
//
// Rekey protocol (a crash at any point leaves a key in the keystore that opens the file):
//   1. store the new key under the staging name      file: old key   main: old   staging: new
//   2. PRAGMA rekey (re-encrypt every page)           file: new key   main: old   staging: new
//   3. store the new key under the main name          file: new key   main: new   staging: new
//   4. destroy the staging entry                      file: new key   main: new
// On open the main key is tried first; when it does not open the file, the staging key is tried
// and, if it does, promoted (steps 3 and 4). A crash inside step 2 leaves SQLite's rollback
// journal, written under the old key, so the main key opens the file and rolls it back.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { KeyCustodian } from './key-custodian.js';
import { stagingNameFor } from './key-name.js';
import { KEY_BYTES, openKeyedConnection, rekeyConnection, type Db } from './sqlcipher-connection.js';
import { VaultError, isVaultError } from './vault-error.js';

/** Stores `key` and reads it back, so a keystore that silently drops writes is caught now. */
async function storeVerified(custodian: KeyCustodian, name: string, key: Buffer): Promise<void> {
  await custodian.store(name, key);
  const loaded = await custodian.load(name);
  try {
    if (loaded === null || loaded.length !== key.length || !timingSafeEqual(loaded, key)) {
      throw new VaultError(
        'KEYSTORE_UNAVAILABLE',
        'The OS keystore did not keep the chart cache key it was given, so no cache was created. Ask IT to check the Secret Service (Linux), Keychain (macOS) or Credential Manager (Windows).',
      );
    }
  } finally {
    loaded?.fill(0);
  }
}

/** A fresh random 256-bit key, already stored (and verified) under `name`. The caller zeroes it. */
export async function createStoredKey(custodian: KeyCustodian, name: string): Promise<Buffer> {
  const key = randomBytes(KEY_BYTES);
  try {
    await storeVerified(custodian, name, key);
    return key;
  } catch (error) {
    key.fill(0);
    throw error;
  }
}

/** An open connection, and (for the integrity check) a copy of the key that opened it: zero it. */
export interface Unlocked {
  readonly db: Db;
  readonly key: Buffer;
}

/** Opens `file` with the key stored under `name`, completing an interrupted rekey if needed. */
export async function unlockConnection(file: string, custodian: KeyCustodian, name: string, logger?: Logger): Promise<Unlocked> {
  const mainKey = await custodian.load(name);
  let mainError: unknown;
  if (mainKey !== null) {
    try {
      return { db: openKeyedConnection(file, mainKey, { create: false }), key: mainKey };
    } catch (error) {
      mainKey.fill(0);
      if (!isVaultError(error, 'WRONG_KEY_OR_CORRUPT')) throw error;
      mainError = error;
    }
  }
  const stagingName = stagingNameFor(name);
  const stagedKey = await custodian.load(stagingName);
  if (stagedKey === null) {
    if (mainError !== undefined) throw mainError;
    throw new VaultError(
      'KEY_MISSING',
      "This session's OS keystore holds no key for this chart cache, so it cannot be read here; the cache was left untouched. If Wardline runs as another user or in another keystore session (a service account, sudo, the demo's private keyring), run the command there. Only if the cache was copied from elsewhere or its key was removed: ask IT to wipe it (wardline wipe) and let it sync again.",
    );
  }
  let db: Db;
  try {
    db = openKeyedConnection(file, stagedKey, { create: false });
  } catch (error) {
    stagedKey.fill(0);
    throw mainError ?? error;
  }
  try {
    await custodian.store(name, stagedKey);
    await custodian.destroy(stagingName);
  } catch (error) {
    db.close();
    stagedKey.fill(0);
    throw error;
  }
  logger?.warn('vault key change completed after an interruption');
  return { db, key: stagedKey };
}

/**
 * Re-encrypts the open database under a new random key, following the protocol above. `label` names
 * the database in the errors ("chart cache", "audit trail").
 */
export async function rotateKey(db: Db, custodian: KeyCustodian, name: string, label = 'chart cache'): Promise<void> {
  const stagingName = stagingNameFor(name);
  const newKey = randomBytes(KEY_BYTES);
  try {
    await storeVerified(custodian, stagingName, newKey);
    try {
      rekeyConnection(db, newKey);
      db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    } catch (error) {
      await custodian.destroy(stagingName).catch(() => undefined);
      throw new VaultError(
        'REKEY_FAILED',
        `Changing the ${label} key failed; the ${label} keeps its previous key and is still usable. Try again, or ask IT to check the disk.`,
        { cause: error },
      );
    }
    try {
      await custodian.store(name, newKey);
      await custodian.destroy(stagingName);
    } catch (error) {
      throw new VaultError(
        'REKEY_FAILED',
        `The ${label} was re-encrypted, but the OS keystore could not finish recording the new key. The new key is kept aside; the next time the ${label} is opened the change is completed. Ask IT to check the keystore if this repeats.`,
        { cause: error },
      );
    }
  } finally {
    newKey.fill(0);
  }
}
