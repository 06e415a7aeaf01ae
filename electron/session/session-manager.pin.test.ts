// PINs: setting one after a full sign-in, resuming one's own locked session with it, the lockout
// after five wrong PINs, and that nobody but the owner resumes a locked session.
import { describe, expect, it } from 'vitest';
import { checkVerifier } from './credential-hashing.js';
import { isSessionError } from './session-error.js';
import { sessionHarness, signInAs, type SessionHarness } from './test-helpers.js';

const MINUTE = 60_000;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSessionError(error)) return error.code;
    throw error;
  }
  return 'SUCCEEDED';
}

async function ninaWithPinLocked(): Promise<SessionHarness> {
  const h = sessionHarness();
  await signInAs(h, 'nina');
  await h.manager.setPin('2468');
  h.manager.lock('manual');
  return h;
}

describe('setting a PIN', () => {
  it('stores an argon2id verifier of the PIN, never the PIN, and audits it', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    await h.manager.setPin('2468');
    const record = await h.store.get('u-nurse-1');
    expect(record?.pinVerifier).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(record)).not.toContain('2468');
    expect(await checkVerifier(record!.pinVerifier!, '2468')).toBe(true);
    expect(h.sink.ofType('pin-set')).toEqual([{ type: 'pin-set', at: h.clock.now(), sessionId: 's-1', userId: 'u-nurse-1' }]);
  });

  it.each([
    ['123', 'too short'],
    ['123456789', 'too long'],
    ['12a4', 'not digits'],
    ['0000', 'one digit repeated'],
    ['3456', 'a run up'],
    ['9876', 'a run down'],
  ])('refuses the PIN %s (%s)', async (pin) => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    expect(await codeOf(h.manager.setPin(pin))).toBe('PIN_INVALID');
    expect((await h.store.get('u-nurse-1'))?.pinVerifier).toBeNull();
  });

  it('asks for the password when the full sign-in was more than 5 minutes ago', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.clock.advance(3 * MINUTE);
    h.manager.recordActivity();
    h.clock.advance(3 * MINUTE);
    expect(await codeOf(h.manager.setPin('2468'))).toBe('REAUTH_REQUIRED');
    expect(await codeOf(h.manager.setPin('2468', 'wrong'))).toBe('BAD_CREDENTIALS');
    await h.manager.setPin('2468', h.hub.account('nina').password);
    expect((await h.store.get('u-nurse-1'))?.pinVerifier).not.toBeNull();
  });

  it('cannot be done without an active session', async () => {
    const h = sessionHarness();
    expect(await codeOf(h.manager.setPin('2468'))).toBe('NOT_SIGNED_IN');
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    expect(await codeOf(h.manager.setPin('2468'))).toBe('LOCKED');
  });
});

describe('unlocking with a PIN', () => {
  it("resumes the owner's locked session with the right PIN and audits the unlock", async () => {
    const h = await ninaWithPinLocked();
    const snapshot = await h.manager.unlockWithPin('u-nurse-1', '2468');
    expect(snapshot.active?.sessionId).toBe('s-1');
    expect(h.manager.current().active).not.toBeNull();
    expect(h.sink.ofType('unlock')).toEqual([{ type: 'unlock', at: h.clock.now(), sessionId: 's-1', userId: 'u-nurse-1', method: 'pin' }]);
  });

  it('counts wrong PINs and requires the full password after the fifth', async () => {
    const h = await ninaWithPinLocked();
    const codes: string[] = [];
    for (let i = 0; i < 5; i += 1) codes.push(await codeOf(h.manager.unlockWithPin('u-nurse-1', '1357')));
    expect(codes).toEqual(['WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'PIN_LOCKED_OUT']);
    expect(await codeOf(h.manager.unlockWithPin('u-nurse-1', '2468'))).toBe('PIN_LOCKED_OUT');
    expect(h.manager.current().active).toBeNull();
    expect(h.manager.current().locked[0]?.pinLockedOut).toBe(true);
    expect(h.sink.ofType('unlock-failed').map((e) => e.failures)).toEqual([1, 2, 3, 4, 5]);
    expect(h.sink.ofType('pin-lockout')).toEqual([{ type: 'pin-lockout', at: h.clock.now(), sessionId: 's-1', userId: 'u-nurse-1' }]);

    await h.manager.unlockWithPassword('u-nurse-1', h.hub.account('nina').password);
    expect(h.manager.current().active).not.toBeNull();
    h.manager.lock('manual');
    await h.manager.unlockWithPin('u-nurse-1', '2468');
    expect(h.manager.current().active).not.toBeNull();
  });

  it('says how many tries are left', async () => {
    const h = await ninaWithPinLocked();
    await expect(h.manager.unlockWithPin('u-nurse-1', '1111')).rejects.toThrow('Wrong PIN. 4 tries left before your password is needed.');
    for (let i = 0; i < 3; i += 1) await codeOf(h.manager.unlockWithPin('u-nurse-1', '1111'));
    await expect(h.manager.unlockWithPin('u-nurse-1', '1111')).rejects.toThrow('Too many wrong PINs. Unlock with your password.');
  });

  it('resets the count after a right PIN', async () => {
    const h = await ninaWithPinLocked();
    for (let i = 0; i < 4; i += 1) await codeOf(h.manager.unlockWithPin('u-nurse-1', '1357'));
    await h.manager.unlockWithPin('u-nurse-1', '2468');
    h.manager.lock('manual');
    for (let i = 0; i < 4; i += 1) expect(await codeOf(h.manager.unlockWithPin('u-nurse-1', '1357'))).toBe('WRONG_PIN');
    expect((await h.manager.unlockWithPin('u-nurse-1', '2468')).active?.userId).toBe('u-nurse-1');
  });

  it('keeps the count in the credential store, so it survives a restart of the host', async () => {
    const h = await ninaWithPinLocked();
    for (let i = 0; i < 3; i += 1) await codeOf(h.manager.unlockWithPin('u-nurse-1', '1357'));
    expect((await h.store.get('u-nurse-1'))?.pinFailures).toBe(3);
  });

  it('counts parallel attempts one by one: ten at once still lock the PIN out after five', async () => {
    const h = await ninaWithPinLocked();
    const codes = await Promise.all(Array.from({ length: 10 }, () => codeOf(h.manager.unlockWithPin('u-nurse-1', '1357'))));
    expect(codes.filter((c) => c === 'WRONG_PIN')).toHaveLength(4);
    expect(codes.filter((c) => c === 'PIN_LOCKED_OUT')).toHaveLength(6);
    expect(await codeOf(h.manager.unlockWithPin('u-nurse-1', '2468'))).toBe('PIN_LOCKED_OUT');
  });

  it('is refused when no PIN is set, pointing to the password', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    expect(await codeOf(h.manager.unlockWithPin('u-nurse-1', '2468'))).toBe('PIN_NOT_SET');
  });

  it('unlocks nothing when there is no locked session for that user', async () => {
    const h = sessionHarness();
    expect(await codeOf(h.manager.unlockWithPin('u-nurse-1', '2468'))).toBe('NO_LOCKED_SESSION');
  });
});

describe('only the owner resumes a locked session', () => {
  it("refuses another user's PIN and password on Nina's locked session, and her session stays locked", async () => {
    const h = sessionHarness();
    await signInAs(h, 'noor');
    await h.manager.setPin('13579');
    h.manager.signOut();
    await signInAs(h, 'nina');
    await h.manager.setPin('2468');
    h.manager.lock('manual');

    expect(await codeOf(h.manager.unlockWithPin('u-nurse-1', '13579'))).toBe('WRONG_PIN');
    expect(await codeOf(h.manager.unlockWithPassword('u-nurse-1', h.hub.account('noor').password))).toBe('BAD_CREDENTIALS');
    expect(h.manager.current().status).toBe('locked');
    expect(h.sink.ofType('unlock-failed').map((e) => [e.userId, e.method])).toEqual([
      ['u-nurse-1', 'pin'],
      ['u-nurse-1', 'password'],
    ]);

    await signInAs(h, 'noor');
    expect(h.manager.current().active?.userId).toBe('u-nurse-2');
    expect(h.manager.current().locked.map((s) => s.userId)).toEqual(['u-nurse-1']);
  });
});
