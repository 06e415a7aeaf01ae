// Enrolling a workstation: IT creates a one-time enrollment token for a ward (256 random bits,
// stored only as its SHA-256, valid 24 h by default); the workstation spends it once to register
// its ES384 public key and receives its client id.
import type { SqlDatabase } from '../storage/index.js';
import { devicePublicJwkSchema, type DevicePublicJwk } from '../../shared/auth/index.js';
import { isWardCode, WARD_CODE_RULE } from '../../shared/fhir/index.js';
import { importDevicePublicKey } from './devices.js';
import { IdentityError } from './identity-error.js';
import { newId, randomSecret, sha256Hex } from './secrets.js';

export const DEFAULT_ENROLLMENT_TTL_MINUTES = 24 * 60;

/**
 * Every enrollment token starts with this. IT pastes the token after `--token` on a command line,
 * and a bare base64url secret starts with "-" one time in 64, which a command line reads as an
 * option; the prefix also makes a leaked token recognisable to secret scanners.
 */
export const ENROLLMENT_TOKEN_PREFIX = 'wle_';

export async function createEnrollmentToken(db: SqlDatabase, options: { ward: string; ttlMinutes?: number; now?: Date }): Promise<string> {
  if (!isWardCode(options.ward)) {
    throw new IdentityError('WARD_INVALID', WARD_CODE_RULE, 400);
  }
  const ttlMinutes = options.ttlMinutes ?? DEFAULT_ENROLLMENT_TTL_MINUTES;
  if (!(Number.isFinite(ttlMinutes) && ttlMinutes > 0 && ttlMinutes <= 30 * 24 * 60)) {
    throw new IdentityError('INVALID_REQUEST', 'An enrollment token lives between 1 minute and 30 days.', 400);
  }
  const now = (options.now ?? new Date()).getTime();
  const token = `${ENROLLMENT_TOKEN_PREFIX}${randomSecret()}`;
  await db.execute('INSERT INTO identity_enrollment_tokens (token_hash, ward, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    sha256Hex(token),
    options.ward,
    now,
    now + Math.round(ttlMinutes * 60_000),
  ]);
  return token;
}

export interface EnrollmentRequest {
  readonly enrollmentToken: string;
  readonly publicKeyJwk: Readonly<Record<string, unknown>>;
  readonly name?: string;
}

/** Registers the device: spends the token (once, before it expires) and stores the public key. */
export async function enrollDevice(db: SqlDatabase, request: EnrollmentRequest, now: Date): Promise<{ clientId: string; ward: string }> {
  const publicKeyJwk = await checkedPublicKey(request.publicKeyJwk);
  const tokenHash = sha256Hex(request.enrollmentToken);
  const clientId = newId();
  const spent = await db.execute(
    'UPDATE identity_enrollment_tokens SET used_at = $1, device_id = $2 WHERE token_hash = $3 AND used_at IS NULL AND expires_at > $1',
    [now.getTime(), clientId, tokenHash],
  );
  if (spent.changes === 0) {
    throw new IdentityError(
      'ENROLLMENT_TOKEN_INVALID',
      'This enrollment token is unknown, already used or expired. Ask IT for a new one (wardline-hub token --ward WARD).',
    );
  }
  const rows = await db.query<{ ward: string }>('SELECT ward FROM identity_enrollment_tokens WHERE token_hash = $1', [tokenHash]);
  const ward = rows[0]?.ward;
  if (ward === undefined) throw new Error('The enrollment token vanished while it was being used.');
  await db.execute(
    'INSERT INTO identity_devices (client_id, ward, public_jwk, name, enrolled_at, last_seen) VALUES ($1, $2, $3, $4, $5, $5)',
    [clientId, ward, JSON.stringify(publicKeyJwk), request.name ?? null, now.getTime()],
  );
  return { clientId, ward };
}

/** Only an EC P-384 public key is accepted; a private key sent by mistake is refused, not stored. */
async function checkedPublicKey(jwk: Readonly<Record<string, unknown>>): Promise<DevicePublicJwk> {
  if ('d' in jwk) {
    throw new IdentityError(
      'PRIVATE_KEY_SENT',
      'The key sent is a private key. Send only the public key; this key pair has left the workstation, so generate a new one.',
      400,
    );
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-384') {
    throw new IdentityError('PUBLIC_KEY_INVALID', 'The workstation key must be an EC P-384 public key (ES384).', 400);
  }
  const parsed = devicePublicJwkSchema.safeParse(jwk);
  if (!parsed.success)
    throw new IdentityError('PUBLIC_KEY_INVALID', 'The EC P-384 public key is malformed (x and y must be 48-byte base64url values).', 400);
  try {
    await importDevicePublicKey(parsed.data);
  } catch {
    throw new IdentityError('PUBLIC_KEY_INVALID', 'The EC P-384 public key is not a point on the curve.', 400);
  }
  return parsed.data;
}
