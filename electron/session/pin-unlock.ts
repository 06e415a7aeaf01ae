// Setting a PIN and resuming one's own locked session: with the PIN (five wrong in a row and only
// the password works), or with the password (which also clears a PIN lockout).
import { checkVerifier, createVerifier, pinProblem } from './credential-hashing.js';
import type { SessionCore } from './session-core.js';
import { SessionError } from './session-error.js';
import { activeSession } from './session-machine.js';
import type { SessionSnapshot } from './session-snapshot.js';

/** Wrong PINs in a row after which only the password resumes a session. */
export const MAX_PIN_FAILURES = 5;

/** A PIN may be set without re-typing the password this soon after a full authentication. */
export const PIN_SET_WITHOUT_PASSWORD_MS = 5 * 60_000;

/** Sets (or replaces) the active user's PIN; see SessionManager.setPin. */
export async function setPin(core: SessionCore, pin: string, password?: string): Promise<void> {
  const active = core.requireActive();
  const userId = active.user.userId;
  const problem = pinProblem(pin);
  if (problem !== null) throw new SessionError('PIN_INVALID', problem);
  const record = await core.credentials.get(userId);
  if (record === null) throw new SessionError('REAUTH_REQUIRED', 'Sign in again with your password before setting a PIN.');
  if (core.clock.now() - active.fullAuthAt > PIN_SET_WITHOUT_PASSWORD_MS) {
    if (password === undefined) throw new SessionError('REAUTH_REQUIRED', 'Enter your password to set a PIN.');
    if (!(await checkVerifier(record.passwordVerifier, password))) throw new SessionError('BAD_CREDENTIALS', 'The password is wrong.');
  }
  const verifier = await createVerifier(pin, core.hashing.pin);
  await core.userLocks.run(userId, async () => {
    const still = activeSession(core.currentState());
    if (still === null || still.sessionId !== active.sessionId)
      throw new SessionError('LOCKED', 'The session locked before the PIN was saved. Unlock it and set the PIN again.');
    const latest = await core.credentials.get(userId);
    if (latest === null) throw new SessionError('REAUTH_REQUIRED', 'Sign in again with your password before setting a PIN.');
    await core.credentials.put({ ...latest, pinVerifier: verifier, pinSetAt: core.clock.now(), pinFailures: 0 });
  });
  core.dispatch({ type: 'pinSet', userId });
}

/** Resumes `userId`'s own locked session with their PIN. */
export async function unlockWithPin(core: SessionCore, userId: string, pin: string): Promise<SessionSnapshot> {
  core.assertOpen();
  core.requireLocked(userId);
  return core.userLocks.run(userId, async () => {
    const session = core.requireLocked(userId);
    const record = await core.credentials.get(userId);
    if (record === null || record.pinVerifier === null) {
      throw new SessionError('PIN_NOT_SET', 'No PIN is set for this account on this workstation. Unlock with your password.');
    }
    if (record.pinFailures >= MAX_PIN_FAILURES || session.pinLockedOut) throw pinLockedOut();
    // The attempt is counted before it is checked, so a crash or a parallel attempt cannot skip the count.
    const failures = record.pinFailures + 1;
    await core.credentials.put({ ...record, pinFailures: failures });
    const ok = /^\d{4,8}$/.test(pin) && (await checkVerifier(record.pinVerifier, pin));
    if (ok) {
      await core.resetPinFailures(userId);
      core.dispatch({ type: 'pinOk', userId });
      return core.afterResume(userId);
    }
    const lockedOut = failures >= MAX_PIN_FAILURES;
    core.dispatch({ type: 'pinFailed', userId, failures, lockedOut });
    if (lockedOut) throw pinLockedOut();
    const left = MAX_PIN_FAILURES - failures;
    throw new SessionError('WRONG_PIN', `Wrong PIN. ${left} ${left === 1 ? 'try' : 'tries'} left before your password is needed.`);
  });
}

/** Resumes `userId`'s own locked session with their password. */
export async function unlockWithPassword(core: SessionCore, userId: string, password: string): Promise<SessionSnapshot> {
  core.assertOpen();
  core.requireLocked(userId);
  return core.userLocks.run(userId, async () => {
    const session = core.requireLocked(userId);
    const record = await core.credentials.get(userId);
    if (record === null) throw noLockedSession();
    if (await checkVerifier(record.passwordVerifier, password)) {
      core.passwordFailures.delete(session.sessionId);
      await core.resetPinFailures(userId);
      core.dispatch({ type: 'passwordOk', userId });
      return core.afterResume(userId);
    }
    const failures = (core.passwordFailures.get(session.sessionId) ?? 0) + 1;
    core.passwordFailures.set(session.sessionId, failures);
    core.dispatch({ type: 'passwordFailed', userId, failures });
    throw new SessionError('BAD_CREDENTIALS', 'The password is wrong.');
  });
}

function pinLockedOut(): SessionError {
  return new SessionError('PIN_LOCKED_OUT', 'Too many wrong PINs. Unlock with your password.');
}

export function noLockedSession(): SessionError {
  return new SessionError(
    'NO_LOCKED_SESSION',
    'This session is no longer waiting to be unlocked (it was signed out or has expired). Sign in again.',
  );
}
