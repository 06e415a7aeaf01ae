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
