// The second factor of an offline sign-in: the 6-digit code checked here, with otplib and the
// shared TOTP rule, against the secret the hub handed over at this user's last online sign-in with
// a code on this workstation (kept in the encrypted vault). Each time step's code is accepted once
// per running host, as at the hub.
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

/** The last time step each user's code was accepted at (offline), so a code is not used twice. */
export class UsedTotpSteps {
  readonly #last = new Map<string, number>();

  /** True (and remembered) when `step` is newer than this user's last accepted step. */
  consume(userId: string, step: number): boolean {
    const last = this.#last.get(userId);
    if (last !== undefined && step <= last) return false;
    this.#last.set(userId, step);
    return true;
  }
}
