// `wardline-hub audit export`: the hub's trail over a period, written to stdout for the privacy
// officer (CSV, NDJSON or a FHIR Bundle; server/audit-trail), filtered like the FHIR search.
import { exportTrail, trailRequestOf, TRAIL_EXPORT_FORMATS, type TrailExportFormat } from '../audit-trail/index.js';
import { HubCliError } from './hub-cli-error.js';
import { openStore, type StoreOptions } from './hub-options.js';
import { operatingSystemUser } from './os-user.js';
import type { CliIo } from './admin-commands.js';

export interface AuditExportOptions extends StoreOptions {
  readonly since?: string;
  readonly until?: string;
  readonly format: string;
  readonly patient?: string;
  readonly mrn?: string;
  readonly user?: string;
  readonly workstation?: string;
}

export async function auditExportCommand(options: AuditExportOptions, io: CliIo): Promise<void> {
  if (!(TRAIL_EXPORT_FORMATS as readonly string[]).includes(options.format)) {
    throw new HubCliError('USAGE', `--format takes one of ${TRAIL_EXPORT_FORMATS.join(', ')}.`);
  }
  const query = new URLSearchParams();
  if (options.since !== undefined) query.append('date', `ge${options.since}`);
  if (options.until !== undefined) query.append('date', `lt${options.until}`);
  if (options.patient !== undefined) query.set('patient', options.patient);
  if (options.mrn !== undefined) query.set('patient.identifier', options.mrn);
  if (options.user !== undefined) query.set('agent-name', options.user);
  if (options.workstation !== undefined) query.set('source', options.workstation);
  const { db } = await openStore(options);
  try {
    let request;
    try {
      request = await trailRequestOf(db, query);
    } catch (error) {
      throw new HubCliError(
        'USAGE',
        `${(error as Error).message.replace(' Nothing was searched.', '')} (--since/--until take ISO dates or times.)`,
      );
    }
    await exportTrail(db, request.filter, options.format as TrailExportFormat, (text) => io.write(text), {
      osUser: operatingSystemUser(),
      at: new Date(),
    });
  } finally {
    await db.close();
  }
}
