// Changing this workstation's encryption keys: the chart cache's, then the audit trail's, each
// under a new random key wrapped by the OS keystore, each crash-safe (electron/vault's rekey
// protocol: a crash leaves a key in the keystore that opens the file). The change is recorded in
// the audit trail twice: its start, committed before any key is touched (a kill midway leaves it,
// without an end, in the trail), then its end, as done or as failed and where. Used by `wardline rekey` and by the running
// host when the policy's rekey interval has passed (rekey-schedule.ts).
import type { Logger } from 'pino';
import { rekeyEntry, type AuditLog } from '../audit/index.js';
import type { Vault } from '../vault/index.js';

export interface RekeyOutcome {
  readonly vault: boolean;
  readonly audit: boolean;
}

/**
 * Records the start (nothing is changed when that fails), rekeys the vault, then the audit trail;
 * records the end; rethrows the first failure (after recording it).
 */
export async function rekeyWorkstation(options: {
  readonly vault: Vault;
  readonly audit: AuditLog;
  readonly by: 'cli' | 'host';
  readonly logger: Logger;
}): Promise<RekeyOutcome> {
  const { vault, audit, by, logger } = options;
  audit.record(rekeyEntry(by, 'started'));
  let vaultDone = false;
  let auditDone = false;
  try {
    await vault.rekey();
    vaultDone = true;
    await audit.rekey();
    auditDone = true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const failedAt = vaultDone ? 'audit' : 'vault';
    logger.error({ event: 'workstation.rekey_failed', by, failedAt, code: typeof code === 'string' ? code : null }, 'rekey failed');
    try {
      audit.record(rekeyEntry(by, 'ended', { vault: vaultDone, audit: auditDone, failedAt }, true));
    } catch (recordError) {
      logger.error(
        { event: 'workstation.rekey_unrecorded', code: (recordError as { code?: unknown }).code ?? null },
        'rekey failure not recorded',
      );
    }
    throw error;
  }
  audit.record(rekeyEntry(by, 'ended', { vault: true, audit: true }));
  logger.info({ event: 'workstation.rekey', by }, 'chart cache and audit trail keys changed');
  return { vault: vaultDone, audit: auditDone };
}
