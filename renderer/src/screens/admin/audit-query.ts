// The audit view's filters (username, patient MRN or name, from, to as typed) turned into an
// audit:view request (the next page continues before the last entry shown, newest first) or an
// audit:export request, with a plain message for a filter the host would refuse.
import { fromLocalInputValue } from '../../../../shared/display/index.js';

export interface AuditFilters {
  readonly username: string;
  /** An MRN, or words of the patient's name. */
  readonly patient: string;
  /** datetime-local values ("" when not set). */
  readonly from: string;
  readonly to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { username: '', patient: '', from: '', to: '' };

/** How many entries one page asks for. */
export const AUDIT_PAGE_SIZE = 100;

/** The filters as the host takes them (audit:export takes exactly these). */
export interface AuditFilterRequest {
  username?: string;
  patient?: string;
  from?: string;
  to?: string;
}

export interface AuditRequest extends AuditFilterRequest {
  beforeSequence?: number;
  limit: number;
}

export type AuditFilterCheck =
  | { readonly ok: true; readonly filter: AuditFilterRequest }
  | { readonly ok: false; readonly errors: Partial<Record<keyof AuditFilters, string>> };

export type AuditQueryCheck =
  | { readonly ok: true; readonly request: AuditRequest }
  | { readonly ok: false; readonly errors: Partial<Record<keyof AuditFilters, string>> };

export function auditFilter(filters: AuditFilters): AuditFilterCheck {
  const errors: Partial<Record<keyof AuditFilters, string>> = {};
  const filter: AuditFilterRequest = {};
  const username = filters.username.trim();
  if (username.length > 128) errors.username = 'A username is at most 128 characters.';
  else if (username.length > 0) filter.username = username;
  const patient = filters.patient.trim();
  if (patient.length > 200) errors.patient = 'Type an MRN or a few words of the name (at most 200 characters).';
  else if (patient.length > 0) filter.patient = patient;
  const from = filters.from.trim().length > 0 ? fromLocalInputValue(filters.from) : null;
  const to = filters.to.trim().length > 0 ? fromLocalInputValue(filters.to) : null;
  if (filters.from.trim().length > 0 && from === null) errors.from = 'Enter a complete date and time.';
  if (filters.to.trim().length > 0 && to === null) errors.to = 'Enter a complete date and time.';
  if (from !== null) filter.from = from.toISOString();
  if (to !== null) filter.to = to.toISOString();
  if (from !== null && to !== null && from.getTime() > to.getTime()) errors.to = '"To" must be after "From".';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, filter };
}

export function auditRequest(filters: AuditFilters, beforeSequence?: number): AuditQueryCheck {
  const checked = auditFilter(filters);
  if (!checked.ok) return checked;
  return {
    ok: true,
    request: { limit: AUDIT_PAGE_SIZE, ...checked.filter, ...(beforeSequence === undefined ? {} : { beforeSequence }) },
  };
}
