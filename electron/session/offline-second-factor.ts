// The second factor of an offline sign-in: the 6-digit code checked here, with otplib and the
// shared TOTP rule, against the secret the hub handed over at this user's last online sign-in with
// a code on this workstation (kept in the encrypted vault). Each time step's code is accepted once
// on this workstation, as at the hub: the last accepted step is kept with the user's credentials
// (durably, in the vault), and a code of that step or an earlier one is refused, even after a restart.
import { authenticator } from 'otplib';
import { TOTP_CODE_PATTERN, TOTP_STEP_SECONDS, TOTP_WINDOW_STEPS } from '../../shared/auth/index.js';

/** The time step `code` belongs to at `nowMs` (± the window), or null when it is wrong. */
export function matchedTotpStep(secret: string, code: string, nowMs: number): number | null {
  if (!TOTP_CODE_PATTERN.test(code)) return null;
  const checker = authenticator.clone({ epoch: nowMs, step: TOTP_STEP_SECONDS, window: TOTP_WINDOW_STEPS });
  let delta: number | null;
  try {
    delta = checker.checkDelta(code, secret);
  } catch {
    return null;
  }
  return delta === null ? null : Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS) + delta;
}

/** True when `step` is later than the last step accepted for this user here (none yet: any step). */
export function isFreshTotpStep(lastStep: number | null, step: number): boolean {
  return lastStep === null || step > lastStep;
}
