// Exports of the audit trail for the privacy officer: a FHIR R4 Bundle (type collection) of the
// AuditEvents as the hub receives them, or CSV (one row per entry, RFC 4180 quoting; a cell that a
// spreadsheet would run as a formula is prefixed with '). Produced line by line, so a year of
// entries streams out without being held in memory.
import { auditEventOf } from './audit-event-mapping.js';
import { auditEventIdOf } from './audit-event-id.js';
import type { AuditEntry } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';
import { canonicalJson } from '../../shared/json/index.js';

export type AuditExportFormat = 'fhir' | 'csv';

export const CSV_COLUMNS = [
  'sequence',
  'time',
  'user',
  'session',
  'action',
  'patient',
  'resources',
  'outcome',
  'purposeOfUse',
  'requestor',
  'query',
  'detail',
  'previousHash',
  'hash',
  'auditEventId',
] as const;

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(entry: AuditEntry): string {
  const cells = [
    String(entry.sequence),
    entry.time,
    entry.user ?? '',
    entry.session ?? '',
    entry.action,
    entry.patient ?? '',
    entry.resources.join(' '),
    entry.outcome,
    entry.purposeOfUse ?? '',
    String(entry.requestor),
    entry.query ?? '',
    Object.keys(entry.detail).length === 0 ? '' : canonicalJson(entry.detail),
    entry.previousHash,
    entry.hash,
    auditEventIdOf(entry.device, entry.sequence),
  ];
  return cells.map(csvCell).join(',');
}

/** The export, line by line (each line without its newline). `sinceMs`: entries recorded at or after. */
export function* exportAuditTrail(log: AuditLog, options: { format: AuditExportFormat; sinceMs?: number; now?: Date }): Generator<string> {
  const entries = log.iterate(options.sinceMs === undefined ? {} : { fromMs: options.sinceMs });
  if (options.format === 'csv') {
    yield CSV_COLUMNS.join(',');
    for (const entry of entries) yield csvRow(entry);
    return;
  }
  const source = { hubDeviceId: log.queue.hubDeviceId() };
  yield `{"resourceType":"Bundle","type":"collection","timestamp":${JSON.stringify((options.now ?? new Date()).toISOString())},"entry":[`;
  let first = true;
  for (const entry of entries) {
    const resource = auditEventOf(entry, source);
    yield `${first ? '' : ','}${JSON.stringify({ fullUrl: `urn:uuid:${resource.id}`, resource })}`;
    first = false;
  }
  yield ']}';
}

/** Who an entry's user and patient are, resolved by the host when the view is read (never stored). */
export interface AuditEntryLabels {
  /** The user's username, or null when the entry has no user or this workstation does not know them. */
  readonly username: string | null;
  /** The patient's name and MRN as the chart cache holds them; null when it does not hold the patient. */
  readonly patient: { readonly name: string; readonly mrn: string | null } | null;
}

/** The username a failed sign-in tried (kept in its detail), or null. */
export function usernameTriedOf(entry: AuditEntry): string | null {
  const tried = entry.detail.username;
  return entry.action === 'sign-in-failed' && typeof tried === 'string' ? tried : null;
}

export const VIEW_CSV_COLUMNS = [
  'sequence',
  'time',
  'userId',
  'username',
  'usernameTried',
  'action',
  'outcome',
  'purposeOfUse',
  'patientId',
  'patientName',
  'mrn',
  'patientHeldHere',
  'session',
  'query',
  'resources',
  'detail',
  'hash',
  'auditEventId',
] as const;

/**
 * The audit view's export as CSV, line by line (each without its newline): the entries as the view
 * lists them, with the usernames, patient names and MRNs resolved now (same quoting as the CLI's).
 */
export function* auditViewCsv(entries: Iterable<AuditEntry>, labelsOf: (entry: AuditEntry) => AuditEntryLabels): Generator<string> {
  yield VIEW_CSV_COLUMNS.join(',');
  for (const entry of entries) {
    const labels = labelsOf(entry);
    const cells = [
      String(entry.sequence),
      entry.time,
      entry.user ?? '',
      labels.username ?? '',
      usernameTriedOf(entry) ?? '',
      entry.action,
      entry.outcome,
      entry.purposeOfUse ?? '',
      entry.patient ?? '',
      labels.patient?.name ?? '',
      labels.patient?.mrn ?? '',
      entry.patient === null ? '' : String(labels.patient !== null),
      entry.session ?? '',
      entry.query ?? '',
      entry.resources.join(' '),
      Object.keys(entry.detail).length === 0 ? '' : canonicalJson(entry.detail),
      entry.hash,
      auditEventIdOf(entry.device, entry.sequence),
    ];
    yield cells.map(csvCell).join(',');
  }
}
