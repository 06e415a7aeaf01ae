// Signing in: online against the (scripted) hub, offline with the verifier kept here, the grace
// period, unknown users, hub refusals, the fallback when the hub is unreachable, credential stamps.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { checkVerifier } from './credential-hashing.js';
import { isSessionError } from './session-error.js';
import { sessionHarness, signInAs, TEST_WARD } from './test-helpers.js';

const HOUR = 3_600_000;

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isSessionError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a SessionError, but the call succeeded');
}

describe('online sign-in', () => {
  it('signs a nurse in against the hub and keeps an argon2id offline verifier with her role, wards and stamp', async () => {
    const h = sessionHarness();
    const result = await signInAs(h, 'nina');
    expect(result.mode).toBe('online');
    expect(result.snapshot.status).toBe('active');
    expect(result.snapshot.active).toMatchObject({ userId: 'u-nurse-1', role: 'nurse', scope: [TEST_WARD] });
    const record = await h.store.get('u-nurse-1');
    expect(record).toMatchObject({
      username: 'nina',
      role: 'nurse',
      wards: [TEST_WARD],
      credentialStamp: 'stamp-u-nurse-1-1',
      verifiedAt: h.clock.now(),
    });
    expect(record?.passwordVerifier).toMatch(/^\$argon2id\$/);
    expect(record?.passwordVerifier).not.toContain(h.hub.account('nina').password);
    expect(await checkVerifier(record!.passwordVerifier, h.hub.account('nina').password)).toBe(true);
    expect(h.manager.current().active).not.toBeNull();
    expect(await h.manager.hubUserToken()).toBe('access-1');
    expect(h.sink.ofType('sign-in')).toEqual([
      { type: 'sign-in', at: h.clock.now(), sessionId: 's-1', userId: 'u-nurse-1', mode: 'online', outcome: 'new-session' },
    ]);
  });

  it('accepts the username in any case and with spaces around it, as the hub does', async () => {
    const h = sessionHarness();
    await h.manager.signInOnline('  NINA ', h.hub.account('nina').password);
    expect(h.manager.current().active?.username).toBe('nina');
  });

  it("refuses a wrong password with the hub's answer and audits the username tried, normalised, but never logs it", async () => {
    let logged = '';
    const logger = pino({ level: 'debug' }, { write: (line: string) => void (logged += line) });
    const h = sessionHarness({ logger });
    await signInAs(h, 'nina');
    h.manager.signOut();
    const r = await refusal(h.manager.signInOnline('nina', 'not-her-password'));
    expect(r.code).toBe('BAD_CREDENTIALS');
    const unknown = await refusal(h.manager.signInOnline('  Hunter2-Oops ', 'whatever'));
    expect(unknown.code).toBe('BAD_CREDENTIALS');
    const failures = h.sink.ofType('sign-in-failed');
    expect(failures).toEqual([
      { type: 'sign-in-failed', at: h.clock.now(), mode: 'online', reason: 'bad-credentials', userId: 'u-nurse-1', username: 'nina' },
      { type: 'sign-in-failed', at: h.clock.now(), mode: 'online', reason: 'bad-credentials', userId: null, username: 'hunter2-oops' },
    ]);
    expect(logged).toContain('session.sign_in_failed');
    expect(logged.toLowerCase()).not.toContain('hunter2-oops');
    expect(h.manager.current().active).toBeNull();
  });

  it('asks for the TOTP code when the account requires one, and signs in with it', async () => {
    const h = sessionHarness();
    h.hub.account('paul').totp = '123456';
    const first = await refusal(signInAs(h, 'paul'));
    expect(first).toMatchObject({ code: 'TOTP_REQUIRED', message: 'Enter the 6-digit code from your authenticator app.' });
    const wrong = await refusal(h.manager.signInOnline('paul', h.hub.account('paul').password, '000000'));
    expect(wrong.code).toBe('TOTP_INVALID');
    const ok = await h.manager.signInOnline('paul', h.hub.account('paul').password, '123456');
    expect(ok.snapshot.active?.userId).toBe('u-phys-1');
    expect((await h.store.get('u-phys-1'))?.mfaRequired).toBe(true);
  });

  it('refuses an answer from the hub that does not match the contract', async () => {
    const h = sessionHarness({
      hubLogin: { login: async () => ({ outcome: 'signed-in', session: { accessToken: 'x' } as never }), isReachable: async () => true },
    });
    const r = await refusal(h.manager.signInOnline('nina', 'pw'));
    expect(r.code).toBe('HUB_ANSWER_INVALID');
    expect(await h.store.list()).toEqual([]);
    expect(h.manager.current().status).toBe('signed-out');
  });

  it('deletes the offline verifier at once when the hub says the account is disabled', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    h.hub.account('nina').disabled = true;
    const r = await refusal(signInAs(h, 'nina'));
    expect(r.code).toBe('ACCOUNT_DISABLED');
    expect(await h.store.get('u-nurse-1')).toBeNull();
    expect(h.manager.current().status).toBe('signed-out');
    expect(h.sink.ofType('offline-verifier-revoked')).toEqual([
      { type: 'offline-verifier-revoked', at: h.clock.now(), userId: 'u-nurse-1', reason: 'account-disabled' },
    ]);
    expect(h.sink.ofType('sign-out').at(-1)).toMatchObject({ userId: 'u-nurse-1', reason: 'credentials-revoked', byUser: false });
  });

  it('deletes the offline verifier when the hub says the account is locked, so the lockout holds through the next outage', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    h.hub.account('nina').locked = true;
    expect((await refusal(signInAs(h, 'nina'))).code).toBe('ACCOUNT_LOCKED');
    expect(await h.store.get('u-nurse-1')).toBeNull();
    expect(h.sink.ofType('offline-verifier-revoked').at(-1)).toMatchObject({ userId: 'u-nurse-1', reason: 'account-locked' });
  });
});

describe('offline sign-in', () => {
  it('works within the grace period with the password used at the last online sign-in here', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.signOut();
    h.hub.reachable = false;
    h.clock.advance(71 * HOUR);
    h.hub.reachable = false; // offline sign-in is for when the hub cannot be reached
    const result = await h.manager.signInOffline('nina', h.hub.account('nina').password);
    expect(result.mode).toBe('offline');
    expect(result.snapshot.active).toMatchObject({ userId: 'u-nurse-1', role: 'nurse', mode: 'offline' });
    expect(await h.manager.hubUserToken()).toBeNull();
    expect(h.sink.ofType('sign-in').at(-1)).toMatchObject({ userId: 'u-nurse-1', mode: 'offline', outcome: 'new-session' });
  });

  it('is refused with a clear message once the grace period is over', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.signOut();
    h.clock.advance(72 * HOUR);
    h.hub.reachable = false; // offline sign-in is for when the hub cannot be reached
    const r = await refusal(h.manager.signInOffline('nina', h.hub.account('nina').password));
    expect(r.code).toBe('OFFLINE_EXPIRED');
    expect(r.message).toContain('72 hours after your last online sign-in');
    expect(h.manager.current().active).toBeNull();
    expect(h.sink.ofType('sign-in-failed').at(-1)).toMatchObject({ mode: 'offline', reason: 'verifier-expired', userId: 'u-nurse-1' });
  });

  it('follows a shorter grace period set by policy', async () => {
    const h = sessionHarness({ policy: { offlineGraceMs: 8 * HOUR } });
    await signInAs(h, 'nina');
    h.manager.signOut();
    h.clock.advance(8 * HOUR);
    h.hub.reachable = false; // offline sign-in is for when the hub cannot be reached
    expect((await refusal(h.manager.signInOffline('nina', h.hub.account('nina').password))).code).toBe('OFFLINE_EXPIRED');
  });

  it('is refused for a user who never signed in on this workstation, saying why', async () => {
    const h = sessionHarness();
    h.hub.reachable = false; // offline sign-in is for when the hub cannot be reached
    const r = await refusal(h.manager.signInOffline('noor', h.hub.account('noor').password));
    expect(r.code).toBe('OFFLINE_UNKNOWN_USER');
    expect(r.message).toContain('has not signed in on this workstation while it was online');
    expect(h.sink.ofType('sign-in-failed')).toEqual([
      { type: 'sign-in-failed', at: h.clock.now(), mode: 'offline', reason: 'unknown-user', userId: null, username: 'noor' },
    ]);
  });

  it('refuses a wrong password and does not sign anybody in', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.signOut();
    h.hub.reachable = false; // offline sign-in is for when the hub cannot be reached
    expect((await refusal(h.manager.signInOffline('nina', 'guess'))).code).toBe('BAD_CREDENTIALS');
    expect(h.manager.current().status).toBe('signed-out');
  });

  it('is refused when the workstation policy turns offline sign-in off', async () => {
    const h = sessionHarness({ policy: { allowOfflineSignIn: false } });
    await signInAs(h, 'nina');
    h.manager.signOut();
    h.hub.reachable = false; // offline sign-in is for when the hub cannot be reached
    expect((await refusal(h.manager.signInOffline('nina', h.hub.account('nina').password))).code).toBe('OFFLINE_NOT_ALLOWED');
  });

  it('does not trust a verifier stamped in the future (the clock was set back)', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.signOut();
    const record = (await h.store.get('u-nurse-1'))!;
    await h.store.put({ ...record, verifiedAt: h.clock.now() + 2 * HOUR });
    h.hub.reachable = false; // offline sign-in is for when the hub cannot be reached
    expect((await refusal(h.manager.signInOffline('nina', h.hub.account('nina').password))).code).toBe('OFFLINE_EXPIRED');
  });
});

describe('online sign-in when the hub cannot be reached', () => {
  it('falls back to the offline verifier and says so', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.signOut();
    h.hub.reachable = false;
    const result = await signInAs(h, 'nina');
    expect(result).toMatchObject({ mode: 'offline', hubUnreachable: true });
    expect(result.snapshot.active?.userId).toBe('u-nurse-1');
  });

  it('explains that the hub is unreachable and the user has no offline sign-in here', async () => {
    const h = sessionHarness();
    h.hub.reachable = false;
    const r = await refusal(signInAs(h, 'noor'));
    expect(r.code).toBe('OFFLINE_UNKNOWN_USER');
    expect(r.message).toMatch(/^The hub cannot be reached\. /);
  });

  it('treats a workstation without a configured hub as unreachable', async () => {
    const h = sessionHarness({ hubLogin: null });
    const r = await refusal(h.manager.signInOnline('nina', 'x'));
    expect(r.code).toBe('OFFLINE_UNKNOWN_USER');
  });

  it('refuses with HUB_UNREACHABLE when the policy turns offline sign-in off', async () => {
    const h = sessionHarness({ policy: { allowOfflineSignIn: false } });
    await signInAs(h, 'nina');
    h.manager.signOut();
    h.hub.reachable = false;
    const r = await refusal(signInAs(h, 'nina'));
    expect(r.code).toBe('HUB_UNREACHABLE');
    expect(h.sink.ofType('sign-in-failed').at(-1)).toMatchObject({ mode: 'online', reason: 'hub-unreachable', userId: 'u-nurse-1' });
  });
});

describe('credential stamps from the hub', () => {
  it("invalidate the offline verifier after a hub-side password change, and end the user's session", async () => {
    const h = sessionHarness();
    const oldPassword = h.hub.account('nina').password;
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    h.hub.changePassword('nina', 'a-new-Passw0rd!');
    const revoked = await h.manager.applyCredentialStamps(h.hub.stamps());
    expect(revoked).toEqual([{ userId: 'u-nurse-1', reason: 'credentials-changed' }]);
    expect(await h.store.get('u-nurse-1')).toBeNull();
    expect(h.manager.current().status).toBe('signed-out');
    expect(h.sink.ofType('sign-out').at(-1)).toMatchObject({ userId: 'u-nurse-1', reason: 'credentials-revoked', byUser: false });
    h.hub.reachable = false;
    expect((await refusal(h.manager.signInOffline('nina', oldPassword))).code).toBe('OFFLINE_UNKNOWN_USER');
    expect((await refusal(h.manager.signInOffline('nina', 'a-new-Passw0rd!'))).code).toBe('OFFLINE_UNKNOWN_USER');
  });

  it('invalidate the verifier of a disabled account and of a user taken off this ward, and keep the others', async () => {
    const h = sessionHarness();
    for (const name of ['nina', 'noor', 'paul']) {
      await signInAs(h, name);
      h.manager.signOut();
    }
    h.hub.account('noor').disabled = true;
    h.hub.account('paul').wards = ['cardio'];
    const revoked = await h.manager.applyCredentialStamps(h.hub.stamps());
    expect(revoked).toEqual(
      expect.arrayContaining([
        { userId: 'u-nurse-2', reason: 'account-disabled' },
        { userId: 'u-phys-1', reason: 'removed-from-ward' },
      ]),
    );
    expect(revoked).toHaveLength(2);
    expect((await h.store.list()).map((r) => r.userId)).toEqual(['u-nurse-1']);
    h.hub.reachable = false; // offline sign-in is for when the hub cannot be reached
    expect((await h.manager.signInOffline('nina', h.hub.account('nina').password)).snapshot.active?.userId).toBe('u-nurse-1');
  });

  it('end a session whose account the hub has locked meanwhile, and its verifier with it, so the next outage cannot sign it in offline', async () => {
    const h = sessionHarness();
    await signInAs(h, 'noor');
    h.hub.account('noor').locked = true;
    expect(await h.manager.applyCredentialStamps(h.hub.stamps())).toEqual([{ userId: 'u-nurse-2', reason: 'account-locked' }]);
    expect(h.manager.current().active).toBeNull();
    expect(h.sink.ofType('offline-verifier-revoked').at(-1)).toMatchObject({ userId: 'u-nurse-2', reason: 'account-locked' });
    h.hub.reachable = false;
    expect((await refusal(h.manager.signInOffline('noor', h.hub.account('noor').password))).code).toBe('OFFLINE_UNKNOWN_USER');
  });

  it('leave everything alone when nothing changed', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    expect(await h.manager.applyCredentialStamps(h.hub.stamps())).toEqual([]);
    expect(h.manager.current().active).not.toBeNull();
  });

  it('are refused when they are for another ward', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    const r = await refusal(h.manager.applyCredentialStamps({ ward: 'icu', users: [] }));
    expect(r.code).toBe('STAMPS_WRONG_WARD');
    expect(await h.store.get('u-nurse-1')).not.toBeNull();
  });

  it('keep the PIN across a new online sign-in with the same stamp, and drop it when the stamp changed', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    await h.manager.setPin('2468');
    h.manager.signOut();
    await signInAs(h, 'nina');
    expect((await h.store.get('u-nurse-1'))?.pinVerifier).not.toBeNull();
    h.manager.signOut();
    h.hub.changePassword('nina', 'another-Passw0rd!');
    await signInAs(h, 'nina');
    expect((await h.store.get('u-nurse-1'))?.pinVerifier).toBeNull();
  });
});
