// The hub's own signing keys for the tokens it issues (ES256), kept in the hub database so every
// hub process signs and verifies with the same keys. The first process to start creates one; a
// token names its key by `kid`, and an unknown kid reloads the table (at most once a second).
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { SqlDatabase } from '../storage/index.js';
import { newId } from './secrets.js';
import { toNumber } from './sql-values.js';

export const HUB_TOKEN_ALG = 'ES256';

interface KeyRow {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: unknown;
}

export class HubTokenKeys {
  private readonly publicKeys = new Map<string, CryptoKey>();
  private lastReload: number | undefined;

  private constructor(
    private readonly db: SqlDatabase,
    readonly signing: { readonly kid: string; readonly privateKey: CryptoKey },
  ) {}

  /** Loads the newest key, creating the first one when the table is empty. */
  static async open(db: SqlDatabase, now: Date): Promise<HubTokenKeys> {
    let rows = await loadRows(db);
    if (rows.length === 0) {
      const { privateKey, publicKey } = await generateKeyPair(HUB_TOKEN_ALG, { extractable: true });
      await db.execute(
        'INSERT INTO identity_signing_keys (kid, alg, private_jwk, public_jwk, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [newId(), HUB_TOKEN_ALG, JSON.stringify(await exportJWK(privateKey)), JSON.stringify(await exportJWK(publicKey)), now.getTime()],
      );
      rows = await loadRows(db);
    }
    const newest = rows[0];
    if (newest === undefined) throw new Error('The hub could not store its token-signing key.');
    const keys = new HubTokenKeys(db, { kid: newest.kid, privateKey: await importKey(JSON.parse(newest.private_jwk) as JWK) });
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

async function loadRows(db: SqlDatabase): Promise<KeyRow[]> {
  const rows = await db.query<KeyRow>('SELECT kid, private_jwk, public_jwk, created_at FROM identity_signing_keys');
  return rows.sort((a, b) => toNumber(b.created_at) - toNumber(a.created_at) || a.kid.localeCompare(b.kid));
}

async function importKey(jwk: JWK): Promise<CryptoKey> {
  const key = await importJWK(jwk, HUB_TOKEN_ALG);
  if (key instanceof Uint8Array) throw new TypeError('The hub token key must be an EC key.');
  return key;
}
