// `wardline-hub audit export`: the hub's trail over a period, for the privacy officer, oldest first
// and every row as recorded (census reads are not collapsed in an export). Formats: `csv` (one row
// per event, names and MRNs resolved now, RFC 4180 quoting, a cell starting with = + - @ tab or CR
// prefixed with ' so a spreadsheet does not run it), `ndjson` (one AuditEvent per line, FHIR bulk
// data style) and `fhir` (one Bundle of type collection). A chain problem the hub found in an
// uploaded event (audit_chain_flags) is its `chainFlags` cell in CSV (kinds separated by spaces), a
// meta.tag in the other formats. Written page by page (by the trail's
// cursor), so a long period never sits in memory at once. The export is recorded in the trail
// (trail-views.ts: the OS account that ran it, when, the filters) before anything is written.
import type { SqlDatabase } from '../storage/index.js';
import { labelsOf, trailEvents, type TrailLabels } from './trail-events.js';
import { flagsOf, searchTrail, type TrailCursor, type TrailFilter, type TrailRow } from './trail-query.js';
import { recordTrailView } from './trail-views.js';

export const TRAIL_EXPORT_FORMATS = ['csv', 'ndjson', 'fhir'] as const;
export type TrailExportFormat = (typeof TRAIL_EXPORT_FORMATS)[number];

const PAGE = 1000;
export const TRAIL_CSV_COLUMNS = [
  'time',
  'source',
  'workstation',
  'userId',
  'username',
  'usernameTried',
  'action',
  'outcome',
  'patientId',
  'patientName',
  'mrn',
  'session',
  'query',
  'detail',
  'eventId',
  'chainFlags',
] as const;

/** One CSV cell: quoted when needed, defused when a spreadsheet would read it as a formula. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(row: TrailRow, labels: TrailLabels, flags: readonly string[]): string {
  const patient = row.patientId === null ? undefined : labels.patients.get(row.patientId);
  const cells: (string | number | null)[] = [
    row.at === null ? null : new Date(row.at).toISOString(),
    row.source,
    row.deviceId,
    row.userId,
    row.userId === null ? null : (labels.usernames.get(row.userId) ?? null),
    row.usernameTried,
    row.action,
    row.outcome,
    row.patientId,
    patient?.name ?? null,
    patient?.mrn ?? null,
    row.sessionId,
    row.query,
    row.detail,
    row.id,
    flags.length === 0 ? null : flags.join(' '),
  ];
  return cells.map(csvCell).join(',');
}

/** Who exports: the operating-system account that ran the command, and when. */
export interface TrailExporter {
  readonly osUser: string;
  readonly at: Date;
}

/** Records the export, then writes the trail matching `filter` in `format` through `write`; resolves with the number of events. */
export async function exportTrail(
  db: SqlDatabase,
  filter: TrailFilter,
  format: TrailExportFormat,
  write: (text: string) => void,
  exporter: TrailExporter,
): Promise<number> {
  const all = { ...filter, dedup: false };
  await recordTrailView(db, { kind: 'export', at: exporter.at, deviceId: null, userId: null, osUser: exporter.osUser, filter: all });
  if (format === 'csv') write(`${TRAIL_CSV_COLUMNS.join(',')}\r\n`);
  if (format === 'fhir') write('{"resourceType":"Bundle","type":"collection","entry":[');
  let written = 0;
  let after: TrailCursor | undefined;
  for (;;) {
    const rows = await searchTrail(db, all, { count: PAGE, order: 'oldest', ...(after === undefined ? {} : { after }) });
    const labels = await labelsOf(db, rows);
    if (format === 'csv') {
      const flags = await flagsOf(
        db,
        rows.filter((row) => row.source === 'workstation').map((row) => row.id),
      );
      for (const row of rows) write(`${csvLine(row, labels, flags.get(row.id) ?? [])}\r\n`);
    } else {
      const events = await trailEvents(db, rows, labels);
      events.forEach((event, i) => {
        const separator = written + i > 0 ? ',' : '';
        write(format === 'ndjson' ? `${JSON.stringify(event)}\n` : `${separator}{"resource":${JSON.stringify(event)}}`);
      });
    }
    written += rows.length;
    const last = rows[rows.length - 1];
    if (rows.length < PAGE || last === undefined) break;
    after = { at: last.at ?? 0, source: last.source, id: last.id };
  }
  if (format === 'fhir') write(']}\n');
  return written;
}
