// The policy room's one error class: a machine policy or signature that cannot be trusted, a key
// that cannot be read. Messages say what IT must fix; Wardline refuses to start on any of them.
import { WardlineError } from '../../shared/errors/index.js';

export type PolicyErrorCode =
  | 'POLICY_MISSING'
  | 'POLICY_UNREADABLE'
  | 'POLICY_NOT_SIGNED'
  | 'POLICY_UNTRUSTED_KEY'
  | 'POLICY_SIGNATURE_INVALID'
  | 'POLICY_INVALID'
  | 'POLICY_ROLLBACK'
  | 'NO_TRUSTED_KEYS'
  | 'KEY_INVALID'
  | 'ENROLLMENT_TOKEN_UNREADABLE';

export class PolicyError extends WardlineError<PolicyErrorCode> {
  override readonly name = 'PolicyError';

  constructor(code: PolicyErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export function isPolicyError(error: unknown): error is PolicyError {
  return error instanceof PolicyError;
}
