// `wardline wipe --data DIR [--force --export FILE [--format fhir|csv]]`: crypto-erase. The key is
// destroyed in the keystore first, then the files (and any MAR saved as PDF in the printouts
// folder). The audit trail is kept (it is evidence) and
// records the wipe. It refuses while Wardline runs on the folder, and while anything would be lost:
// undelivered documentation, unresolved conflicts, audit entries the hub has not acknowledged.
// --force goes ahead anyway, but only after the audit trail is exported to the file named, the
// export itself recording that it was made for a forced wipe and what was lost.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { exportAuditTrail, openAuditLog, wipeEntry, type AuditExportFormat } from '../../audit/index.js';
import { removePrintouts } from '../../print/index.js';
import { vaultExists, wipeVault } from '../../vault/index.js';
import { CliError } from '../cli-error.js';
import { dataOption, stringValue, type CliCommand } from './command.js';
import { countWipeLosses, hasLosses, lossesText, type WipeLosses } from './wipe-checks.js';
import { workstationFrom, type Workstation } from './workstation.js';

function formatOf(file: string, format: string | undefined): AuditExportFormat {
  if (format === undefined) return file.toLowerCase().endsWith('.csv') ? 'csv' : 'fhir';
  if (format !== 'fhir' && format !== 'csv') throw new CliError('USAGE', '--format must be fhir or csv (try: wardline help)');
  return format;
}

function lossDetail(losses: WipeLosses): Record<string, number> {
  return {
    ...(losses.outbox === null ? {} : { outboxPending: losses.outbox }),
    ...(losses.conflicts === null ? {} : { conflicts: losses.conflicts }),
    auditUnsent: losses.auditUnsent,
  };
}

/** Writes the whole audit trail to `file` (never over an existing file), flushed to disk; the export is recorded first. */
async function exportBeforeForcedWipe(
  { dataDir, custodian, logger }: Workstation,
  file: string,
  format: AuditExportFormat,
  losses: WipeLosses,
): Promise<number> {
  const log = await openAuditLog({ dataDir, custodian, logger });
  try {
    log.record({ action: 'audit-export', detail: { by: 'cli', format, reason: 'forced-wipe', ...lossDetail(losses) } });
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        'USAGE',
        code === 'EEXIST'
          ? `${file} already exists; name a new file for the export (nothing was wiped)`
          : `cannot write the export ${file} (${code ?? 'error'}); nothing was wiped`,
      );
    }
    let lines = 0;
    try {
      for (const line of exportAuditTrail(log, { format })) {
        writeSync(fd, `${line}\n`);
        lines += 1;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    logger.warn({ event: 'audit.export', format, lines, reason: 'forced-wipe' }, 'audit trail exported before a forced wipe');
    return lines;
  } finally {
    log.close();
  }
}

export const wipeCommand: CliCommand = {
  summary: 'crypto-erase the vault (refuses while anything is undelivered; --force --export FILE exports the audit trail first)',
  writesDataDir: true,
  options: { ...dataOption, force: { type: 'boolean' }, export: { type: 'string' }, format: { type: 'string' } },
  async run(values, io) {
    const force = values.force === true;
    const exportFile = stringValue(values, 'export');
    const format = stringValue(values, 'format');
    if (!force && (exportFile !== undefined || format !== undefined)) {
      throw new CliError('USAGE', '--export and --format go with --force (try: wardline help)');
    }
    if (force && (exportFile === undefined || exportFile === '')) {
      throw new CliError(
        'USAGE',
        'wipe --force needs --export FILE: the audit trail is exported there before anything is destroyed (nothing was wiped)',
      );
    }
    const workstation = workstationFrom(values);
    const { dataDir, logger, custodian } = workstation;
    const losses = await countWipeLosses(workstation);
    if (hasLosses(losses) && !force) {
      // Without a vault (wiped before) there is no enrollment left to send the audit entries with.
      const advice = vaultExists(dataDir)
        ? 'Sync first (wardline sync, then settle conflicts in Wardline), or wipe with --force --export FILE.'
        : 'There is no vault here to send them with (it was wiped): enroll again and sync, or wipe with --force --export FILE.';
      throw new CliError('WIPE_REFUSED', `refused, nothing was wiped: ${lossesText(losses)}. ${advice}`, 1);
    }
    const exported = force ? await exportBeforeForcedWipe(workstation, exportFile!, formatOf(exportFile!, format), losses) : null;

    const hadVault = vaultExists(dataDir);
    let failure: unknown;
    let printouts = 0;
    try {
      // Saved printouts (where the policy allows saving the MAR as PDF) hold patient data: they go too.
      printouts = removePrintouts(dataDir);
      await wipeVault({ dataDir, custodian, logger });
    } catch (error) {
      failure = error;
    }
    if (hadVault || force) {
      const audit = await openAuditLog({ dataDir, custodian, logger });
      try {
        audit.record({
          ...wipeEntry('cli', force ? { forced: true, ...lossDetail(losses) } : {}),
          ...(failure === undefined ? {} : { outcome: 'serious-failure' as const }),
        });
      } finally {
        audit.close();
      }
    }
    if (failure !== undefined) throw failure;
    logger.warn({ event: 'vault.wipe', hadVault, forced: force, printouts, ...lossDetail(losses) }, 'vault wiped');
    if (exported !== null) io.out(`Exported the audit trail (${exported} lines) to ${exportFile}; it records this forced wipe.`);
    io.out(
      hadVault
        ? `Wiped the vault in ${dataDir}: key destroyed, files deleted${printouts > 0 ? `, ${printouts} saved printouts deleted` : ''}. The audit trail was kept and records the wipe.`
        : `No vault in ${dataDir}; any leftover key was destroyed.`,
    );
    return 0;
  },
};
