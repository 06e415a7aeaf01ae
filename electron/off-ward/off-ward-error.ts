// Why an off-ward chart could not be opened by break-the-glass: no hub (not enrolled), the hub out
// of reach or refusing, the user's hub sign-in no longer accepted, no such patient or more than
// one, a patient of this ward, or a chart that failed validation.
import { WardlineError } from '../../shared/errors/index.js';

export type OffWardErrorCode =
  | 'NOT_ENROLLED'
  | 'HUB_UNREACHABLE'
  | 'HUB_SIGN_IN_REQUIRED'
  | 'HUB_REFUSED'
  | 'PATIENT_NOT_FOUND'
  | 'PATIENT_AMBIGUOUS'
  | 'PATIENT_ON_WARD'
  | 'CHART_INVALID';

export class OffWardError extends WardlineError<OffWardErrorCode> {
  override readonly name = 'OffWardError';

  constructor(code: OffWardErrorCode, message: string) {
    super(code, message);
  }
}
