// The audit view for the admin and privacy roles: entries by patient, user and time range, read
// only after the session guard allows 'audit:view'. Looking at a patient's audit history is itself
// an access to that patient, so every view is recorded (with the patient it was filtered on).
import { guard, type GuardedSessions } from '../session/index.js';
import type { AuditEntry } from './audit-entry.js';
import { AuditError } from './audit-error.js';
import type { AuditLog, AuditQuery } from './audit-log.js';

export interface AuditViewRequest {
  readonly patientId?: string;
  readonly userId?: string;
  /** ISO 8601 date-times, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly afterSequence?: number;
  readonly limit?: number;
}

export interface AuditViewPage {
  readonly entries: readonly AuditEntry[];
  /** Pass as afterSequence for the next page; null when this was the last. */
  readonly nextAfterSequence: number | null;
}

function instant(value: string | undefined, which: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AuditError('INVALID_REQUEST', `The ${which} of the audit view is not a valid date and time.`);
  return ms;
}

/** Answers one page of the audit view for the signed-in admin or privacy officer. */
export function viewAuditTrail(sessions: GuardedSessions, log: AuditLog, request: AuditViewRequest): AuditViewPage {
  const user = guard(sessions, { action: 'audit:view' });
  const limit = Math.max(1, Math.min(1000, Math.trunc(request.limit ?? 200)));
  const query: AuditQuery = {
    ...(request.patientId === undefined ? {} : { patient: request.patientId }),
    ...(request.userId === undefined ? {} : { user: request.userId }),
    ...(request.from === undefined ? {} : { fromMs: instant(request.from, 'start') }),
    ...(request.to === undefined ? {} : { toMs: instant(request.to, 'end') }),
    ...(request.afterSequence === undefined ? {} : { afterSequence: request.afterSequence }),
    limit: limit + 1,
  };
  const found = log.find(query);
  const entries = found.slice(0, limit);
  log.record({
    action: 'audit-view',
    user: user.userId,
    session: user.sessionId,
    patient: request.patientId ?? null,
    // HL7 v3 ActReason HCOMPL (health compliance): reviewing who accessed a chart.
    purposeOfUse: request.patientId === undefined ? null : 'HCOMPL',
    detail: {
      ...(request.userId === undefined ? {} : { filterUser: request.userId }),
      ...(request.from === undefined ? {} : { from: request.from }),
      ...(request.to === undefined ? {} : { to: request.to }),
      entries: entries.length,
    },
  });
  return { entries, nextAfterSequence: found.length > limit ? entries[entries.length - 1]!.sequence : null };
}
