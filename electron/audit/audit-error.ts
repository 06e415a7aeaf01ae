// The audit room's one error class: a stable code and a message IT (or the nurse in front of the
// screen) can act on. Never patient data, never the content of an audit entry.
import { WardlineError } from '../../shared/errors/index.js';

export type AuditErrorCode =
  /** The OS keystore did not answer or refused: the audit log cannot be opened or created. */
  | 'KEYSTORE_UNAVAILABLE'
  /** The audit log exists but its key is gone from the keystore. */
  | 'KEY_MISSING'
  /** The file does not decrypt, or is damaged. */
  | 'CORRUPT'
  /** A newer Wardline wrote this audit log. */
  | 'SCHEMA_TOO_NEW'
  | 'MIGRATION_FAILED'
  /** There is no audit log in this data directory (and none was to be created). */
  | 'NOT_FOUND'
  /** An entry could not be committed: the read it records must not be shown. */
  | 'RECORD_FAILED'
  /** An entry handed to the log is malformed (a Wardline defect). */
  | 'INVALID_ENTRY'
  /** The hub could not be reached or refused the upload as a whole; entries stay queued. */
  | 'UPLOAD_FAILED'
  /** The entries were sent, but the signed chain head did not reach the hub or was refused; it goes again at the next upload. */
  | 'CHECKPOINT_FAILED'
  /** An export or view request is malformed (e.g. an unreadable date). */
  | 'INVALID_REQUEST'
  /** Changing the audit trail's key failed (it keeps its previous key, or finishes the change at the next open). */
  | 'REKEY_FAILED'
  | 'CLOSED';

export class AuditError extends WardlineError<AuditErrorCode> {
  override readonly name = 'AuditError';

  constructor(code: AuditErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

export function isAuditError(error: unknown, code?: AuditErrorCode): error is AuditError {
  return error instanceof AuditError && (code === undefined || error.code === code);
}
