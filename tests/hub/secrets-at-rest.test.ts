// Token-signing private keys and TOTP secrets are envelope-encrypted in the hub database on both
// engines: what a database dump shows is sealed, bound to its row, and opens only with the hub's
// key-encryption key; a key rotation re-wraps them so only the new key opens them, and sign-in with
// a second factor keeps working over TLS.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { addUser, currentTotpCode, rewrapProtectedSecrets, rotateSigningKey } from '../../server/identity/index.js';
import { databaseKeyOf, kekOf, newHubKey, openHubDatabase, rekeySqliteFile, SecretEnvelope } from '../../server/storage/index.js';
import { startHub } from '../support/hub-harness.js';

const PASSWORD = 'correct horse battery staple';

interface LoginAnswer {
  readonly refreshToken?: string;
  readonly offlineVerifier?: { readonly mfaRequired?: boolean; readonly totpSecret?: string };
}

describe.each(['sqlite', 'postgres'] as const)('protected secrets at rest (%s)', (engine) => {
  it('are sealed in the rows, open only with the hub key, and are re-wrapped by a rotation', async () => {
    const oldKey = newHubKey();
    const folder = await mkdtemp(join(tmpdir(), 'wardline-secrets-'));
    onTestFinished(() => rm(folder, { recursive: true, force: true }));
    const hub = await startHub({ engine, hubKey: oldKey, ...(engine === 'sqlite' ? { sqlitePath: join(folder, 'hub.sqlite') } : {}) });
    const added = await addUser(hub.db, { username: 'dr.sealed', password: PASSWORD, role: 'physician', wards: ['w1'], mfa: true });
    const totp = added.totpSecret!;
    const device = await hub.enrollDevice('w1');
    await device.login('dr.sealed', PASSWORD, currentTotpCode(totp, new Date()));

    const [user] = await hub.db.query<{ totp_secret: string }>('SELECT totp_secret FROM identity_users WHERE user_id = $1', [added.userId]);
    const keys = await hub.db.query<{ kid: string; private_jwk: string }>('SELECT kid, private_jwk FROM identity_signing_keys');
    expect(user!.totp_secret).toMatch(/^wlenv1\./);
    expect(user!.totp_secret).not.toContain(totp);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.private_jwk).toMatch(/^wlenv1\./);
    expect(keys[0]!.private_jwk).not.toContain('"d"');
    // Another key-encryption key (another hub's, or a guess) opens nothing.
    const stranger = SecretEnvelope.withKeys(kekOf(newHubKey()));
    expect(() => stranger.open(user!.totp_secret, `identity_users.totp_secret:${added.userId}`)).toThrow(/could not be decrypted/);
    await hub.stop();

    // Rotation (what wardline-hub rotate-keys does): the SQLite file re-encrypted under the new
    // key, the secrets re-wrapped under the new KEK, a new signing key, the old one retired.
    const newKey = newHubKey();
    if (engine === 'sqlite') rekeySqliteFile(hub.sqlitePath!, databaseKeyOf(oldKey), databaseKeyOf(newKey));
    const place = engine === 'postgres' ? { postgresUrl: hub.postgresUrl! } : { sqlitePath: hub.sqlitePath! };
    const rotating = await openHubDatabase({ ...place, hubKey: { current: newKey, others: [oldKey] } });
    expect(await rewrapProtectedSecrets(rotating)).toBe(2);
    await rotateSigningKey(rotating, new Date());
    const [rewrapped] = await rotating.query<{ totp_secret: string }>('SELECT totp_secret FROM identity_users WHERE user_id = $1', [
      added.userId,
    ]);
    await rotating.close();
    const context = `identity_users.totp_secret:${added.userId}`;
    expect(() => SecretEnvelope.withKeys(kekOf(oldKey)).open(rewrapped!.totp_secret, context)).toThrow(/could not be decrypted/);
    expect(SecretEnvelope.withKeys(kekOf(newKey)).open(rewrapped!.totp_secret, context)).toBe(totp);

    // A hub on the new key signs in with the second factor and signs with the new key.
    const after = await startHub({ engine, ...place, hubKey: newKey });
    try {
      const again = await after.enrollDevice('w1');
      await again.login('dr.sealed', PASSWORD, currentTotpCode(totp, new Date(Date.now() + 30_000)));
      const active = await after.db.query<{ kid: string }>(`SELECT kid FROM identity_signing_keys WHERE private_jwk <> ''`);
      expect(active).toHaveLength(1);
      expect(active[0]!.kid).not.toBe(keys[0]!.kid);
    } finally {
      await after.stop();
    }
  }, 120_000);

  it('hands the TOTP secret to an enrolled workstation only with a sign-in that passed its code, for offline sign-in', async () => {
    const hub = await startHub({ engine });
    try {
      const mfa = await addUser(hub.db, { username: 'dr.mfa', password: PASSWORD, role: 'physician', wards: ['w1'], mfa: true });
      await addUser(hub.db, { username: 'nurse.plain', password: PASSWORD, role: 'nurse', wards: ['w1'], mfa: false });
      const device = await hub.enrollDevice('w1');
      const login = async (body: object): Promise<{ status: number; json: LoginAnswer }> => {
        const response = await device.fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        return { status: response.status, json: (await response.json()) as LoginAnswer };
      };
      const withCode = await login({ username: 'dr.mfa', password: PASSWORD, totp: currentTotpCode(mfa.totpSecret!, new Date()) });
      expect(withCode.status).toBe(200);
      expect(withCode.json.offlineVerifier).toMatchObject({ mfaRequired: true, totpSecret: mfa.totpSecret });
      const withoutCode = await login({ username: 'dr.mfa', password: PASSWORD });
      expect(withoutCode.status).toBe(401);
      expect(JSON.stringify(withoutCode.json)).not.toContain(mfa.totpSecret!);
      const plain = await login({ username: 'nurse.plain', password: PASSWORD });
      expect(plain.status).toBe(200);
      expect(plain.json.offlineVerifier?.totpSecret).toBeUndefined();
      // A renewal (no code typed) does not carry it, and nothing reaches the hub's log.
      const refreshed = await device.fetch('/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: { refreshToken: withCode.json.refreshToken },
      });
      expect(refreshed.status).toBe(200);
      expect(((await refreshed.json()) as LoginAnswer).offlineVerifier?.totpSecret).toBeUndefined();
      // Without a device token there is no sign-in at all.
      expect((await hub.fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: {} })).status).toBe(
        401,
      );
      expect(hub.logs()).not.toContain(mfa.totpSecret!);
    } finally {
      await hub.stop();
    }
  });
});
