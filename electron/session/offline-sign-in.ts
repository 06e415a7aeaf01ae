// Offline sign-in: the argon2id verifier kept at this user's last online sign-in here, within the
// policy's grace period, if the policy allows it at all. An unknown user costs the same as a known
// one (checked against a dummy verifier).
import { checkAgainstDummy, checkVerifier } from './credential-hashing.js';
import type { StoredCredentials } from './credential-store.js';
import type { SessionCore, SignInResult } from './session-core.js';
import { SessionError } from './session-error.js';
import type { SessionUser } from './session-user.js';

/** An offline verifier stamped this far in the future (the clock was set back) is not trusted. */
const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

/** Signs `name` in with the offline verifier; `hubUnreachable` when online sign-in fell back to it. */
export async function offlineSignIn(core: SessionCore, name: string, password: string, hubUnreachable: boolean): Promise<SignInResult> {
  if (!core.policy.allowOfflineSignIn) {
    core.failed('offline', 'offline-not-allowed', null);
    throw new SessionError(
      'OFFLINE_NOT_ALLOWED',
      "This workstation's policy does not allow offline sign-in. Sign in when the hub can be reached.",
    );
  }
  const record = await core.credentials.findByUsername(name);
  if (record === null) {
    await checkAgainstDummy(password, core.hashing.password);
    core.failed('offline', 'unknown-user', null);
    throw new SessionError(
      'OFFLINE_UNKNOWN_USER',
      'This account has not signed in on this workstation while it was online, so it cannot sign in offline. Sign in when the network is back, or use a workstation that is online.',
    );
  }
  const age = core.clock.now() - record.verifiedAt;
  if (age >= core.policy.offlineGraceMs || age < -CLOCK_SKEW_TOLERANCE_MS) {
    core.failed('offline', 'verifier-expired', record.userId);
    const hours = Math.round(core.policy.offlineGraceMs / 3_600_000);
    throw new SessionError(
      'OFFLINE_EXPIRED',
      `Offline sign-in on this workstation works for ${hours} hours after your last online sign-in here, and that time is over. Sign in when the network is back.`,
    );
  }
  if (!(await checkVerifier(record.passwordVerifier, password))) {
    core.failed('offline', 'bad-credentials', record.userId);
    throw new SessionError('BAD_CREDENTIALS', 'The username or password is wrong.');
  }
  core.assertOpen();
  const still = await core.credentials.get(record.userId);
  if (still === null || still.credentialStamp !== record.credentialStamp || still.passwordVerifier !== record.passwordVerifier) {
    core.failed('offline', 'unknown-user', record.userId);
    throw new SessionError(
      'OFFLINE_UNKNOWN_USER',
      "This account's offline sign-in was withdrawn by the hub a moment ago. Sign in when the network is back.",
    );
  }
  await core.resetPinFailures(record.userId);
  return core.completeSignIn(userOf(record), 'offline', hubUnreachable, null);
}

function userOf(record: StoredCredentials): SessionUser {
  return { userId: record.userId, username: record.username, role: record.role, wards: [...record.wards] };
}
