import { SignJWT, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { HubTokenKeys, rotateSigningKey, signingKeyContext } from './hub-token-keys.js';
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
      db.secrets.seal(JSON.stringify(await exportJWK(privateKey)), signingKeyContext('later-key')),
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

  it('keep the private signing key envelope-encrypted in the database, bound to its kid', async () => {
    const tokens = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    const token = (await tokens.issueDeviceToken({ deviceId: 'dev-1', ward: '4east', scope: FULL }, now)).token;
    const [row] = await db.query<{ kid: string; private_jwk: string }>('SELECT kid, private_jwk FROM identity_signing_keys');
    expect(row!.private_jwk).toMatch(/^wlenv1\./);
    expect(row!.private_jwk).not.toContain('"d"');
    const jwk = JSON.parse(db.secrets.open(row!.private_jwk, signingKeyContext(row!.kid))) as { d: string };
    expect(row!.private_jwk).not.toContain(jwk.d);
    // Moved to another row, the sealed key does not open.
    expect(() => db.secrets.open(row!.private_jwk, signingKeyContext('another-kid'))).toThrow(/could not be decrypted/);
    expect(decodeProtectedHeader(token).kid).toBe(row!.kid);
  });

  it('after a rotation are signed with the new key, while tokens of the retired key stay valid until they expire', async () => {
    const before = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    const old = await before.issueUserToken({ userId: 'u-1', deviceId: 'dev-1', credentialStamp: 's' }, now);
    const newKid = await rotateSigningKey(db, now);
    const after = new HubTokens(await HubTokenKeys.open(db, now), hubUrl);
    const fresh = await after.issueUserToken({ userId: 'u-1', deviceId: 'dev-1', credentialStamp: 's' }, now);
    expect(decodeProtectedHeader(fresh.token).kid).toBe(newKid);
    expect(decodeProtectedHeader(old.token).kid).not.toBe(newKid);
    await expect(after.verifyUserToken(old.token, now)).resolves.toMatchObject({ userId: 'u-1' });
    await expect(before.verifyUserToken(fresh.token, now)).resolves.toMatchObject({ userId: 'u-1' });
    // The retired key's private half is gone; its tokens end at their own expiry.
    const retired = await db.query<{ private_jwk: string }>('SELECT private_jwk FROM identity_signing_keys WHERE kid <> $1', [newKid]);
    expect(retired).toEqual([{ private_jwk: '' }]);
    const later = new Date(now.getTime() + (USER_TOKEN_SECONDS + 1) * 1000);
    await expect(after.verifyUserToken(old.token, later)).rejects.toMatchObject({ code: 'USER_TOKEN_EXPIRED' });
  });
});
