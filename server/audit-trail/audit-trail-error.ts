// The trail view's one error class: a stable code, the HTTP status, and a message the privacy
// officer or IT can act on. Never the content of the trail.
import { WardlineError } from '../../shared/errors/index.js';

export type AuditTrailErrorCode = 'FORBIDDEN' | 'INSUFFICIENT_SCOPE' | 'INVALID_SEARCH';

export class AuditTrailError extends WardlineError<AuditTrailErrorCode> {
  override readonly name = 'AuditTrailError';
  constructor(
    code: AuditTrailErrorCode,
    message: string,
    readonly httpStatus: number = 400,
  ) {
    super(code, message);
  }
}
