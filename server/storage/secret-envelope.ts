// Envelope encryption of the few column values that must never sit in the clear in the hub
// database, on either engine: token-signing private keys and TOTP secrets. Each value gets its own
// random data key (AES-256-GCM); the data key is wrapped (AES-256-GCM) by the hub's key-encryption
// key (KEK), which lives outside the database (OS keystore or key file, see server/cli). The value
// is bound to where it is stored (`context`, e.g. the column and the row id) as associated data, so
// a sealed value copied into another row does not open.
//
// Stored form (one text value, portable SQL): `wlenv1.<kek id>.<wrapped data key>.<sealed value>`,
// both parts base64url of iv (12 bytes) ‖ ciphertext ‖ tag (16 bytes). The KEK id names the KEK
// (a keyed hash of it, not the key) so a rotation can tell what still needs re-wrapping.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { StorageError } from './storage-error.js';

export const KEK_BYTES = 32;
const PREFIX = 'wlenv1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function gcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function gcmOpen(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

/** The public name of a KEK: 16 hex digits of HMAC-SHA256(kek, label). */
export function kekId(kek: Buffer): string {
  return createHmac('sha256', kek).update('wardline-hub kek id').digest('hex').slice(0, 16);
}

function unreadable(): StorageError {
  return new StorageError(
    'SECRET_UNREADABLE',
    "A protected secret in the hub database could not be decrypted with this hub's key. Start the hub with the key it was created with (--key-file or the OS keystore), or finish an interrupted key rotation with wardline-hub rotate-keys.",
  );
}

/** Seals and opens protected values with the current KEK; older KEKs may still open (rotation). */
export class SecretEnvelope {
  readonly #current: { id: string; key: Buffer } | null;
  readonly #byId: Map<string, Buffer>;

  private constructor(current: Buffer | null, others: readonly Buffer[]) {
    this.#current = current === null ? null : { id: kekId(current), key: Buffer.from(current) };
    this.#byId = new Map();
    for (const key of [...(current === null ? [] : [current]), ...others]) {
      if (key.length !== KEK_BYTES) throw new StorageError('INVALID_DATABASE_OPTIONS', 'A key-encryption key must be 32 bytes.');
      if (!this.#byId.has(kekId(key))) this.#byId.set(kekId(key), Buffer.from(key));
    }
  }

  /** Seals with `current`; values sealed under any of `others` still open (until re-wrapped). */
  static withKeys(current: Buffer, others: readonly Buffer[] = []): SecretEnvelope {
    return new SecretEnvelope(current, others);
  }

  /** A random KEK that dies with the process: only for a private in-memory database. */
  static ephemeral(): SecretEnvelope {
    return new SecretEnvelope(randomBytes(KEK_BYTES), []);
  }

  /** No KEK at all: any attempt to seal or open a protected value fails with a clear error. */
  static none(): SecretEnvelope {
    return new SecretEnvelope(null, []);
  }

  /** The id of the KEK new values are sealed under (null for `none`). */
  get currentKekId(): string | null {
    return this.#current?.id ?? null;
  }

  static isSealed(value: string): boolean {
    return value.startsWith(`${PREFIX}.`);
  }

  seal(plaintext: string, context: string): string {
    const current = this.#requireCurrent();
    const dataKey = randomBytes(32);
    try {
      const value = gcmSeal(dataKey, Buffer.from(plaintext, 'utf8'), Buffer.from(context, 'utf8'));
      const wrapped = gcmSeal(current.key, dataKey, Buffer.from(`${PREFIX}.${current.id}`, 'utf8'));
      return `${PREFIX}.${current.id}.${wrapped.toString('base64url')}.${value.toString('base64url')}`;
    } finally {
      dataKey.fill(0);
    }
  }

  open(sealed: string, context: string): string {
    const { id, dataKey, value } = this.#unwrap(sealed);
    void id;
    try {
      return gcmOpen(dataKey, value, Buffer.from(context, 'utf8')).toString('utf8');
    } catch {
      throw unreadable();
    } finally {
      dataKey.fill(0);
    }
  }

  /** True when `sealed` is not wrapped under the current KEK (a rotation must re-wrap it). */
  needsRewrap(sealed: string): boolean {
    return sealed.split('.')[1] !== this.#requireCurrent().id;
  }

  /** The same sealed value with its data key wrapped under the current KEK (the value is untouched). */
  rewrap(sealed: string): string {
    const current = this.#requireCurrent();
    const { dataKey, value } = this.#unwrap(sealed);
    try {
      const wrapped = gcmSeal(current.key, dataKey, Buffer.from(`${PREFIX}.${current.id}`, 'utf8'));
      return `${PREFIX}.${current.id}.${wrapped.toString('base64url')}.${value.toString('base64url')}`;
    } finally {
      dataKey.fill(0);
    }
  }

  #requireCurrent(): { id: string; key: Buffer } {
    if (this.#current === null) {
      throw new StorageError(
        'SECRET_KEY_MISSING',
        'The hub database was opened without its key-encryption key, so protected secrets cannot be read or stored. Start the hub with its key (--key-file or the OS keystore).',
      );
    }
    return this.#current;
  }

  #unwrap(sealed: string): { id: string; dataKey: Buffer; value: Buffer } {
    this.#requireCurrent();
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX) throw unreadable();
    const [, id, wrapped, value] = parts as [string, string, string, string];
    const kek = this.#byId.get(id);
    if (kek === undefined) throw unreadable();
    try {
      const dataKey = gcmOpen(kek, Buffer.from(wrapped, 'base64url'), Buffer.from(`${PREFIX}.${id}`, 'utf8'));
      return { id, dataKey, value: Buffer.from(value, 'base64url') };
    } catch {
      throw unreadable();
    }
  }
}
