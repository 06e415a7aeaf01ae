// Offline sign-in at a real workstation host enrolled at a real hub over TLS, as an attacker at the
// keyboard would try it: "Sign in offline" while the hub is up; an MFA account's password alone
// offline; and a user revoked or locked at the hub while signed in offline, after the workstation
// reconnects.
import { authenticator } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOTP_STEP_SECONDS } from '../../shared/auth/index.js';
import { addUser, currentTotpCode, disableUser, MAX_FAILED_LOGINS } from '../../server/identity/index.js';
import { TEST_WARD } from '../../electron/session/test-helpers.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

const MIRA_PASSWORD = 'mira correct horse battery';
let t: EnrolledTestHost;
let miraSecret: string;

beforeEach(async () => {
  t = await startEnrolledTestHost({ seed: 'offline-sign-in' });
  const added = await addUser(t.hub.db, { username: 'mira', password: MIRA_PASSWORD, role: 'physician', wards: [TEST_WARD], mfa: true });
  miraSecret = added.totpSecret!;
});
afterEach(async () => {
  await t.close();
});

async function refusalOf(channel: string, request: unknown): Promise<string> {
  return t.call(channel, request).then(
    () => 'accepted',
    (error: unknown) => String((error as { code?: unknown }).code),
  );
}

const hubDown = (): void => t.proxy.setFaults({ drop: 1 });
const hubUp = (): void => t.proxy.setFaults(null);

describe('offline sign-in at an enrolled workstation', () => {
  it('is refused while the hub is up, and allowed once it cannot be reached', async () => {
    await t.signIn('nina');
    await t.call('session:sign-out', {});
    const nina = t.staff.find((s) => s.username === 'nina')!;
    expect(await refusalOf('session:sign-in', { username: 'nina', password: nina.password, offline: true })).toBe('OFFLINE_HUB_REACHABLE');
    expect(t.host.sessions.current().active).toBeNull();
    hubDown();
    await t.call('session:sign-in', { username: 'nina', password: nina.password, offline: true });
    expect(t.host.sessions.current().active).toMatchObject({ userId: nina.userId, mode: 'offline' });
  });

  it('asks an MFA account for its code offline too, checked against the secret from its last online sign-in here', async () => {
    await t.call('session:sign-in', { username: 'mira', password: MIRA_PASSWORD, totp: currentTotpCode(miraSecret, new Date()) });
    expect(t.host.sessions.current().active).toMatchObject({ mode: 'online' });
    await t.call('session:sign-out', {});
    hubDown();
    expect(await refusalOf('session:sign-in', { username: 'mira', password: MIRA_PASSWORD, offline: true })).toBe('TOTP_REQUIRED');
    const valid = [-1, 0, 1].map((d) =>
      authenticator.clone({ epoch: t.clock.now() + d * TOTP_STEP_SECONDS * 1000, step: TOTP_STEP_SECONDS }).generate(miraSecret),
    );
    const wrong = ['000000', '111111', '222222', '333333'].find((c) => !valid.includes(c))!;
    expect(await refusalOf('session:sign-in', { username: 'mira', password: MIRA_PASSWORD, offline: true, totp: wrong })).toBe(
      'TOTP_INVALID',
    );
    expect(t.host.sessions.current().active).toBeNull();
    const code = authenticator.clone({ epoch: t.clock.now() + TOTP_STEP_SECONDS * 1000, step: TOTP_STEP_SECONDS }).generate(miraSecret);
    await t.call('session:sign-in', { username: 'mira', password: MIRA_PASSWORD, offline: true, totp: code });
    expect(t.host.sessions.current().active).toMatchObject({ username: 'mira', mode: 'offline' });
  });

  it('of a user revoked at the hub ends when the workstation reconnects and syncs', async () => {
    await t.signIn('nina');
    await t.call('session:sign-out', {});
    const nina = t.staff.find((s) => s.username === 'nina')!;
    hubDown();
    await t.call('session:sign-in', { username: 'nina', password: nina.password, offline: true });
    expect(t.host.sessions.current().active?.userId).toBe(nina.userId);
    await disableUser(t.hub.db, 'nina');
    hubUp();
    await t.call('sync:now', {}).catch(() => undefined);
    expect(t.host.sessions.current().active).toBeNull();
    hubDown();
    expect(await refusalOf('session:sign-in', { username: 'nina', password: nina.password, offline: true })).toBe('OFFLINE_UNKNOWN_USER');
  });

  it('of a user locked at the hub by failed sign-ins elsewhere ends when the workstation reconnects, and the lock holds through the next outage', async () => {
    await t.signIn('nina');
    await t.call('session:sign-out', {});
    const nina = t.staff.find((s) => s.username === 'nina')!;
    hubDown();
    await t.call('session:sign-in', { username: 'nina', password: nina.password, offline: true });
    const elsewhere = await t.hub.enrollDevice(TEST_WARD);
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await elsewhere.login('nina', 'someone guessing').catch(() => undefined);
    await expect(elsewhere.login('nina', nina.password)).rejects.toThrow();
    hubUp();
    await t.call('sync:now', {}).catch(() => undefined);
    expect(t.host.sessions.current().active).toBeNull();
    hubDown();
    expect(await refusalOf('session:sign-in', { username: 'nina', password: nina.password, offline: true })).toBe('OFFLINE_UNKNOWN_USER');
  });
});
