import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { identityMigrations } from './identity-migrations.js';
import {
  issueRefreshToken,
  revokeRefreshTokenFamily,
  revokeRefreshTokensOfDevice,
  SESSION_HOURS,
  spendRefreshToken,
} from './refresh-tokens.js';

let db: SqlDatabase;
const now = new Date('2026-03-02T08:00:00Z');
const grant = { userId: 'u-1', deviceId: 'dev-A', credentialStamp: 'stamp-1' };
beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  await runMigrations(db, identityMigrations);
});
afterEach(async () => db.close());

describe('user refresh tokens', () => {
  it("work once, on their own device, and the successor keeps the session's end", async () => {
    const first = await issueRefreshToken(db, grant, now);
    await expect(spendRefreshToken(db, first.token, 'dev-B', now)).rejects.toMatchObject({
      code: 'REFRESH_TOKEN_INVALID',
      message: expect.stringMatching(/another workstation/),
    });
    const spent = await spendRefreshToken(db, first.token, 'dev-A', now);
    expect(spent).toMatchObject({ ...grant, familyId: first.grant.familyId, expiresAt: now.getTime() + SESSION_HOURS * 3_600_000 });
    const second = await issueRefreshToken(db, { ...grant, familyId: spent.familyId, expiresAt: spent.expiresAt }, now);
    await expect(spendRefreshToken(db, second.token, 'dev-A', now)).resolves.toMatchObject({ expiresAt: spent.expiresAt });
  });

  it('revoke the whole sign-in when a rotated token is presented again (a stolen copy)', async () => {
    const first = await issueRefreshToken(db, grant, now);
    const spent = await spendRefreshToken(db, first.token, 'dev-A', now);
    const successor = await issueRefreshToken(db, { ...grant, familyId: spent.familyId, expiresAt: spent.expiresAt }, now);
    await expect(spendRefreshToken(db, first.token, 'dev-A', now)).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    await expect(spendRefreshToken(db, successor.token, 'dev-A', now)).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
  });

  it('stop at the end of the session, at sign-out and when the device is revoked', async () => {
    const a = await issueRefreshToken(db, grant, now);
    await expect(spendRefreshToken(db, a.token, 'dev-A', new Date(now.getTime() + SESSION_HOURS * 3_600_000))).rejects.toMatchObject({
      code: 'REFRESH_TOKEN_INVALID',
    });
    const b = await issueRefreshToken(db, grant, now);
    await revokeRefreshTokenFamily(db, b.token, 'dev-A', now);
    await expect(spendRefreshToken(db, b.token, 'dev-A', now)).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    const c = await issueRefreshToken(db, grant, now);
    await revokeRefreshTokensOfDevice(db, 'dev-A', now);
    await expect(spendRefreshToken(db, c.token, 'dev-A', now)).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
  });
});
