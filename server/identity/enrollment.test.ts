import { exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { exportDevicePrivateKey, generateDeviceKeyPair } from '../../shared/auth/index.js';
import { findDevice, listDevices } from './devices.js';
import { createEnrollmentToken, enrollDevice } from './enrollment.js';
import { identityMigrations } from './identity-migrations.js';
import { sha256Hex } from './secrets.js';

let db: SqlDatabase;
const now = new Date('2026-03-02T08:00:00Z');
beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  await runMigrations(db, identityMigrations);
});
afterEach(async () => db.close());

describe('device enrollment', () => {
  it("enrolls a workstation once per token, for the token's ward, and stores only the token's hash", async () => {
    const token = await createEnrollmentToken(db, { ward: '4east', now });
    expect(token).toMatch(/^wle_[A-Za-z0-9_-]{43}$/);
    const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM identity_enrollment_tokens');
    expect(stored).toEqual([{ token_hash: sha256Hex(token) }]);

    const { publicKeyJwk } = await generateDeviceKeyPair();
    const device = await enrollDevice(db, { enrollmentToken: token, publicKeyJwk, name: 'Nurses station 2' }, now);
    expect(device.ward).toBe('4east');
    expect(await findDevice(db, device.clientId)).toMatchObject({ ward: '4east', publicKeyJwk, revokedAt: null, name: 'Nurses station 2' });
    await expect(enrollDevice(db, { enrollmentToken: token, publicKeyJwk }, now)).rejects.toMatchObject({
      code: 'ENROLLMENT_TOKEN_INVALID',
    });
    expect(await listDevices(db)).toHaveLength(1);
  });

  it('issues tokens a command line reads as a value: none starts with "-", whatever its random part', async () => {
    // A bare base64url secret starts with "-" one time in 64; `wardline enroll --token -…` then fails.
    const tokens = await Promise.all(Array.from({ length: 300 }, () => createEnrollmentToken(db, { ward: '4east', now })));
    expect(tokens.filter((token) => !token.startsWith('wle_'))).toEqual([]);
    expect(new Set(tokens).size).toBe(300);
  });

  it('refuses a token after it expires and a token it never issued', async () => {
    const token = await createEnrollmentToken(db, { ward: '4east', ttlMinutes: 60, now });
    const { publicKeyJwk } = await generateDeviceKeyPair();
    await expect(enrollDevice(db, { enrollmentToken: token, publicKeyJwk }, new Date(now.getTime() + 61 * 60_000))).rejects.toMatchObject({
      code: 'ENROLLMENT_TOKEN_INVALID',
    });
    await expect(enrollDevice(db, { enrollmentToken: 'made-up-token', publicKeyJwk }, now)).rejects.toMatchObject({
      code: 'ENROLLMENT_TOKEN_INVALID',
    });
  });

  it('refuses a private key sent by mistake without spending the token', async () => {
    const token = await createEnrollmentToken(db, { ward: '4east', now });
    const { privateKey, publicKeyJwk } = await generateDeviceKeyPair();
    await expect(
      enrollDevice(db, { enrollmentToken: token, publicKeyJwk: { ...(await exportDevicePrivateKey(privateKey)) } }, now),
    ).rejects.toMatchObject({ code: 'PRIVATE_KEY_SENT', httpStatus: 400 });
    expect(await db.query('SELECT client_id FROM identity_devices')).toEqual([]);
    await expect(enrollDevice(db, { enrollmentToken: token, publicKeyJwk }, now)).resolves.toBeDefined();
  });

  it('refuses keys of another curve or type, and a point that is not on P-384', async () => {
    const token = await createEnrollmentToken(db, { ward: '4east', now });
    const p256 = await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey);
    const ed = await exportJWK((await generateKeyPair('EdDSA', { extractable: true })).publicKey);
    const rsa = await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey);
    for (const jwk of [p256, ed, rsa, { kty: 'oct', k: 'c2VjcmV0' }]) {
      await expect(enrollDevice(db, { enrollmentToken: token, publicKeyJwk: { ...jwk } }, now)).rejects.toMatchObject({
        code: 'PUBLIC_KEY_INVALID',
      });
    }
    const { publicKeyJwk } = await generateDeviceKeyPair();
    const offCurve = { ...publicKeyJwk, y: publicKeyJwk.x };
    await expect(enrollDevice(db, { enrollmentToken: token, publicKeyJwk: offCurve }, now)).rejects.toMatchObject({
      code: 'PUBLIC_KEY_INVALID',
    });
  });

  it('refuses to create a token for a malformed ward', async () => {
    await expect(createEnrollmentToken(db, { ward: '../etc' })).rejects.toMatchObject({ code: 'WARD_INVALID' });
  });
});
