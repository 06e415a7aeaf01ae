// The sessions room's one error class. Every refusal (sign-in, unlock, PIN, guard, break-the-glass)
// is a SessionError with a stable code and a message a nurse or IT can act on; never patient data.
import { WardlineError } from '../../shared/errors/index.js';

export type SessionErrorCode =
  // the guard on every host API
  | 'NOT_SIGNED_IN'
  | 'LOCKED'
  | 'FORBIDDEN'
  | 'OUT_OF_SCOPE'
  | 'BTG_REQUIRED'
  // sign-in
  | 'BAD_CREDENTIALS'
  | 'OFFLINE_UNKNOWN_USER'
  | 'OFFLINE_EXPIRED'
  | 'OFFLINE_NOT_ALLOWED'
  | 'OFFLINE_HUB_REACHABLE'
  | 'OFFLINE_TOTP_UNAVAILABLE'
  | 'HUB_UNREACHABLE'
  | 'HUB_ANSWER_INVALID'
  | 'HUB_REFUSED'
  | 'TOTP_REQUIRED'
  | 'TOTP_INVALID'
  | 'ACCOUNT_LOCKED'
  | 'ACCOUNT_DISABLED'
  | 'WARD_NOT_ASSIGNED'
  // unlock and PIN
  | 'NO_LOCKED_SESSION'
  | 'PIN_NOT_SET'
  | 'PIN_INVALID'
  | 'WRONG_PIN'
  | 'PIN_LOCKED_OUT'
  | 'REAUTH_REQUIRED'
  // break-the-glass, stamps, policy, lifecycle
  | 'BTG_REASON_INVALID'
  | 'STAMPS_WRONG_WARD'
  | 'INVALID_POLICY'
  | 'CLOSED';

export class SessionError extends WardlineError<SessionErrorCode> {
  override readonly name = 'SessionError';

  constructor(code: SessionErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** True when `error` is a SessionError, optionally with the given code. */
export function isSessionError(error: unknown, code?: SessionErrorCode): error is SessionError {
  return error instanceof SessionError && (code === undefined || error.code === code);
}
