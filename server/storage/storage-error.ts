// The storage room's one error class: a stable code and a message IT can act on, never data.
import { WardlineError } from '../../shared/errors/index.js';

export type StorageErrorCode =
  | 'DATABASE_UNAVAILABLE'
  | 'MIGRATION_FAILED'
  | 'TRANSACTION_CONFLICT'
  | 'TRANSACTION_FINISHED'
  | 'INVALID_DATABASE_OPTIONS'
  | 'WRONG_KEY'
  | 'UNENCRYPTED_DATABASE'
  | 'SECRET_KEY_MISSING'
  | 'SECRET_UNREADABLE';

export class StorageError extends WardlineError<StorageErrorCode> {
  override readonly name = 'StorageError';
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
