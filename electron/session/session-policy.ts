// The session settings a hospital's IT sets in the machine-wide policy, with their defaults and
// the checks that refuse a nonsensical value (the policy room hands the parsed values in).
import { SessionError } from './session-error.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface SessionPolicy {
  /** An active session with no activity for this long locks. */
  readonly idleTimeoutMs: number;
  /** A session ends this long after its sign-in, active or locked, whatever the activity. */
  readonly absoluteLimitMs: number;
  /** At most this many locked sessions wait on the lock screen; locking one more signs out the oldest. */
  readonly maxLockedSessions: number;
  /** A session locked this long is signed out ("timeout"); null: it waits until its absolute limit. */
  readonly lockedSessionTimeoutMs: number | null;
  /** An offline verifier works this long after the user's last online sign-in here. */
  readonly offlineGraceMs: number;
  /** Whether a user may sign in with an offline verifier when the hub cannot be reached. */
  readonly allowOfflineSignIn: boolean;
  /** A break-the-glass grant lasts this long. */
  readonly breakTheGlassMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = Object.freeze({
  idleTimeoutMs: 5 * MINUTE,
  absoluteLimitMs: 12 * HOUR,
  maxLockedSessions: 4,
  lockedSessionTimeoutMs: null,
  offlineGraceMs: 72 * HOUR,
  allowOfflineSignIn: true,
  breakTheGlassMs: 30 * MINUTE,
});

/** The defaults with `overrides` applied; refuses values that would make a session unsafe or unusable. */
export function resolveSessionPolicy(overrides: Partial<SessionPolicy> = {}): SessionPolicy {
  const policy: SessionPolicy = { ...DEFAULT_SESSION_POLICY, ...overrides };
  requireDuration('idleTimeoutMs', policy.idleTimeoutMs, 10_000, 24 * HOUR);
  requireDuration('absoluteLimitMs', policy.absoluteLimitMs, MINUTE, 7 * 24 * HOUR);
  requireDuration('offlineGraceMs', policy.offlineGraceMs, 0, 30 * 24 * HOUR);
  requireDuration('breakTheGlassMs', policy.breakTheGlassMs, MINUTE, 24 * HOUR);
  if (policy.lockedSessionTimeoutMs !== null)
    requireDuration('lockedSessionTimeoutMs', policy.lockedSessionTimeoutMs, MINUTE, 7 * 24 * HOUR);
  if (!Number.isInteger(policy.maxLockedSessions) || policy.maxLockedSessions < 0 || policy.maxLockedSessions > 32) {
    throw invalid('maxLockedSessions', 'a whole number from 0 to 32');
  }
  if (typeof policy.allowOfflineSignIn !== 'boolean') throw invalid('allowOfflineSignIn', 'true or false');
  return Object.freeze(policy);
}

function requireDuration(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(name, `between ${min} and ${max} ms`);
  }
}

function invalid(name: string, expected: string): SessionError {
  return new SessionError(
    'INVALID_POLICY',
    `The session policy setting "${name}" must be ${expected}. Ask IT to correct the workstation policy.`,
  );
}
