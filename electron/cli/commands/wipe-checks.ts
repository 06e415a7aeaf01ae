// What a wipe would destroy besides the chart cache: documentation the hub has not received yet
// (outbox), conflicts nobody settled, audit entries the hub has not acknowledged. Counted before
// `wardline wipe` does anything; a vault that cannot be read counts as unknown.
import { counted } from '../../../shared/display/index.js';
import { AuditError, openAuditLog } from '../../audit/index.js';
import { openVault, vaultExists } from '../../vault/index.js';
import type { Workstation } from './workstation.js';

export interface WipeLosses {
  /** null: the vault could not be read to count. */
  readonly outbox: number | null;
  readonly conflicts: number | null;
  readonly auditUnsent: number;
}

export async function countWipeLosses({ dataDir, custodian, logger }: Workstation): Promise<WipeLosses> {
  let outbox: number | null = 0;
  let conflicts: number | null = 0;
  if (vaultExists(dataDir)) {
    try {
      const vault = await openVault({ dataDir, custodian, logger });
      try {
        outbox = vault.outbox.count();
        conflicts = vault.conflicts.count();
      } finally {
        vault.close();
      }
    } catch (error) {
      logger.warn({ event: 'vault.wipe_count_failed', code: (error as { code?: unknown }).code ?? null }, 'vault unreadable before wipe');
      outbox = null;
      conflicts = null;
    }
  }
  let auditUnsent = 0;
  try {
    const log = await openAuditLog({ dataDir, custodian, logger, create: false });
    try {
      auditUnsent = log.queue.pendingCount();
    } finally {
      log.close();
    }
  } catch (error) {
    if (!(error instanceof AuditError && error.code === 'NOT_FOUND')) throw error;
  }
  return { outbox, conflicts, auditUnsent };
}

export function hasLosses(losses: WipeLosses): boolean {
  return losses.outbox !== 0 || losses.conflicts !== 0 || losses.auditUnsent > 0;
}

/** "2 documentation entries not delivered to the hub, 1 unresolved conflict, 40 audit entries not sent". */
export function lossesText(losses: WipeLosses): string {
  const count = (n: number | null, one: string, many: string): string =>
    n === null ? `an unknown number of ${many}` : counted(n, one, many);
  return [
    `${count(losses.outbox, 'documentation entry', 'documentation entries')} not delivered to the hub`,
    `${count(losses.conflicts, 'unresolved conflict', 'unresolved conflicts')}`,
    `${count(losses.auditUnsent, 'audit entry', 'audit entries')} not sent to the hub`,
  ].join(', ');
}
