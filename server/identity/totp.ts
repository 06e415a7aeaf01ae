// Time-based one-time codes (the shared TOTP rule, shared/auth/totp-rule.ts) for accounts that require a
// second factor, using otplib's authenticator. A code is accepted one step early or late (clock
// drift); the step it matched is returned so the caller can refuse the same code twice.
import { authenticator } from 'otplib';
import { TOTP_STEP_SECONDS as STEP_SECONDS, TOTP_WINDOW_STEPS as WINDOW_STEPS } from '../../shared/auth/index.js';

export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

/** The otpauth:// URL an authenticator app scans (as a QR code) to enrol the secret. */
export function totpEnrolmentUrl(username: string, secret: string): string {
  return authenticator.keyuri(username, 'Wardline', secret);
}

/** The time step the code belongs to, or null when it is wrong at `now` (± one step). */
export function matchedTotpStep(secret: string, code: string, now: Date): number | null {
  const checker = authenticator.clone({ epoch: now.getTime(), step: STEP_SECONDS, window: WINDOW_STEPS });
  let delta: number | null;
  try {
    delta = checker.checkDelta(code, secret);
  } catch {
    return null;
  }
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / STEP_SECONDS) + delta;
}

/** The current code for `secret` (what an authenticator app shows), for tests and the demo. */
export function currentTotpCode(secret: string, now: Date): string {
  return authenticator.clone({ epoch: now.getTime(), step: STEP_SECONDS }).generate(secret);
}
