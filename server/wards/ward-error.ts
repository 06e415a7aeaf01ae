// The wards room's error: a stable code and one line telling IT what to do.
import { WardlineError } from '../../shared/errors/index.js';

export type WardErrorCode = 'WARD_CODE_INVALID' | 'WARD_NAME_INVALID' | 'WARD_NOT_A_WARD';

export class WardError extends WardlineError<WardErrorCode> {
  override readonly name = 'WardError';
  constructor(code: WardErrorCode, message: string) {
    super(code, message);
  }
}
