// The audit view's filters (patient id, user id, from, to as typed) turned into an audit:view
// request, with a plain message for a filter the host would refuse.
import { ID_PATTERN } from '../../../../shared/fhir/index.js';
import { fromLocalInputValue } from '../../../../shared/display/index.js';

export interface AuditFilters {
  readonly patientId: string;
  readonly userId: string;
  /** datetime-local values ("" when not set). */
  readonly from: string;
  readonly to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { patientId: '', userId: '', from: '', to: '' };

/** How many entries one page asks for. */
export const AUDIT_PAGE_SIZE = 100;

export interface AuditRequest {
  patientId?: string;
  userId?: string;
  from?: string;
  to?: string;
  afterSequence?: number;
  limit: number;
}

export type AuditQueryCheck =
  | { readonly ok: true; readonly request: AuditRequest }
  | { readonly ok: false; readonly errors: Partial<Record<keyof AuditFilters, string>> };

export function auditRequest(filters: AuditFilters, afterSequence?: number): AuditQueryCheck {
  const errors: Partial<Record<keyof AuditFilters, string>> = {};
  const request: AuditRequest = { limit: AUDIT_PAGE_SIZE };
  const patientId = filters.patientId.trim();
  if (patientId.length > 0) {
    if (ID_PATTERN.test(patientId)) request.patientId = patientId;
    else errors.patientId = 'A patient id is 1 to 64 letters, digits, "-" or "." (not a name or MRN).';
  }
  const userId = filters.userId.trim();
  if (userId.length > 128) errors.userId = 'A user id is at most 128 characters.';
  else if (userId.length > 0) request.userId = userId;
  const from = filters.from.trim().length > 0 ? fromLocalInputValue(filters.from) : null;
  const to = filters.to.trim().length > 0 ? fromLocalInputValue(filters.to) : null;
  if (filters.from.trim().length > 0 && from === null) errors.from = 'Enter a complete date and time.';
  if (filters.to.trim().length > 0 && to === null) errors.to = 'Enter a complete date and time.';
  if (from !== null) request.from = from.toISOString();
  if (to !== null) request.to = to.toISOString();
  if (from !== null && to !== null && from.getTime() > to.getTime()) errors.to = '"To" must be after "From".';
  if (afterSequence !== undefined) request.afterSequence = afterSequence;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, request };
}
