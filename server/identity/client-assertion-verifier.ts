// Checks a SMART Backend Services client assertion (private_key_jwt): ES384 only, signed by the
// registered key of an enrolled, unrevoked device; iss = sub = its client id; aud = the token URL;
// not expired, exp at most 5 minutes ahead, iat not in the future nor older than the assertion's
// longest life; and a jti never seen before. Seen jtis are stored in the database with their expiry
// (primary key client_id + jti), so every hub process refuses a replay.
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { SqlDatabase } from '../storage/index.js';
import { clientAssertionClaimsSchema, DEVICE_KEY_ALG, MAX_CLIENT_ASSERTION_LIFETIME_SECONDS } from '../../shared/auth/index.js';
import { findDevice, importDevicePublicKey, type DeviceRecord } from './devices.js';
import { IdentityError } from './identity-error.js';

/** Tolerated difference between the workstation's clock and the hub's, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

export async function verifyClientAssertion(
  db: SqlDatabase,
  assertion: string,
  expected: { tokenUrl: string; now: Date },
): Promise<DeviceRecord> {
  let alg: unknown;
  let issuer: string;
  try {
    alg = decodeProtectedHeader(assertion).alg;
    issuer = clientAssertionClaimsSchema.parse(decodeJwt(assertion)).iss;
  } catch {
    throw refused('The client assertion is not a well-formed JWT with iss, sub, aud, exp and jti.');
  }
  if (alg !== DEVICE_KEY_ALG) throw refused(`The client assertion must be signed with ${DEVICE_KEY_ALG}.`);
  const device = await findDevice(db, issuer);
  if (device === null) throw refused('No workstation is enrolled with this client id. Enroll it again.');
  if (device.revokedAt !== null) {
    throw new IdentityError('DEVICE_REVOKED', "This workstation's enrollment was revoked by IT. Ask IT to enroll it again.");
  }
  let claims;
  try {
    const { payload } = await jwtVerify(assertion, await importDevicePublicKey(device.publicKeyJwk), {
      algorithms: [DEVICE_KEY_ALG],
      issuer: device.clientId,
      subject: device.clientId,
      audience: expected.tokenUrl,
      currentDate: expected.now,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'jti'],
    });
    claims = clientAssertionClaimsSchema.parse(payload);
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw refused('The client assertion has expired. Check the workstation clock.');
    if (error instanceof errors.JWTClaimValidationFailed)
      throw refused(
        `The client assertion's "${error.claim}" claim is wrong (aud must be ${expected.tokenUrl}; iss and sub the client id).`,
      );
    throw refused("The client assertion's signature does not match the key this workstation registered.");
  }
  const nowSeconds = expected.now.getTime() / 1000;
  if (claims.exp - nowSeconds > MAX_CLIENT_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    throw refused(`The client assertion expires more than ${MAX_CLIENT_ASSERTION_LIFETIME_SECONDS} seconds ahead.`);
  }
  if (
    claims.iat !== undefined &&
    (claims.iat > nowSeconds + CLOCK_SKEW_SECONDS || claims.iat < nowSeconds - MAX_CLIENT_ASSERTION_LIFETIME_SECONDS - CLOCK_SKEW_SECONDS)
  ) {
    throw refused("The client assertion's issue time (iat) is not plausible. Check the workstation clock.");
  }
  const fresh = await db.execute(
    'INSERT INTO identity_assertion_jtis (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [device.clientId, claims.jti, Math.ceil((claims.exp + CLOCK_SKEW_SECONDS) * 1000)],
  );
  if (fresh.changes === 0) throw refused('This client assertion was already used (same jti). Sign a new one for each token request.');
  return device;
}

function refused(message: string): IdentityError {
  return new IdentityError('CLIENT_ASSERTION_INVALID', message);
}
