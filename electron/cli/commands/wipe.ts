// `wardline wipe --data DIR [--force --export FILE [--format fhir|csv]]`: crypto-erase. Before
// anything is destroyed, what the wipe needs to talk to the hub (the enrollment's link and the
// device key) is read into memory, and the wipe's first `wipe` entry (`detail.stage: "started"`) is
// committed to the audit trail (flushed to disk): a wipe that cannot record itself destroys
// nothing. Then the vault key is destroyed in the keystore and the files deleted (and any MAR saved
// as PDF in the printouts folder); the audit trail is kept (it is evidence) and records the outcome
// (a second `wipe` entry, `stage: "ended"`); the entries the hub has not acknowledged, the wipe's
// included, are uploaded as this device; only then is the device key destroyed. A kill at any point
// leaves the vault unreadable (its key goes first) and the wipe's start in the trail, unsent: the
// next wipe counts it and refuses until it is sent or exported, and then destroys what is left.
// When the hub cannot be reached the wipe is still done, and it says so (exit 3): the entries stay
// in the audit database, to be exported before the folder is deleted.
// It refuses while Wardline runs on the folder, and while anything would be lost:
// undelivered documentation, unresolved conflicts, audit entries the hub has not acknowledged.
// --force goes ahead anyway, but only after the audit trail is exported to the file named, the
// export itself recording that it was made for a forced wipe and what was lost; once the wipe has
// recorded its outcome, the export is made again with both its entries (wipe-export.ts says why
// that is safe).
import { counted } from '../../../shared/display/index.js';
import { openAuditLog, wipeEntry, type AuditExportFormat, type AuditLog } from '../../audit/index.js';
import { removePrintouts } from '../../print/index.js';
import { keyNameFor, vaultExists, VaultError, wipeVault } from '../../vault/index.js';
import { CliError } from '../cli-error.js';
import { dataOption, stringValue, type CliCommand } from './command.js';
import { deliver, deliveredWhole, deliveryText, type Delivery } from './wipe-delivery.js';
import { completeForcedWipeExport, exportBeforeForcedWipe } from './wipe-export.js';
import { holdHubLinkForWipe } from './wipe-hub-link.js';
import { countWipeLosses, hasLosses, lossesText, type WipeLosses } from './wipe-checks.js';
import { workstationFrom } from './workstation.js';

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
      // A vault that cannot be read (its key gone: an interrupted wipe destroys it first) cannot sync either.
      const advice = !vaultExists(dataDir)
        ? 'There is no vault here to send them with (it was wiped): enroll again and sync, or wipe with --force --export FILE.'
        : losses.outbox === null
          ? 'The vault here cannot be read (logs/wardline.log says why): if its key is gone (an interrupted wipe destroys it first), nothing can be sent from it any more: wipe with --force --export FILE.'
          : 'Sync first (wardline sync, then settle conflicts in Wardline), or wipe with --force --export FILE.';
      throw new CliError('WIPE_REFUSED', `refused, nothing was wiped: ${lossesText(losses)}. ${advice}`, 1);
    }
    const exportFormat = force ? formatOf(exportFile!, format) : null;
    let exported = force ? await exportBeforeForcedWipe(workstation, exportFile!, exportFormat!, lossDetail(losses)) : null;
    let exportIncomplete: string | null = null;

    const hadVault = vaultExists(dataDir);
    // Held in memory before anything is destroyed: the vault holds the enrollment.
    const link = await holdHubLinkForWipe(workstation);
    const detail = force ? { forced: true, ...lossDetail(losses) } : {};
    // The wipe's start, committed before anything is destroyed (a folder with neither a vault nor a
    // forced export has nothing to record: only a leftover device key is removed).
    let audit: AuditLog | null = null;
    try {
      if (hadVault || force) {
        audit = await openAuditLog({ dataDir, custodian, logger });
        audit.record(wipeEntry('cli', 'started', detail));
      }
    } catch (error) {
      audit?.close();
      if (typeof link !== 'string') await link.close();
      logger.error({ event: 'vault.wipe_unrecorded', code: (error as { code?: unknown }).code ?? null }, 'wipe not started');
      throw error;
    }
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
      if (audit !== null) {
        audit.record({
          ...wipeEntry('cli', 'ended', detail),
          ...(failure === undefined ? {} : { outcome: 'serious-failure' as const }),
        });
        if (force) {
          // The export the operator keeps holds the wipe's own entries too, before anything is sent.
          const completed = completeForcedWipeExport(audit, exportFile!, exportFormat!, logger);
          if ('lines' in completed) exported = completed.lines;
          else exportIncomplete = completed.failed;
        }
        delivery = await deliver(link, audit);
      }
    } finally {
      audit?.close();
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
    if (exported !== null)
      io.out(
        exportIncomplete === null
          ? `Exported the audit trail (${counted(exported, 'line', 'lines')}) to ${exportFile}; it records this forced wipe and holds the wipe's own entries.`
          : `Exported the audit trail (${counted(exported, 'line', 'lines')}) to ${exportFile} before the wipe; it records this forced wipe.`,
      );
    io.out(
      hadVault
        ? `Wiped the vault in ${dataDir}: key destroyed, files deleted${printouts > 0 ? `, ${printouts} saved printouts deleted` : ''}. The audit trail was kept and records the wipe.`
        : `No vault in ${dataDir}; any leftover key was destroyed.`,
    );
    const undelivered = deliveryText(
      delivery,
      dataDir,
      exportIncomplete === null
        ? []
        : [
            `The export ${exportFile} does not hold this wipe's own entries (it could not be written again: ${exportIncomplete}); they stay in the audit trail here`,
          ],
    );
    if (deliveredWhole(delivery))
      io.out(
        `Sent ${counted(delivery.report.sent, 'audit entry', 'audit entries')} to the hub, this wipe's included; the device key was destroyed after.`,
      );
    if (undelivered !== null) {
      io.err(undelivered);
      return 3;
    }
    return 0;
  },
};
