// The vault's one error class. Every failure of the chart cache surfaces as a VaultError with a
// stable code and a message an IT person or a nurse can act on; messages never carry patient data.
import { WardlineError } from '../../shared/errors/index.js';

export type VaultErrorCode =
  | 'KEYSTORE_UNAVAILABLE'
  | 'KEY_MISSING'
  | 'WRONG_KEY_OR_CORRUPT'
  | 'CORRUPT'
  | 'INTEGRITY_UNCHECKED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'SCHEMA_TOO_NEW'
  | 'MIGRATION_FAILED'
  | 'INVALID_RESOURCE'
  | 'INVALID_QUERY'
  | 'REKEY_FAILED'
  | 'WIPE_INCOMPLETE'
  | 'CLOSED';

export class VaultError extends WardlineError<VaultErrorCode> {
  override readonly name = 'VaultError';
  /** For INVALID_RESOURCE: the field path that failed validation (a FHIR path, never a value). */
  readonly path: string | undefined;

  constructor(code: VaultErrorCode, message: string, options: { cause?: unknown; path?: string } = {}) {
    super(code, message, options);
    this.path = options.path;
  }
}

/** True when `error` is a VaultError, optionally with the given code. */
export function isVaultError(error: unknown, code?: VaultErrorCode): error is VaultError {
  return error instanceof VaultError && (code === undefined || error.code === code);
}
