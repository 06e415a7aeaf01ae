import { base64url, exportSPKI, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresDatabase, openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { startTestPostgres, type TestPostgres } from '../../tests/support/postgres.js';
import { createClientAssertion, generateDeviceKeyPair, type DeviceKeyPair } from '../../shared/auth/index.js';
import { verifyClientAssertion } from './client-assertion-verifier.js';
import { revokeDevice } from './devices.js';
import { createEnrollmentToken, enrollDevice } from './enrollment.js';
import { identityMigrations } from './identity-migrations.js';

const tokenUrl = 'https://hub.test:8443/auth/token';
let db: SqlDatabase;
let now: Date;
let keys: DeviceKeyPair;
let clientId: string;

let postgres: TestPostgres | undefined;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: clientId,
    sub: clientId,
    aud: tokenUrl,
    iat: seconds(now),
    exp: seconds(now) + 240,
    jti: crypto.randomUUID(),
    ...overrides,
  };
}

async function signed(payload: JWTPayload, key: CryptoKey = keys.privateKey): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES384', typ: 'JWT' }).sign(key);
}

const verify = (assertion: string) => verifyClientAssertion(db, assertion, { tokenUrl, now });

describe.each(['sqlite', 'postgres'] as const)('client assertions (private_key_jwt) (%s)', (engine) => {
  beforeEach(async () => {
    db = engine === 'sqlite' ? openSqliteDatabase(':memory:') : await openPostgresDatabase(await postgres!.createDatabase());
    await runMigrations(db, identityMigrations);
    now = new Date('2026-03-02T08:00:00Z');
    keys = await generateDeviceKeyPair();
    const enrollmentToken = await createEnrollmentToken(db, { ward: '4east', now });
    ({ clientId } = await enrollDevice(db, { enrollmentToken, publicKeyJwk: keys.publicKeyJwk }, now));
  });
  afterEach(async () => db.close());

  it('accepts an assertion from shared/auth and names the device and its ward', async () => {
    const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl, now });
    await expect(verify(assertion)).resolves.toMatchObject({ clientId, ward: '4east' });
  });

  it('refuses a replayed assertion (same jti), remembered in the database rather than in the process', async () => {
    const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl, now });
    await verify(assertion);
    await expect(verify(assertion)).rejects.toMatchObject({
      code: 'CLIENT_ASSERTION_INVALID',
      message: expect.stringMatching(/already used/),
    });
    const sameJti = await signed(claims({ jti: 'fixed-id' }));
    await verify(sameJti);
    await expect(verify(await signed(claims({ jti: 'fixed-id', iat: seconds(now) + 1 })))).rejects.toMatchObject({
      code: 'CLIENT_ASSERTION_INVALID',
    });
  });

  it('refuses an assertion signed by another key than the one registered', async () => {
    const other = await generateDeviceKeyPair();
    await expect(verify(await signed(claims(), other.privateKey))).rejects.toMatchObject({
      code: 'CLIENT_ASSERTION_INVALID',
      message: expect.stringMatching(/signature/),
    });
  });

  it('refuses an unsigned assertion (alg none)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const body = base64url.encode(JSON.stringify(claims()));
    await expect(verify(`${header}.${body}.`)).rejects.toMatchObject({ code: 'CLIENT_ASSERTION_INVALID' });
  });

  it('refuses an HS256 assertion keyed with the device public key (algorithm confusion)', async () => {
    const publicKey = await importJWK(keys.publicKeyJwk, 'ES384');
    const pem = await exportSPKI(publicKey as CryptoKey);
    for (const secret of [new TextEncoder().encode(pem), new TextEncoder().encode(JSON.stringify(keys.publicKeyJwk))]) {
      const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(secret);
      await expect(verify(forged)).rejects.toMatchObject({ code: 'CLIENT_ASSERTION_INVALID', message: expect.stringMatching(/ES384/) });
    }
  });

  it('refuses a wrong audience, a wrong issuer or subject, and a missing jti', async () => {
    await expect(verify(await signed(claims({ aud: 'https://hub.test:8443/fhir' })))).rejects.toMatchObject({
      message: expect.stringMatching(/"aud"/),
    });
    await expect(verify(await signed(claims({ sub: 'someone-else' })))).rejects.toMatchObject({ message: expect.stringMatching(/"sub"/) });
    await expect(verify(await signed(claims({ iss: 'someone-else' })))).rejects.toMatchObject({ code: 'CLIENT_ASSERTION_INVALID' });
    const { jti: _jti, ...withoutJti } = claims();
    await expect(verify(await signed(withoutJti))).rejects.toMatchObject({ code: 'CLIENT_ASSERTION_INVALID' });
  });

  it('refuses an expired assertion, one valid too far ahead, and one issued in the future', async () => {
    await expect(verify(await signed(claims({ iat: seconds(now) - 900, exp: seconds(now) - 600 })))).rejects.toMatchObject({
      message: expect.stringMatching(/expired/),
    });
    await expect(verify(await signed(claims({ exp: seconds(now) + 600 })))).rejects.toMatchObject({
      message: expect.stringMatching(/more than 300 seconds/),
    });
    await expect(verify(await signed(claims({ iat: seconds(now) + 600, exp: seconds(now) + 200 })))).rejects.toMatchObject({
      message: expect.stringMatching(/iat/),
    });
  });

  it('refuses a revoked device outright, with a message for IT', async () => {
    await revokeDevice(db, clientId, now);
    await expect(verify(await signed(claims()))).rejects.toMatchObject({ code: 'DEVICE_REVOKED' });
  });
});
