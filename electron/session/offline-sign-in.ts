// Offline sign-in: the argon2id verifier kept at this user's last online sign-in here, within the
// policy's grace period, if the policy allows it at all, and only while the hub cannot be reached
// (a sign-in that just failed to reach it, or asked at that moment). An account that requires a
// second factor passes it offline too: its TOTP code, checked against the secret the hub handed
// over at the user's last online sign-in with a code here, and accepted once: the last accepted
// time step is kept with the user's credentials in the vault, so a code is never replayed here,
// even after a restart. The hub's lockout and revocation apply
// at the next contact: a reachable hub means an online sign-in, and the credential stamps of every
// sync end the sessions of revoked users. An unknown user costs the same as a known one (checked
// against a dummy verifier).
import { checkAgainstDummy, checkVerifier } from './credential-hashing.js';
import { isFreshTotpStep, matchedTotpStep } from './offline-second-factor.js';
import type { StoredCredentials } from './credential-store.js';
import type { SessionCore, SignInResult } from './session-core.js';
import { SessionError } from './session-error.js';
import type { SessionUser } from './session-user.js';

/** An offline verifier stamped this far in the future (the clock was set back) is not trusted. */
const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

/** Offline sign-in the user chose: refused while the hub can be reached, asked now. */
export async function chosenOfflineSignIn(core: SessionCore, name: string, password: string, totp?: string): Promise<SignInResult> {
  const hub = core.hubLogin;
  if (hub !== undefined && hub !== null && (await hub.isReachable())) {
    core.assertOpen();
    const known = await core.credentials.findByUsername(name);
    core.failed('offline', 'offline-hub-reachable', known?.userId ?? null, name);
    throw new SessionError('OFFLINE_HUB_REACHABLE', 'The hub can be reached, so offline sign-in is not available. Sign in with “Sign in”.');
  }
  core.assertOpen();
  return offlineSignIn(core, name, password, true, totp);
}

/** Signs `name` in with the offline verifier; `hubUnreachable` when the hub was found unreachable. */
export async function offlineSignIn(
  core: SessionCore,
  name: string,
  password: string,
  hubUnreachable: boolean,
  totp?: string,
): Promise<SignInResult> {
  if (!core.policy.allowOfflineSignIn) {
    core.failed('offline', 'offline-not-allowed', null, name);
    throw new SessionError(
      'OFFLINE_NOT_ALLOWED',
      "This workstation's policy does not allow offline sign-in. Sign in when the hub can be reached.",
    );
  }
  const record = await core.credentials.findByUsername(name);
  if (record === null) {
    await checkAgainstDummy(password, core.hashing.password);
    core.failed('offline', 'unknown-user', null, name);
    throw new SessionError(
      'OFFLINE_UNKNOWN_USER',
      'This account has not signed in on this workstation while it was online, so it cannot sign in offline. Sign in when the network is back, or use a workstation that is online.',
    );
  }
  const age = core.clock.now() - record.verifiedAt;
  if (age >= core.policy.offlineGraceMs || age < -CLOCK_SKEW_TOLERANCE_MS) {
    core.failed('offline', 'verifier-expired', record.userId, name);
    const hours = Math.round(core.policy.offlineGraceMs / 3_600_000);
    throw new SessionError(
      'OFFLINE_EXPIRED',
      `Offline sign-in on this workstation works for ${hours} hours after your last online sign-in here, and that time is over. Sign in when the network is back.`,
    );
  }
  if (!(await checkVerifier(record.passwordVerifier, password))) {
    core.failed('offline', 'bad-credentials', record.userId, name);
    throw new SessionError('BAD_CREDENTIALS', 'The username or password is wrong.');
  }
  if (record.mfaRequired) await checkOfflineSecondFactor(core, record, totp);
  core.assertOpen();
  const still = await core.credentials.get(record.userId);
  if (still === null || still.credentialStamp !== record.credentialStamp || still.passwordVerifier !== record.passwordVerifier) {
    core.failed('offline', 'unknown-user', record.userId, name);
    throw new SessionError(
      'OFFLINE_UNKNOWN_USER',
      "This account's offline sign-in was withdrawn by the hub a moment ago. Sign in when the network is back.",
    );
  }
  await core.resetPinFailures(record.userId);
  return core.completeSignIn(userOf(record), 'offline', hubUnreachable, null);
}

/**
 * Checks the code and, when it is right and of a later time step than the last accepted here,
 * keeps its step with the user's credentials (durably, before the sign-in completes), under the
 * user's lock so two sign-ins with one code cannot both pass.
 */
async function checkOfflineSecondFactor(core: SessionCore, record: StoredCredentials, totp: string | undefined): Promise<void> {
  if (record.totpSecret === null) {
    core.failed('offline', 'offline-totp-unavailable', record.userId, record.username);
    throw new SessionError(
      'OFFLINE_TOTP_UNAVAILABLE',
      'Your account needs a 6-digit code, and this workstation cannot check it offline until you sign in online here once with your code. Sign in when the network is back.',
    );
  }
  if (totp === undefined || totp === '') {
    core.failed('offline', 'totp-required', record.userId, record.username);
    throw new SessionError('TOTP_REQUIRED', 'Enter the 6-digit code from your authenticator app.');
  }
  const secret = record.totpSecret;
  const step = matchedTotpStep(secret, totp, core.clock.now());
  const fresh =
    step !== null &&
    (await core.userLocks.run(record.userId, async () => {
      const current = await core.credentials.get(record.userId);
      // Withdrawn meanwhile: the check after this one refuses the sign-in.
      if (current === null) return true;
      if (current.totpSecret !== secret || !isFreshTotpStep(current.totpLastStep, step)) return false;
      await core.credentials.put({ ...current, totpLastStep: step });
      return true;
    }));
  if (!fresh) {
    core.failed('offline', 'totp-invalid', record.userId, record.username);
    throw new SessionError(
      'TOTP_INVALID',
      step === null
        ? 'The 6-digit code is wrong or too old. Enter the code your authenticator app shows now.'
        : 'This code was already used. Wait for the next code in your authenticator app.',
    );
  }
}

function userOf(record: StoredCredentials): SessionUser {
  return { userId: record.userId, username: record.username, role: record.role, wards: [...record.wards] };
}
