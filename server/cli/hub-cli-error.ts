// The CLI room's error: a stable code and one line telling the operator what to do.
import { WardlineError } from '../../shared/errors/index.js';

export type HubCliErrorCode =
  | 'USAGE'
  | 'PASSWORD_MISSING'
  | 'PASSWORD_MISMATCH'
  | 'PORT_IN_USE'
  | 'DATA_DIR_UNUSABLE'
  | 'KEY_MISSING'
  | 'KEY_EXISTS'
  | 'KEY_INVALID'
  | 'KEY_FILE_UNSAFE'
  | 'KEY_UNAVAILABLE'
  | 'WARD_NOT_SERVED';

export class HubCliError extends WardlineError<HubCliErrorCode> {
  override readonly name = 'HubCliError';
  constructor(code: HubCliErrorCode, message: string) {
    super(code, message);
  }
}
