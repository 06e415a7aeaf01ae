// The hub's own signing keys for the tokens it issues (ES256), kept in the hub database so every
// hub process signs and verifies with the same keys. The first process to start creates one; a
// token names its key by `kid`, and an unknown kid reloads the table (at most once a second).
//
// The private half is envelope-encrypted (db.secrets, bound to its kid); the public half is not
// secret. `rotateSigningKey` adds a new key and retires the others: their private halves are
// destroyed, their public halves stay so the tokens they signed verify until they expire.
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { SqlDatabase } from '../storage/index.js';
import { newId } from './secrets.js';
import { toNumber, toNumberOrNull } from './sql-values.js';

export const HUB_TOKEN_ALG = 'ES256';

interface KeyRow {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: unknown;
  retired_at: unknown;
}

/** Where a signing key's private half is stored: bound into its envelope. */
export function signingKeyContext(kid: string): string {
  return `identity_signing_keys.private_jwk:${kid}`;
}

async function insertNewKey(db: SqlDatabase, now: Date): Promise<string> {
  const kid = newId();
  const { privateKey, publicKey } = await generateKeyPair(HUB_TOKEN_ALG, { extractable: true });
  await db.execute(
    'INSERT INTO identity_signing_keys (kid, alg, private_jwk, public_jwk, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
    [
      kid,
      HUB_TOKEN_ALG,
      db.secrets.seal(JSON.stringify(await exportJWK(privateKey)), signingKeyContext(kid)),
      JSON.stringify(await exportJWK(publicKey)),
      now.getTime(),
    ],
  );
  return kid;
}

/**
 * Adds a new signing key and retires every older one (private half erased, public half kept).
 * Hub processes that start afterwards sign with the new key; tokens already issued stay valid.
 */
export async function rotateSigningKey(db: SqlDatabase, now: Date): Promise<string> {
  return db.transaction(async (tx) => {
    const kid = await insertNewKey(tx, now);
    await tx.execute(`UPDATE identity_signing_keys SET private_jwk = '', retired_at = $1 WHERE kid <> $2 AND retired_at IS NULL`, [
      now.getTime(),
      kid,
    ]);
    return kid;
  });
}

export class HubTokenKeys {
  private readonly publicKeys = new Map<string, CryptoKey>();
  private lastReload: number | undefined;

  private constructor(
    private readonly db: SqlDatabase,
    readonly signing: { readonly kid: string; readonly privateKey: CryptoKey },
  ) {}

  /** Loads the newest active key, creating the first one when there is none. */
  static async open(db: SqlDatabase, now: Date): Promise<HubTokenKeys> {
    let rows = await loadRows(db);
    if (!rows.some(isActive)) {
      await insertNewKey(db, now);
      rows = await loadRows(db);
    }
    const newest = rows.find(isActive);
    if (newest === undefined) throw new Error('The hub could not store its token-signing key.');
    const privateJwk = JSON.parse(db.secrets.open(newest.private_jwk, signingKeyContext(newest.kid))) as JWK;
    const keys = new HubTokenKeys(db, { kid: newest.kid, privateKey: await importKey(privateJwk) });
    await keys.remember(rows);
    return keys;
  }

  /** The public key named `kid`, or undefined when no hub process ever made it. */
  async publicKey(kid: string): Promise<CryptoKey | undefined> {
    const known = this.publicKeys.get(kid);
    const nowMs = performance.now();
    if (known !== undefined || (this.lastReload !== undefined && nowMs - this.lastReload < 1000)) return known;
    this.lastReload = nowMs;
    await this.remember(await loadRows(this.db));
    return this.publicKeys.get(kid);
  }

  private async remember(rows: readonly KeyRow[]): Promise<void> {
    for (const row of rows) {
      if (!this.publicKeys.has(row.kid)) this.publicKeys.set(row.kid, await importKey(JSON.parse(row.public_jwk) as JWK));
    }
  }
}

function isActive(row: KeyRow): boolean {
  return toNumberOrNull(row.retired_at) === null && row.private_jwk !== '';
}

async function loadRows(db: SqlDatabase): Promise<KeyRow[]> {
  const rows = await db.query<KeyRow>('SELECT kid, private_jwk, public_jwk, created_at, retired_at FROM identity_signing_keys');
  return rows.sort((a, b) => toNumber(b.created_at) - toNumber(a.created_at) || a.kid.localeCompare(b.kid));
}

async function importKey(jwk: JWK): Promise<CryptoKey> {
  const key = await importJWK(jwk, HUB_TOKEN_ALG);
  if (key instanceof Uint8Array) throw new TypeError('The hub token key must be an EC key.');
  return key;
}
