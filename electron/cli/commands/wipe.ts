// `wardline wipe --data DIR [--force --export FILE [--format fhir|csv]]`: crypto-erase. Before
// anything is destroyed, what the wipe needs to talk to the hub (the enrollment's link and the
// device key) is read into memory. Then the vault key is destroyed in the keystore and the files
// deleted (and any MAR saved as PDF in the printouts folder); the audit trail is kept (it is
// evidence) and records the wipe; the entries the hub has not acknowledged, the wipe's included, are
// uploaded as this device; only then is the device key destroyed. A kill at any point leaves the
// vault unreadable (its key goes first), and a second wipe destroys what is left. When the hub
// cannot be reached the wipe is still done, and it says so (exit 3): the entries stay in the audit
// database, to be exported before the folder is deleted.
// It refuses while Wardline runs on the folder, and while anything would be lost:
// undelivered documentation, unresolved conflicts, audit entries the hub has not acknowledged.
// --force goes ahead anyway, but only after the audit trail is exported to the file named, the
// export itself recording that it was made for a forced wipe and what was lost.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { exportAuditTrail, openAuditLog, wipeEntry, type AuditExportFormat, type AuditLog } from '../../audit/index.js';
import { removePrintouts } from '../../print/index.js';
import { keyNameFor, vaultExists, VaultError, wipeVault } from '../../vault/index.js';
import { CliError } from '../cli-error.js';
import { dataOption, stringValue, type CliCommand } from './command.js';
import { holdHubLinkForWipe, type NoHubLink } from './wipe-hub-link.js';
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

type Delivery =
  | { readonly kind: 'sent'; readonly sent: number }
  | { readonly kind: 'refused'; readonly sent: number; readonly remaining: number }
  | { readonly kind: 'unreachable'; readonly code: string; readonly remaining: number }
  | { readonly kind: 'no-link'; readonly reason: NoHubLink; readonly remaining?: number };

/** Uploads what the hub has not acknowledged, the wipe's own entry included; never rejects. */
async function deliver(link: Awaited<ReturnType<typeof holdHubLinkForWipe>>, audit: AuditLog): Promise<Delivery> {
  if (typeof link === 'string') return { kind: 'no-link', reason: link, remaining: audit.queue.pendingCount() };
  try {
    const report = await link.upload(audit);
    return report.remaining === 0 && report.checkpointMatches !== false
      ? { kind: 'sent', sent: report.sent }
      : { kind: 'refused', sent: report.sent, remaining: report.remaining };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { kind: 'unreachable', code: typeof code === 'string' ? code : 'error', remaining: audit.queue.pendingCount() };
  }
}

/** What the operator must know when audit entries stay here; null when nothing is left to do. */
function deliveryText(delivery: Delivery, dataDir: string): string | null {
  const keep = `export them before deleting the folder and keep the file with the decommission record: wardline audit export --format fhir --data ${dataDir} > FILE`;
  switch (delivery.kind) {
    case 'sent':
      return null;
    case 'refused':
      return `The hub did not take every audit entry: ${delivery.remaining} stay in the audit trail here (details in logs/wardline.log); ${keep}`;
    case 'unreachable':
      return `The hub could not be reached (${delivery.code}): ${delivery.remaining} audit entries, this wipe's included, were not sent and stay in the audit trail here; ${keep}`;
    case 'no-link':
      // A vault that was never enrolled has no hub to send to: nothing is expected there.
      if (delivery.reason === 'no-vault' || delivery.reason === 'not-enrolled' || delivery.remaining === 0) return null;
      return `The audit trail could not be sent (${delivery.reason === 'device-key-missing' ? 'the device key is missing from the keystore' : 'the vault could not be read'}): ${delivery.remaining ?? 'some'} audit entries, this wipe's included, stay in the audit trail here; ${keep}`;
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
    // Held in memory before anything is destroyed: the vault holds the enrollment.
    const link = await holdHubLinkForWipe(workstation);
    let failure: unknown;
    let printouts = 0;
    let delivery: Delivery = { kind: 'no-link', reason: 'no-vault' };
    try {
      try {
        // Saved printouts (where the policy allows saving the MAR as PDF) hold patient data: they go too.
        printouts = removePrintouts(dataDir);
        await wipeVault({ dataDir, custodian, logger, keepDeviceKey: true });
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
          delivery = await deliver(link, audit);
        } finally {
          audit.close();
        }
      }
    } finally {
      if (typeof link !== 'string') await link.close();
      // Only now, with the trail sent (or not sendable), the device key goes: without the vault it
      // is an orphan that could still authenticate to the hub (re-enroll after a wipe).
      try {
        await custodian.destroy(keyNameFor(dataDir, 'device'));
      } catch (error) {
        failure ??= new VaultError(
          'KEYSTORE_UNAVAILABLE',
          'The chart cache was wiped, but the device key could not be removed from the OS keystore. Run the wipe again once the keystore is available (Secret Service, Keychain or Credential Manager).',
          { cause: error },
        );
      }
    }
    if (failure !== undefined) throw failure;
    logger.warn({ event: 'vault.wipe', hadVault, forced: force, printouts, ...lossDetail(losses), audit: { ...delivery } }, 'vault wiped');
    if (exported !== null) io.out(`Exported the audit trail (${exported} lines) to ${exportFile}; it records this forced wipe.`);
    io.out(
      hadVault
        ? `Wiped the vault in ${dataDir}: key destroyed, files deleted${printouts > 0 ? `, ${printouts} saved printouts deleted` : ''}. The audit trail was kept and records the wipe.`
        : `No vault in ${dataDir}; any leftover key was destroyed.`,
    );
    const undelivered = deliveryText(delivery, dataDir);
    if (delivery.kind === 'sent')
      io.out(`Sent ${delivery.sent} audit entries to the hub, this wipe's included; the device key was destroyed after.`);
    if (undelivered !== null) {
      io.err(undelivered);
      return 3;
    }
    return 0;
  },
};
