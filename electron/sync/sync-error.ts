// The sync room's one error class: a stable code and a message a nurse or IT can act on. Never
// patient data; hub messages are not copied in (only the hub's stable error code, when it gave one).
import type { HubCurrentVersion } from '../../shared/auth/index.js';
import { WardlineError } from '../../shared/errors/index.js';

export type SyncErrorCode =
  | 'NOT_ENROLLED'
  | 'ALREADY_ENROLLED'
  | 'INVALID_ENROLLMENT'
  | 'ENROLLMENT_REFUSED'
  | 'DEVICE_KEY_MISSING'
  | 'PIN_MISMATCH'
  | 'TLS_FAILED'
  | 'HUB_UNREACHABLE'
  | 'CONNECTION_LOST'
  | 'TIMEOUT'
  | 'HUB_ERROR'
  /** The hub's answer is not JSON (cut off, garbled on the way): retried like a network error. */
  | 'HUB_ANSWER_INVALID'
  /**
   * The hub's answer is JSON of the wrong shape (a Bundle this workstation cannot read: hub and
   * workstation versions that do not match, a defect): not a network error, so not retried at once.
   * Sync shows itself stopped, logs it at warning, and tries again on its backoff.
   */
  | 'HUB_ANSWER_MALFORMED'
  | 'RATE_LIMITED'
  | 'DEVICE_REVOKED'
  | 'DEVICE_UNKNOWN'
  | 'AUTH_FAILED'
  | 'REQUEST_REFUSED'
  | 'SYNC_BUSY'
  /** The data folder's sync lock cannot be written or read (a folder replaced, removed or made read-only). */
  | 'DATA_FOLDER_UNAVAILABLE'
  | 'SYNC_CLOSED'
  /** The watchdog found sync stopped and aborted what was on the wire to restart the loop. */
  | 'SYNC_STOPPED'
  | 'INVALID_DOCUMENTATION'
  | 'PATIENT_NOT_CACHED'
  | 'RESOURCE_NOT_CACHED'
  | 'RECORD_CHANGED'
  | 'ORDER_NOT_ACTIVE'
  | 'PATIENT_NOT_CONFIRMED'
  | 'DOSE_OVER_LIMIT'
  | 'DOSE_MISSING'
  | 'DOSE_UNIT_MISMATCH'
  | 'DOSE_BEYOND_FREQUENCY'
  | 'PRN_TOO_SOON'
  | 'REASON_REQUIRED'
  | 'CONFLICT_NOT_FOUND'
  | 'COMBINATION_MISMATCH'
  /** A settlement would bring back a record the hub holds withdrawn as entered in error. */
  | 'RETRACTED_RECORD'
  /** A settlement would name as who did it someone other than the user who settles. */
  | 'PERFORMER_NOT_RECORDER';

export class SyncError extends WardlineError<SyncErrorCode> {
  override readonly name = 'SyncError';
  /** The hub's stable error code (OperationOutcome), when the hub gave one. */
  readonly hubCode: string | undefined;
  /** The HTTP status the hub answered with, when it answered. */
  readonly status: number | undefined;
  /** On a 412: the version the hub holds now of the resource it named, when it named one. */
  readonly currentVersion: HubCurrentVersion | undefined;

  constructor(
    code: SyncErrorCode,
    message: string,
    options: { cause?: unknown; hubCode?: string; status?: number; currentVersion?: HubCurrentVersion } = {},
  ) {
    super(code, message, options);
    this.hubCode = options.hubCode;
    this.status = options.status;
    this.currentVersion = options.currentVersion;
  }
}

export function isSyncError(error: unknown, code?: SyncErrorCode): error is SyncError {
  return error instanceof SyncError && (code === undefined || error.code === code);
}

/** Errors that will not go away by retrying: the sync stops and says so. */
export function isRefusal(error: unknown): boolean {
  return (
    error instanceof SyncError &&
    ['PIN_MISMATCH', 'DEVICE_REVOKED', 'DEVICE_UNKNOWN', 'AUTH_FAILED', 'NOT_ENROLLED', 'DEVICE_KEY_MISSING'].includes(error.code)
  );
}
