// The storage room's one error class: a stable code and a message IT can act on, never data.

export type StorageErrorCode =
  'DATABASE_UNAVAILABLE' | 'MIGRATION_FAILED' | 'TRANSACTION_CONFLICT' | 'TRANSACTION_FINISHED' | 'INVALID_DATABASE_OPTIONS';

export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
