// User refresh tokens: opaque, stored hashed, bound to the device they were issued to, rotated at
// every use. A family (one sign-in) lives at most SESSION_HOURS; reusing an already-rotated token
// revokes the whole family (it was copied), so neither copy works any more.
import type { SqlDatabase } from '../storage/index.js';
import { IdentityError } from './identity-error.js';
import { newId, randomSecret, sha256Hex } from './secrets.js';
import { toNumber, toNumberOrNull } from './sql-values.js';

/** The hub-side absolute session limit (the workstation default is 12 h too). */
export const SESSION_HOURS = 12;

export interface RefreshGrant {
  readonly userId: string;
  readonly deviceId: string;
  readonly familyId: string;
  readonly credentialStamp: string;
  /** Epoch ms when the family (the sign-in) ends. */
  readonly expiresAt: number;
}

export async function issueRefreshToken(
  db: SqlDatabase,
  grant: Omit<RefreshGrant, 'familyId' | 'expiresAt'> & { familyId?: string; expiresAt?: number },
  now: Date,
): Promise<{ token: string; grant: RefreshGrant }> {
  const token = randomSecret();
  const full: RefreshGrant = {
    ...grant,
    familyId: grant.familyId ?? newId(),
    expiresAt: grant.expiresAt ?? now.getTime() + SESSION_HOURS * 3_600_000,
  };
  await db.execute(
    `INSERT INTO identity_refresh_tokens (token_hash, family_id, user_id, device_id, credential_stamp, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [sha256Hex(token), full.familyId, full.userId, full.deviceId, full.credentialStamp, now.getTime(), full.expiresAt],
  );
  return { token, grant: full };
}

interface RefreshRow {
  family_id: string;
  user_id: string;
  device_id: string;
  credential_stamp: string;
  expires_at: unknown;
  used_at: unknown;
  revoked_at: unknown;
}

/**
 * Spends `token` for `deviceId`: the grant it carried, for issuing its successor. Refused when the
 * token is unknown, expired, revoked, already used (the family is then revoked) or another device's.
 */
export async function spendRefreshToken(db: SqlDatabase, token: string, deviceId: string, now: Date): Promise<RefreshGrant> {
  const hash = sha256Hex(token);
  const rows = await db.query<RefreshRow>(
    'SELECT family_id, user_id, device_id, credential_stamp, expires_at, used_at, revoked_at FROM identity_refresh_tokens WHERE token_hash = $1',
    [hash],
  );
  const row = rows[0];
  if (row === undefined || toNumberOrNull(row.revoked_at) !== null) throw signInAgain();
  if (row.device_id !== deviceId) {
    throw new IdentityError('REFRESH_TOKEN_INVALID', 'This sign-in belongs to another workstation. Sign in again here.');
  }
  const expiresAt = toNumber(row.expires_at);
  if (expiresAt <= now.getTime()) throw signInAgain();
  if (toNumberOrNull(row.used_at) !== null) {
    await revokeFamily(db, row.family_id, now);
    throw signInAgain();
  }
  const spent = await db.execute(
    'UPDATE identity_refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND revoked_at IS NULL',
    [now.getTime(), hash],
  );
  if (spent.changes === 0) {
    // Spent concurrently by someone else holding the same token.
    await revokeFamily(db, row.family_id, now);
    throw signInAgain();
  }
  return { userId: row.user_id, deviceId: row.device_id, familyId: row.family_id, credentialStamp: row.credential_stamp, expiresAt };
}

/** Ends the sign-in `token` belongs to (sign-out). Unknown tokens and other devices' are ignored. */
export async function revokeRefreshTokenFamily(db: SqlDatabase, token: string, deviceId: string, now: Date): Promise<void> {
  const rows = await db.query<{ family_id: string; device_id: string }>(
    'SELECT family_id, device_id FROM identity_refresh_tokens WHERE token_hash = $1',
    [sha256Hex(token)],
  );
  const row = rows[0];
  if (row !== undefined && row.device_id === deviceId) await revokeFamily(db, row.family_id, now);
}

export async function revokeRefreshTokensOfDevice(db: SqlDatabase, deviceId: string, now: Date): Promise<void> {
  await db.execute('UPDATE identity_refresh_tokens SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL', [
    now.getTime(),
    deviceId,
  ]);
}

async function revokeFamily(db: SqlDatabase, familyId: string, now: Date): Promise<void> {
  await db.execute('UPDATE identity_refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL', [
    now.getTime(),
    familyId,
  ]);
}

function signInAgain(): IdentityError {
  return new IdentityError('REFRESH_TOKEN_INVALID', 'This sign-in has ended or was used elsewhere. Sign in again.');
}
