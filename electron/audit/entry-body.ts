// Turns what a caller asks to record into the body that is hashed: defaults filled in, every field
// checked (ids as FHIR ids, references as "Type/id", detail values as short scalars), resources
// sorted. A malformed entry is refused (INVALID_ENTRY) before anything is written.
import { AUDIT_ACTIONS, type AuditDetail, type AuditEntryBody, type AuditOutcome, type NewAuditEntry } from './audit-entry.js';
import { AuditError } from './audit-error.js';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const REFERENCE = /^[A-Z][A-Za-z]{1,63}\/[A-Za-z0-9\-.]{1,64}$/;
const OUTCOMES: readonly AuditOutcome[] = ['success', 'minor-failure', 'serious-failure', 'major-failure'];
const MAX_TEXT = 2048;
const MAX_DETAIL_KEYS = 16;
const MAX_RESOURCES = 256;

function invalid(what: string): AuditError {
  return new AuditError('INVALID_ENTRY', `An audit entry was refused: ${what}. This is a Wardline defect; report it to IT.`);
}

function optionalId(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !FHIR_ID.test(value)) throw invalid(`its ${field} is not an id`);
  return value;
}

function optionalText(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > MAX_TEXT) throw invalid(`its ${field} is not a text of at most ${MAX_TEXT} characters`);
  return value;
}

function detailOf(detail: AuditDetail | undefined): AuditDetail {
  if (detail === undefined) return {};
  const entries = Object.entries(detail);
  if (entries.length > MAX_DETAIL_KEYS) throw invalid(`it has more than ${MAX_DETAIL_KEYS} details`);
  for (const [key, value] of entries) {
    if (!/^[a-zA-Z][a-zA-Z0-9-]{0,39}$/.test(key)) throw invalid('a detail has a malformed name');
    const ok =
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && value.length <= MAX_TEXT);
    if (!ok) throw invalid(`detail "${key}" is not a short text, a finite number or a boolean`);
  }
  return Object.fromEntries(entries);
}

export function entryBodyOf(entry: NewAuditEntry, position: { sequence: number; device: string; nowMs: number }): AuditEntryBody {
  if (!AUDIT_ACTIONS.includes(entry.action)) throw invalid('its action is unknown');
  const at = entry.at ?? position.nowMs;
  if (!Number.isFinite(at)) throw invalid('its time is not a number');
  const resources = [...new Set(entry.resources ?? [])].sort();
  if (resources.length > MAX_RESOURCES || resources.some((r) => typeof r !== 'string' || !REFERENCE.test(r))) {
    throw invalid('a resource reference is not of the form Type/id');
  }
  const outcome = entry.outcome ?? 'success';
  if (!OUTCOMES.includes(outcome)) throw invalid('its outcome is unknown');
  const purposeOfUse = entry.purposeOfUse ?? null;
  if (purposeOfUse !== null && !/^[A-Z]{2,16}$/.test(purposeOfUse)) throw invalid('its purpose of use is not an ActReason code');
  return {
    sequence: position.sequence,
    time: new Date(at).toISOString(),
    device: position.device,
    user: optionalId(entry.user, 'user'),
    session: optionalText(entry.session, 'session'),
    action: entry.action,
    patient: optionalId(entry.patient, 'patient'),
    resources,
    outcome,
    purposeOfUse,
    requestor: entry.requestor ?? true,
    query: optionalText(entry.query, 'query'),
    detail: detailOf(entry.detail),
  };
}
