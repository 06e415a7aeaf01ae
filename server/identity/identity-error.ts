// The identity room's one error class: a stable code (shared/auth IDENTITY_ERROR_CODES), an HTTP
// status, and a message an IT person or a nurse can act on. Never a password, token or code.
import type { IdentityErrorCode } from '../../shared/auth/index.js';
import { WardlineError } from '../../shared/errors/index.js';

export class IdentityError extends WardlineError<IdentityErrorCode> {
  override readonly name = 'IdentityError';
  constructor(
    code: IdentityErrorCode,
    message: string,
    /** The HTTP status the hub answers with when this error ends a request. */
    readonly httpStatus: number = 401,
  ) {
    super(code, message);
  }
}
