// The hub's one secret at rest: a random 256-bit hub key kept outside the database (OS keystore or
// key file, see server/cli). Two keys are derived from it with HKDF-SHA256, one per job, so neither
// can stand in for the other: the database key of the embedded database (its cipher: hub-cipher.ts)
// and the key-encryption key (KEK) of the envelope-encrypted secrets (both engines).
import { hkdfSync, randomBytes } from 'node:crypto';
import { StorageError } from './storage-error.js';

export const HUB_KEY_BYTES = 32;

function derive(hubKey: Buffer, purpose: string): Buffer {
  if (hubKey.length !== HUB_KEY_BYTES) {
    throw new StorageError('INVALID_DATABASE_OPTIONS', 'The hub key must be 32 random bytes (wardline-hub init-key makes one).');
  }
  return Buffer.from(hkdfSync('sha256', hubKey, Buffer.alloc(0), `wardline-hub ${purpose} v1`, 32));
}

/**
 * The key of the embedded hub database. The HKDF label keeps the name of the database's first cipher
 * (SQLCipher 4): a new label would be a new key, and files written before would no longer open.
 */
export function databaseKeyOf(hubKey: Buffer): Buffer {
  return derive(hubKey, 'sqlcipher');
}

/** The key-encryption key of the envelope-encrypted secrets. */
export function kekOf(hubKey: Buffer): Buffer {
  return derive(hubKey, 'kek');
}

export function newHubKey(): Buffer {
  return randomBytes(HUB_KEY_BYTES);
}
