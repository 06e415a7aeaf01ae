import { SignJWT, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { HubTokenKeys } from './hub-token-keys.js';
import { DEVICE_TOKEN_SECONDS, HubTokens, USER_TOKEN_SECONDS } from './hub-tokens.js';
import { identityMigrations } from './identity-migrations.js';

const hubUrl = () => 'https://hub.test:8443';
const FULL = { read: true, write: true };
let db: SqlDatabase;
let now: Date;
beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  await runMigrations(db, identityMigrations);
  now = new Date('2026-03-02T08:00:00Z');
});
afterEach(async () => db.close());

describe('hub-issued tokens', () => {
  it("are signed with a key kept in the database, so a second hub process accepts the first one's tokens", async () => {
    const first = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    const second = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    const { token, expiresIn } = await first.issueDeviceToken({ deviceId: 'dev-1', ward: '4east', scope: FULL }, now);
    expect(expiresIn).toBe(DEVICE_TOKEN_SECONDS);
    await expect(second.verifyDeviceToken(token, now)).resolves.toEqual({ deviceId: 'dev-1', ward: '4east', scope: FULL });
    expect(await db.query('SELECT kid FROM identity_signing_keys')).toHaveLength(1);
    expect(decodeProtectedHeader(token).alg).toBe('ES256');
  });

  it('are accepted when another hub process signs with a key created after this one started', async () => {
    const first = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    await db.execute('INSERT INTO identity_signing_keys (kid, alg, private_jwk, public_jwk, created_at) VALUES ($1, $2, $3, $4, $5)', [
      'later-key',
      'ES256',
      JSON.stringify(await exportJWK(privateKey)),
      JSON.stringify(await exportJWK(publicKey)),
      now.getTime() + 1,
    ]);
    const second = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    const { token } = await second.issueDeviceToken({ deviceId: 'dev-1', ward: '4east', scope: FULL }, now);
    expect(decodeProtectedHeader(token).kid).toBe('later-key');
    await expect(first.verifyDeviceToken(token, now)).resolves.toEqual({ deviceId: 'dev-1', ward: '4east', scope: FULL });
  });

  it('live at most 5 minutes for a device and 10 for a user, and are refused once expired', async () => {
    const tokens = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    const device = await tokens.issueDeviceToken({ deviceId: 'dev-1', ward: '4east', scope: FULL }, now);
    const user = await tokens.issueUserToken({ userId: 'u-1', deviceId: 'dev-1', credentialStamp: 's' }, now);
    expect(user.expiresIn).toBe(USER_TOKEN_SECONDS);
    expect(USER_TOKEN_SECONDS).toBeLessThanOrEqual(15 * 60);
    await tokens.verifyDeviceToken(device.token, now);
    const later = new Date(now.getTime() + (DEVICE_TOKEN_SECONDS + 1) * 1000);
    await expect(tokens.verifyDeviceToken(device.token, later)).rejects.toMatchObject({ code: 'DEVICE_TOKEN_EXPIRED' });
    const fresh = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    await expect(fresh.verifyDeviceToken(device.token, later)).rejects.toMatchObject({ code: 'DEVICE_TOKEN_EXPIRED' });
    await expect(fresh.verifyUserToken(user.token, new Date(now.getTime() + (USER_TOKEN_SECONDS + 1) * 1000))).rejects.toMatchObject({
      code: 'USER_TOKEN_EXPIRED',
    });
  });

  it('never take a user token for a device token or the other way round', async () => {
    const tokens = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    const device = await tokens.issueDeviceToken({ deviceId: 'dev-1', ward: '4east', scope: FULL }, now);
    const user = await tokens.issueUserToken({ userId: 'u-1', deviceId: 'dev-1', credentialStamp: 's' }, now);
    await expect(tokens.verifyDeviceToken(user.token, now)).rejects.toMatchObject({ code: 'DEVICE_TOKEN_INVALID' });
    await expect(tokens.verifyUserToken(device.token, now)).rejects.toMatchObject({ code: 'USER_TOKEN_INVALID' });
  });

  it('refuse a token another hub (another key) signed with the same claims, and one for another hub URL', async () => {
    const tokens = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    const stranger = (await generateKeyPair('ES256')).privateKey;
    const kid = decodeProtectedHeader((await tokens.issueDeviceToken({ deviceId: 'd', ward: 'w', scope: FULL }, now)).token).kid!;
    const forged = await new SignJWT({ ward: '4east' })
      .setProtectedHeader({ alg: 'ES256', typ: 'wardline-device+jwt', kid })
      .setIssuer(hubUrl())
      .setAudience(hubUrl())
      .setSubject('dev-1')
      .setIssuedAt(now)
      .setExpirationTime(new Date(now.getTime() + 60_000))
      .sign(stranger);
    await expect(tokens.verifyDeviceToken(forged, now)).rejects.toMatchObject({ code: 'DEVICE_TOKEN_INVALID' });
    const elsewhere = new HubTokens(await HubTokenKeys.open(db, now), () => 'https://other-hub.test');
    const foreign = await elsewhere.issueDeviceToken({ deviceId: 'dev-1', ward: '4east', scope: FULL }, now);
    await expect(tokens.verifyDeviceToken(foreign.token, now)).rejects.toMatchObject({ code: 'DEVICE_TOKEN_INVALID' });
  });
});
