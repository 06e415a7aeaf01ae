// Online sign-in of a staff member at an enrolled workstation: password (argon2id), then the TOTP
// code when the account requires one (each code accepted once), then the ward check.
//
// Lockout: after 10 consecutive failures (wrong password, wrong or replayed code) the account is
// locked for 15 minutes, even for the right password; the count restarts after the lock, and a
// success or a password reset (setPassword) clears it. Each step is one atomic UPDATE, so several
// hub processes share the count. Unknown usernames cost the same argon2 work as known ones and get
// the same answer as a wrong password.
import type { SqlDatabase } from '../storage/index.js';
import { IdentityError } from './identity-error.js';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password-hashing.js';
import { matchedTotpStep } from './totp.js';
import { findUserByUsername, openTotpSecret, type UserRecord } from './users.js';

export const MAX_FAILED_LOGINS = 10;
export const LOCKOUT_MINUTES = 15;

export interface LoginAttempt {
  readonly username: string;
  readonly password: string;
  readonly totp?: string;
}

/** The account, when every check passed; an IdentityError saying which one failed otherwise. */
export async function checkLogin(db: SqlDatabase, attempt: LoginAttempt, deviceWard: string, now: Date): Promise<UserRecord> {
  const user = await findUserByUsername(db, attempt.username);
  if (user === null) {
    await verifyAgainstDummy(attempt.password);
    throw invalidCredentials();
  }
  if (user.lockedUntil !== null && user.lockedUntil > now.getTime()) {
    const minutes = Math.ceil((user.lockedUntil - now.getTime()) / 60_000);
    throw new IdentityError(
      'ACCOUNT_LOCKED',
      `This account is locked after too many failed sign-ins. Try again in ${minutes} minute(s), or ask IT to reset the password.`,
    );
  }
  if (!(await verifyPassword(user.passwordHash, attempt.password))) {
    await recordFailure(db, user.userId, now);
    throw invalidCredentials();
  }
  if (user.disabled) {
    throw new IdentityError('ACCOUNT_DISABLED', 'This account is disabled. Ask IT if you should have access.', 403);
  }
  if (user.mfaRequired) await checkSecondFactor(db, user, attempt.totp, now);
  if (!user.wards.includes(deviceWard)) {
    throw new IdentityError(
      'WARD_NOT_ASSIGNED',
      'Your account is not assigned to the ward of this workstation. Ask IT to add the ward to your account.',
      403,
    );
  }
  await recordSuccess(db, user, attempt.password, now);
  return user;
}

async function checkSecondFactor(db: SqlDatabase, user: UserRecord, code: string | undefined, now: Date): Promise<void> {
  if (code === undefined) {
    throw new IdentityError('MFA_REQUIRED', 'Enter the 6-digit code from your authenticator app.');
  }
  const secret = openTotpSecret(db, user);
  const step = secret === null ? null : matchedTotpStep(secret, code, now);
  if (step === null) {
    await recordFailure(db, user.userId, now);
    throw new IdentityError('MFA_INVALID', 'The 6-digit code is wrong or too old. Enter the code your authenticator app shows now.');
  }
  // Consumes the code's time step: the same code (or an older one) cannot be used again.
  const consumed = await db.execute(
    `UPDATE identity_users SET totp_last_step = $1
     WHERE user_id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)`,
    [step, user.userId],
  );
  if (consumed.changes === 0) {
    await recordFailure(db, user.userId, now);
    throw new IdentityError('MFA_INVALID', 'This code was already used. Wait for the next code in your authenticator app.');
  }
}

async function recordFailure(db: SqlDatabase, userId: string, now: Date): Promise<void> {
  await db.execute(
    `UPDATE identity_users SET
       failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END
     WHERE user_id = $1`,
    [userId, MAX_FAILED_LOGINS, now.getTime() + LOCKOUT_MINUTES * 60_000],
  );
}

async function recordSuccess(db: SqlDatabase, user: UserRecord, password: string, now: Date): Promise<void> {
  await db.execute('UPDATE identity_users SET failed_logins = 0, locked_until = NULL WHERE user_id = $1', [user.userId]);
  if (needsRehash(user.passwordHash)) {
    // Same password, stronger parameters: the credential stamp stays, so offline verifiers stay valid.
    await db.execute('UPDATE identity_users SET password_hash = $1, updated_at = $2 WHERE user_id = $3', [
      await hashPassword(password),
      now.getTime(),
      user.userId,
    ]);
  }
}

function invalidCredentials(): IdentityError {
  return new IdentityError('INVALID_CREDENTIALS', 'The username or password is wrong.');
}
