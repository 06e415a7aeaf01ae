// Enrolled workstations: their ward, their registered public key (ES384), and whether IT revoked
// them. Revocation takes effect on the next request: the authenticate preHandler reads it here.
import { importJWK, type CryptoKey } from 'jose';
import type { SqlDatabase } from '../storage/index.js';
import { DEVICE_KEY_ALG, devicePublicJwkSchema, type DevicePublicJwk } from '../../shared/auth/index.js';
import { IdentityError } from './identity-error.js';
import { revokeRefreshTokensOfDevice } from './refresh-tokens.js';
import { toNumber, toNumberOrNull } from './sql-values.js';

export interface DeviceRecord {
  readonly clientId: string;
  readonly ward: string;
  readonly name: string | null;
  readonly publicKeyJwk: DevicePublicJwk;
  readonly enrolledAt: number;
  readonly revokedAt: number | null;
}

interface DeviceRow {
  client_id: string;
  ward: string;
  name: string | null;
  public_jwk: string;
  enrolled_at: unknown;
  revoked_at: unknown;
}

export async function findDevice(db: SqlDatabase, clientId: string): Promise<DeviceRecord | null> {
  const rows = await db.query<DeviceRow>(
    'SELECT client_id, ward, name, public_jwk, enrolled_at, revoked_at FROM identity_devices WHERE client_id = $1',
    [clientId],
  );
  return rows[0] === undefined ? null : toDeviceRecord(rows[0]);
}

export async function listDevices(db: SqlDatabase, filter: { ward?: string } = {}): Promise<DeviceRecord[]> {
  const rows =
    filter.ward === undefined
      ? await db.query<DeviceRow>(
          'SELECT client_id, ward, name, public_jwk, enrolled_at, revoked_at FROM identity_devices ORDER BY enrolled_at',
        )
      : await db.query<DeviceRow>(
          'SELECT client_id, ward, name, public_jwk, enrolled_at, revoked_at FROM identity_devices WHERE ward = $1 ORDER BY enrolled_at',
          [filter.ward],
        );
  return rows.map(toDeviceRecord);
}

/**
 * Ward and revocation of a device, and when it was last in contact (device-contact.ts): the one
 * indexed lookup the preHandler makes per request.
 */
export async function deviceStatus(
  db: SqlDatabase,
  clientId: string,
): Promise<{ ward: string; revoked: boolean; lastSeen: number | null } | null> {
  const rows = await db.query<{ ward: string; revoked_at: unknown; last_seen: unknown }>(
    'SELECT ward, revoked_at, last_seen FROM identity_devices WHERE client_id = $1',
    [clientId],
  );
  const row = rows[0];
  return row === undefined
    ? null
    : { ward: row.ward, revoked: toNumberOrNull(row.revoked_at) !== null, lastSeen: toNumberOrNull(row.last_seen) };
}

/**
 * Revokes a workstation: its next request is refused, even with an access token that has not
 * expired, and its users' refresh tokens stop working. Revoking twice is harmless.
 */
export async function revokeDevice(db: SqlDatabase, clientId: string, now: Date = new Date()): Promise<void> {
  const device = await findDevice(db, clientId);
  if (device === null) {
    throw new IdentityError(
      'DEVICE_UNKNOWN',
      `No workstation is enrolled with client id ${clientId}; check the id (wardline-hub device list).`,
      404,
    );
  }
  await db.execute('UPDATE identity_devices SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL', [now.getTime(), clientId]);
  await revokeRefreshTokensOfDevice(db, clientId, now);
}

/** The registered public key of an enrolled, unrevoked device; null otherwise. */
export async function devicePublicKey(db: SqlDatabase, clientId: string): Promise<CryptoKey | null> {
  const device = await findDevice(db, clientId);
  if (device === null || device.revokedAt !== null) return null;
  return importDevicePublicKey(device.publicKeyJwk);
}

export async function importDevicePublicKey(jwk: DevicePublicJwk): Promise<CryptoKey> {
  const key = await importJWK(jwk, DEVICE_KEY_ALG);
  if (key instanceof Uint8Array) throw new TypeError('A device key must be an EC key.');
  return key;
}

function toDeviceRecord(row: DeviceRow): DeviceRecord {
  return {
    clientId: row.client_id,
    ward: row.ward,
    name: row.name,
    publicKeyJwk: devicePublicJwkSchema.parse(JSON.parse(row.public_jwk)),
    enrolledAt: toNumber(row.enrolled_at),
    revokedAt: toNumberOrNull(row.revoked_at),
  };
}
