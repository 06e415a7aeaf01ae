// `wardline audit verify [--data DIR] [--json]`: walks the audit chain, names the first bad
// sequence and exits 1 when there is one. `wardline audit export --format fhir|csv [--since T]
// [--data DIR]`: writes the audit trail (a FHIR Bundle of AuditEvents, or CSV) to stdout for the
// privacy officer; the export itself is recorded in the trail first. `wardline audit upload
// [--data DIR] [--json]`: sends the entries the hub has not acknowledged (audit-upload.ts).
import { openAuditLog, exportAuditTrail, AuditError, type AuditExportFormat } from '../../audit/index.js';
import { CliError } from '../cli-error.js';
import { uploadAuditTrail } from './audit-upload.js';
import { dataOption, stringValue, type CliCommand } from './command.js';
import { workstationFrom } from './workstation.js';

const FORMATS: readonly AuditExportFormat[] = ['fhir', 'csv'];

function sinceOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new CliError('USAGE', `--since "${value}" is not a date or date-time (e.g. 2026-03-01 or 2026-03-01T08:00:00Z)`);
  return ms;
}

export const auditCommand: CliCommand = {
  summary:
    'audit trail: "verify" checks the hash chain; "export --format fhir|csv [--since T]" writes it out; "upload" sends it to the hub',
  subcommands: ['verify', 'export', 'upload'],
  // verify and export only read (an export appends its own entry, which the chain serialises).
  writesDataDir: ['upload'],
  options: { ...dataOption, json: { type: 'boolean' }, since: { type: 'string' }, format: { type: 'string' } },
  async run(values, io, subcommand) {
    const format = stringValue(values, 'format');
    const since = stringValue(values, 'since');
    if (subcommand !== 'export' && (format !== undefined || since !== undefined)) {
      throw new CliError('USAGE', '--format and --since belong to "wardline audit export" (try: wardline help)');
    }
    if (subcommand === 'export' && (format === undefined || !FORMATS.includes(format as AuditExportFormat))) {
      throw new CliError('USAGE', 'wardline audit export needs --format fhir or --format csv (try: wardline help)');
    }
    const sinceMs = sinceOf(since);
    const workstation = workstationFrom(values);
    const { dataDir, logger, custodian } = workstation;
    let log;
    try {
      log = await openAuditLog({ dataDir, custodian, logger, create: false });
    } catch (error) {
      if (error instanceof AuditError && error.code === 'NOT_FOUND') {
        throw new AuditError('NOT_FOUND', `There is no audit trail in ${dataDir} (Wardline creates it when it first runs there).`);
      }
      throw error;
    }
    try {
      if (subcommand === 'upload') return await uploadAuditTrail(log, workstation, values, io);
      if (subcommand === 'verify') {
        const verdict = log.verify();
        logger.info(
          {
            event: 'audit.verify',
            ok: verdict.ok,
            entries: verdict.entries,
            ...(verdict.ok ? {} : { firstBadSequence: verdict.firstBadSequence, problem: verdict.problem }),
          },
          'audit trail verified',
        );
        if (values.json === true) {
          io.out(JSON.stringify(verdict));
        } else if (verdict.ok) {
          io.out(
            `Audit trail intact: ${verdict.entries} entries, chain head ${verdict.head.sequence} (${verdict.head.hash.slice(0, 16)}…).`,
          );
        } else {
          io.out(
            `Audit trail broken at sequence ${verdict.firstBadSequence} (${verdict.problem}): ${verdict.explanation}. ${verdict.entries} entries before it verify.`,
          );
        }
        return verdict.ok ? 0 : 1;
      }
      log.record({ action: 'audit-export', detail: { by: 'cli', format: format!, ...(since === undefined ? {} : { since }) } });
      let lines = 0;
      for (const line of exportAuditTrail(log, { format: format as AuditExportFormat, ...(sinceMs === undefined ? {} : { sinceMs }) })) {
        io.out(line);
        lines += 1;
      }
      logger.info({ event: 'audit.export', format, lines }, 'audit trail exported');
      return 0;
    } finally {
      log.close();
    }
  },
};
