// The audit view for the privacy role (the role shared/access allows 'audit:view'): entries by
// patient, user and time range, newest first, a page at a time, read only after the session guard
// allows 'audit:view', and exported from the same filters. Looking at a patient's audit history is
// itself an access to that patient, so every view and export is recorded first, with the patients
// it was filtered on (as ids: never the MRN or name typed).
import { AUDIT_REVIEW_PURPOSE } from '../../shared/fhir/index.js';
import { guard, type GuardedSessions, type UserContext } from '../session/index.js';
import type { AuditDetail, AuditEntry, NewAuditEntry } from './audit-entry.js';
import { AuditError } from './audit-error.js';
import type { AuditLog, AuditQuery } from './audit-log.js';

/** What the view is filtered on, as ids: the host resolves usernames, MRNs and names before. */
export interface AuditViewFilter {
  readonly patientId?: string;
  readonly userId?: string;
  /** The patients an MRN or a name designates (an empty list: none, so nothing matches). */
  readonly patients?: readonly string[];
  /** The users a username designates (an empty list: none is known here). */
  readonly users?: readonly string[];
  /** A username (normalised): its failed sign-ins are shown with the user's entries. */
  readonly usernameTried?: string;
  /** ISO 8601 date-times, inclusive. */
  readonly from?: string;
  readonly to?: string;
}

export interface AuditViewRequest extends AuditViewFilter {
  /** Only entries before this sequence: the next page, newest first. */
  readonly beforeSequence?: number;
  readonly limit?: number;
}

export interface AuditViewPage {
  /** Newest first. */
  readonly entries: readonly AuditEntry[];
  /** Pass as beforeSequence for the next page; null when this was the last. */
  readonly nextBeforeSequence: number | null;
}

/** Entries read per query while an export walks the filter's entries. */
const EXPORT_CHUNK = 1000;

function instant(value: string | undefined, which: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AuditError('INVALID_REQUEST', `The ${which} of the audit view is not a valid date and time.`);
  return ms;
}

function queryOf(filter: AuditViewFilter): AuditQuery {
  return {
    ...(filter.patientId === undefined ? {} : { patient: filter.patientId }),
    ...(filter.userId === undefined ? {} : { user: filter.userId }),
    ...(filter.patients === undefined ? {} : { patients: filter.patients }),
    ...(filter.users === undefined ? {} : { users: filter.users }),
    ...(filter.usernameTried === undefined ? {} : { usernameTried: filter.usernameTried }),
    ...(filter.from === undefined ? {} : { fromMs: instant(filter.from, 'start') }),
    ...(filter.to === undefined ? {} : { toMs: instant(filter.to, 'end') }),
    newestFirst: true,
  };
}

/** The patients a filter names, each once. */
function patientsOf(filter: AuditViewFilter): string[] {
  return [...new Set([...(filter.patientId === undefined ? [] : [filter.patientId]), ...(filter.patients ?? [])])];
}

/** One entry per patient filtered on (the review of that patient's accesses), or one without a patient. */
function reviewEntries(
  user: UserContext,
  action: 'audit-view' | 'audit-export',
  filter: AuditViewFilter,
  detail: AuditDetail,
): NewAuditEntry[] {
  const filtered: AuditDetail = {
    ...detail,
    ...(filter.userId === undefined ? {} : { filterUser: filter.userId }),
    ...(filter.users === undefined ? {} : { filterUsers: filter.users.join(' ') }),
    ...(filter.usernameTried === undefined ? {} : { filterUsername: true }),
    ...(filter.patients === undefined ? {} : { patientsFound: filter.patients.length }),
    ...(filter.from === undefined ? {} : { from: filter.from }),
    ...(filter.to === undefined ? {} : { to: filter.to }),
  };
  const patients = patientsOf(filter);
  const base = { action, user: user.userId, session: user.sessionId, detail: filtered };
  if (patients.length === 0) return [{ ...base, patient: null, purposeOfUse: null }];
  // HL7 v3 ActReason HCOMPL (health compliance): reviewing who accessed a chart.
  return patients.map((patient) => ({ ...base, patient, purposeOfUse: AUDIT_REVIEW_PURPOSE }));
}

/** Answers one page of the audit view (newest first) for the signed-in privacy officer. */
export function viewAuditTrail(sessions: GuardedSessions, log: AuditLog, request: AuditViewRequest): AuditViewPage {
  const user = guard(sessions, { action: 'audit:view' });
  const limit = Math.max(1, Math.min(1000, Math.trunc(request.limit ?? 200)));
  const found = log.find({
    ...queryOf(request),
    ...(request.beforeSequence === undefined ? {} : { beforeSequence: request.beforeSequence }),
    limit: limit + 1,
  });
  const entries = found.slice(0, limit);
  log.recordAll(reviewEntries(user, 'audit-view', request, { entries: entries.length }));
  return { entries, nextBeforeSequence: found.length > limit ? entries[entries.length - 1]!.sequence : null };
}

/**
 * Starts an export of what the filter selects, for the signed-in privacy officer: records the
 * export (`audit-export`, before anything is written) and returns the entries, newest first, read
 * lazily a chunk at a time.
 */
export function exportAuditView(
  sessions: GuardedSessions,
  log: AuditLog,
  filter: AuditViewFilter,
  detail: AuditDetail,
): IterableIterator<AuditEntry> {
  const user = guard(sessions, { action: 'audit:view' });
  const query = queryOf(filter);
  // What the filter selects when the export is asked for: its own entries are left out.
  const through = log.head().sequence + 1;
  log.recordAll(reviewEntries(user, 'audit-export', filter, { by: 'view', ...detail }));
  return (function* walk(): Generator<AuditEntry> {
    let before = through;
    for (;;) {
      const chunk = log.find({ ...query, beforeSequence: before, limit: EXPORT_CHUNK });
      yield* chunk;
      if (chunk.length < EXPORT_CHUNK) return;
      before = chunk[chunk.length - 1]!.sequence;
    }
  })();
}
