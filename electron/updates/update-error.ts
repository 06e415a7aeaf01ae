// The updates room's one error class: an update refused (before anything was downloaded, or
// before a download is installed), or an update server that could not be asked.
import { WardlineError } from '../../shared/errors/index.js';

export type UpdateErrorCode =
  | 'MANIFEST_UNAVAILABLE'
  | 'MANIFEST_NOT_SIGNED'
  | 'MANIFEST_UNTRUSTED_KEY'
  | 'MANIFEST_SIGNATURE_INVALID'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_EXPIRED'
  | 'MANIFEST_REPLAYED'
  | 'WRONG_CHANNEL'
  | 'DOWNGRADE'
  | 'NO_TRUSTED_KEYS'
  | 'UPDATE_MISMATCH'
  | 'VERSION_INVALID';

export class UpdateError extends WardlineError<UpdateErrorCode> {
  override readonly name = 'UpdateError';

  constructor(code: UpdateErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export function isUpdateError(error: unknown): error is UpdateError {
  return error instanceof UpdateError;
}
