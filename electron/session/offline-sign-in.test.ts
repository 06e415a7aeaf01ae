// Offline sign-in as an attacker at a shared workstation would try it: choosing "offline" while the
// hub can be reached (asked at that moment, not a stale flag), a password alone for an account that
// requires a second factor, a wrong or replayed code; and a user revoked at the hub who is signed
// out at the next contact.
import { authenticator } from 'otplib';
import { describe, expect, it } from 'vitest';
import { TOTP_STEP_SECONDS } from '../../shared/auth/index.js';
import { SessionError } from './session-error.js';
import { sessionHarness, signInAs, type SessionHarness } from './test-helpers.js';

async function refusal(promise: Promise<unknown>): Promise<SessionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SessionError);
  return error as SessionError;
}

/** What paul's authenticator app shows at the workstation's time. */
function codeAt(secret: string, h: SessionHarness): string {
  return authenticator.clone({ epoch: h.clock.now(), step: TOTP_STEP_SECONDS }).generate(secret);
}

function withMfaPhysician(): { h: SessionHarness; secret: string; password: string } {
  const h = sessionHarness();
  const paul = h.hub.account('paul');
  const secret = authenticator.generateSecret(20);
  paul.totp = '123456';
  paul.totpSecret = secret;
  return { h, secret, password: paul.password };
}

describe('offline sign-in', () => {
  it('is refused while the hub can be reached, asked at that moment', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.signOut();
    const password = h.hub.account('nina').password;
    const reachable = await refusal(h.manager.signInOffline('nina', password));
    expect(reachable.code).toBe('OFFLINE_HUB_REACHABLE');
    expect(h.manager.current().active).toBeNull();
    expect(h.sink.ofType('sign-in-failed').at(-1)).toMatchObject({ mode: 'offline', reason: 'offline-hub-reachable', userId: 'u-nurse-1' });

    h.hub.reachable = false;
    const offline = await h.manager.signInOffline('nina', password);
    expect(offline.snapshot.active).toMatchObject({ userId: 'u-nurse-1', mode: 'offline' });
    h.manager.signOut();
    // The hub is back: the next offline attempt asks again and is refused.
    h.hub.reachable = true;
    expect((await refusal(h.manager.signInOffline('nina', password))).code).toBe('OFFLINE_HUB_REACHABLE');
  });

  it('needs the second factor of an account that requires one, checked here against the secret from its last online sign-in', async () => {
    const { h, secret, password } = withMfaPhysician();
    await h.manager.signInOnline('paul', password, '123456');
    expect((await h.store.get('u-phys-1'))?.totpSecret).toBe(secret);
    h.manager.signOut();
    h.hub.reachable = false;

    const noCode = await refusal(h.manager.signInOffline('paul', password));
    expect(noCode.code).toBe('TOTP_REQUIRED');
    expect(h.sink.ofType('sign-in-failed').at(-1)).toMatchObject({ mode: 'offline', reason: 'totp-required' });
    const wrong = await refusal(h.manager.signInOffline('paul', password, codeAt(secret, h) === '000000' ? '111111' : '000000'));
    expect(wrong.code).toBe('TOTP_INVALID');
    // A code of ten minutes ago is refused too.
    const old = authenticator.clone({ epoch: h.clock.now() - 600_000, step: TOTP_STEP_SECONDS }).generate(secret);
    if (old !== codeAt(secret, h)) expect((await refusal(h.manager.signInOffline('paul', password, old))).code).toBe('TOTP_INVALID');
    expect(h.manager.current().active).toBeNull();

    const code = codeAt(secret, h);
    const signedIn = await h.manager.signInOffline('paul', password, code);
    expect(signedIn.snapshot.active).toMatchObject({ userId: 'u-phys-1', mode: 'offline' });
    h.manager.signOut();
    // The same code again (within its step) is refused: a code is accepted once.
    expect((await refusal(h.manager.signInOffline('paul', password, code))).code).toBe('TOTP_INVALID');
  });

  it('refuses a code of an earlier time step than one accepted here, even one never used', async () => {
    const { h, secret, password } = withMfaPhysician();
    await h.manager.signInOnline('paul', password, '123456');
    h.manager.signOut();
    h.hub.reachable = false;
    // The next step's code (the window accepts one step ahead) signs in; the current step's is then refused.
    const next = authenticator.clone({ epoch: h.clock.now() + TOTP_STEP_SECONDS * 1000, step: TOTP_STEP_SECONDS }).generate(secret);
    const current = codeAt(secret, h);
    if (next === current) return;
    await h.manager.signInOffline('paul', password, next);
    h.manager.signOut();
    const replay = await refusal(h.manager.signInOffline('paul', password, current));
    expect(replay.code).toBe('TOTP_INVALID');
    expect(replay.message).toContain('already used');
    expect(h.sink.ofType('sign-in-failed').at(-1)).toMatchObject({ mode: 'offline', reason: 'totp-invalid', userId: 'u-phys-1' });
    // Two steps later a new code works.
    h.clock.advance(2 * TOTP_STEP_SECONDS * 1000);
    expect((await h.manager.signInOffline('paul', password, codeAt(secret, h))).snapshot.active).toMatchObject({ mode: 'offline' });
  });

  it('refuses offline the code just typed at an online sign-in here: a code seen over the shoulder is spent', async () => {
    const { h, secret, password } = withMfaPhysician();
    const code = codeAt(secret, h);
    h.hub.account('paul').totp = code;
    await h.manager.signInOnline('paul', password, code);
    expect((await h.store.get('u-phys-1'))?.totpLastStep).toBe(Math.floor(h.clock.now() / 1000 / TOTP_STEP_SECONDS));
    h.manager.signOut();
    h.hub.reachable = false;
    expect((await refusal(h.manager.signInOffline('paul', password, code))).code).toBe('TOTP_INVALID');
    expect(h.manager.current().active).toBeNull();
  });

  it('takes the code through the online sign-in when the hub turns out unreachable', async () => {
    const { h, secret, password } = withMfaPhysician();
    await h.manager.signInOnline('paul', password, '123456');
    h.manager.signOut();
    h.hub.reachable = false;
    expect((await refusal(h.manager.signInOnline('paul', password))).code).toBe('TOTP_REQUIRED');
    const signedIn = await h.manager.signInOnline('paul', password, codeAt(secret, h));
    expect(signedIn.snapshot.active).toMatchObject({ userId: 'u-phys-1', mode: 'offline' });
    expect(signedIn.hubUnreachable).toBe(true);
  });

  it('is refused for an account that requires a second factor when no secret was handed over here', async () => {
    const { h, secret, password } = withMfaPhysician();
    delete h.hub.account('paul').totpSecret;
    await h.manager.signInOnline('paul', password, '123456');
    h.manager.signOut();
    h.hub.reachable = false;
    const refused = await refusal(h.manager.signInOffline('paul', password, codeAt(secret, h)));
    expect(refused.code).toBe('OFFLINE_TOTP_UNAVAILABLE');
    expect(h.manager.current().active).toBeNull();
  });

  it('of a user revoked at the hub ends at the next contact, and cannot start again', async () => {
    const h = sessionHarness();
    const password = h.hub.account('nina').password;
    await signInAs(h, 'nina');
    h.manager.signOut();
    h.hub.reachable = false;
    await h.manager.signInOffline('nina', password);
    expect(h.manager.current().active?.userId).toBe('u-nurse-1');
    // Meanwhile the hub disables the account; the workstation reconnects and syncs the stamps.
    const nina = h.hub.account('nina');
    nina.disabled = true;
    nina.credentialStamp = `${nina.credentialStamp}+disabled`;
    h.hub.reachable = true;
    const revoked = await h.manager.applyCredentialStamps(h.hub.stamps());
    expect(revoked.map((r) => r.userId)).toEqual(['u-nurse-1']);
    expect(h.manager.current().active).toBeNull();
    expect(h.sink.ofType('sign-out').at(-1)).toMatchObject({ userId: 'u-nurse-1', reason: 'credentials-revoked' });
    // Offline again, the revoked account cannot sign in; online, the hub refuses it.
    h.hub.reachable = false;
    expect((await refusal(h.manager.signInOffline('nina', password))).code).toBe('OFFLINE_UNKNOWN_USER');
    h.hub.reachable = true;
    expect((await refusal(h.manager.signInOnline('nina', password))).code).toBe('ACCOUNT_DISABLED');
  });
});
