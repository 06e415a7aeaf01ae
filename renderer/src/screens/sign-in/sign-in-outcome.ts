// What a sign-in answer means for the screen: whether the hub was reached, whether the second
// (6-digit code) step is needed, and a short title above the host's own message.
import type { SignInResultData } from './sign-in-types.js';

export type Reachability = 'reachable' | 'unreachable' | 'unknown';

/**
 * Codes answered only after the hub itself answered. Not the 6-digit code's (TOTP_REQUIRED,
 * TOTP_INVALID): the host asks for and checks the code offline too, when the hub cannot be reached.
 */
const FROM_THE_HUB = new Set([
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'WARD_NOT_ASSIGNED',
  'HUB_REFUSED',
  'HUB_ANSWER_INVALID',
  'OFFLINE_HUB_REACHABLE',
]);
/** Codes of the offline fallback the host takes when the hub cannot be reached. */
const OFFLINE_FALLBACK = new Set(['OFFLINE_UNKNOWN_USER', 'OFFLINE_EXPIRED']);

export function reachabilityAfterSuccess(result: Pick<SignInResultData, 'mode' | 'hubUnreachable'>): Reachability {
  if (result.hubUnreachable) return 'unreachable';
  return result.mode === 'online' ? 'reachable' : 'unknown';
}

/** A refused sign-in: what it says about the hub. A wrong password says nothing (the offline check answers the same). */
export function reachabilityAfterFailure(code: string, offlineAttempt: boolean): Reachability {
  if (code === 'OFFLINE_HUB_REACHABLE') return 'reachable';
  if (offlineAttempt) return 'unknown';
  if (code === 'HUB_UNREACHABLE' || OFFLINE_FALLBACK.has(code)) return 'unreachable';
  if (FROM_THE_HUB.has(code)) return 'reachable';
  return 'unknown';
}

/** True when the host wants the 6-digit code (first asked, or a wrong one). */
export function needsTotpStep(code: string): boolean {
  return code === 'TOTP_REQUIRED' || code === 'TOTP_INVALID';
}

const TITLES: Readonly<Record<string, string>> = {
  BAD_CREDENTIALS: 'Wrong username or password',
  TOTP_INVALID: 'Wrong code',
  OFFLINE_UNKNOWN_USER: 'Offline sign-in is not possible for this account',
  OFFLINE_EXPIRED: 'Offline sign-in has expired for this account',
  OFFLINE_NOT_ALLOWED: 'Offline sign-in is not allowed on this workstation',
  OFFLINE_HUB_REACHABLE: 'The hub can be reached: sign in online',
  OFFLINE_TOTP_UNAVAILABLE: 'Your code cannot be checked offline yet',
  HUB_UNREACHABLE: 'The hub cannot be reached',
  ACCOUNT_LOCKED: 'Account locked',
  ACCOUNT_DISABLED: 'Account disabled',
  WARD_NOT_ASSIGNED: 'Not assigned to this ward',
  WRONG_PIN: 'Wrong PIN',
  PIN_LOCKED_OUT: 'Too many wrong PINs',
  PIN_NOT_SET: 'No PIN set',
  NO_HOST: 'Not connected',
};

/** A short title for a refusal; the host's message (safe to show) goes below it. */
export function failureTitle(code: string): string {
  return TITLES[code] ?? 'Sign-in did not work';
}

/** The hub's state in words, for the line under the sign-in form. */
export function reachabilityWords(reachability: Reachability): string | null {
  switch (reachability) {
    case 'reachable':
      return 'Hub reachable: online sign-in.';
    case 'unreachable':
      return 'Hub unreachable: offline sign-in only (for accounts that signed in here recently).';
    case 'unknown':
      return null;
  }
}
