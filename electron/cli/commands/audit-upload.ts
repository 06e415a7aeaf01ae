// `wardline audit upload [--data DIR] [--json]`: sends the audit entries the hub has not
// acknowledged yet, then the signed chain head, and nothing else (no sync cycle).
import { counted } from '../../../shared/display/index.js';
import type { AuditLog } from '../../audit/index.js';
import { auditUploaderFor } from '../../host/index.js';
import { createSyncEngine, logAuditSink } from '../../sync/index.js';
import { openVault, vaultExists, VaultError } from '../../vault/index.js';
import type { CliIo } from '../cli-io.js';
import type { CliValues } from './command.js';
import type { Workstation } from './workstation.js';

export async function uploadAuditTrail(
  log: AuditLog,
  { dataDir, logger, custodian }: Workstation,
  values: CliValues,
  io: CliIo,
): Promise<number> {
  if (!vaultExists(dataDir)) {
    throw new VaultError(
      'NOT_FOUND',
      `There is no vault in ${dataDir}, so this workstation is not enrolled at a hub to send its audit trail to.`,
    );
  }
  const vault = await openVault({ dataDir, custodian, logger });
  try {
    const engine = createSyncEngine({ vault, dataDir, custodian, logger, audit: logAuditSink(logger) });
    try {
      const report = await auditUploaderFor(log, engine, logger).upload();
      const lastAcknowledgedUpload = log.queue.lastAcknowledgedAt();
      if (values.json === true) {
        io.out(
          JSON.stringify({
            sent: report.sent,
            refused: report.refused,
            refusedBecause: report.refusedBecause,
            batches: report.batches,
            pending: report.remaining,
            hubAcknowledged: report.hubAcknowledged,
            checkpointMatches: report.checkpointMatches,
            lastAcknowledgedUpload,
          }),
        );
      } else {
        io.out(
          `Sent ${counted(report.sent, 'audit entry', 'audit entries')} in ${counted(report.batches, 'batch', 'batches')}; the hub holds the chain up to ${report.hubAcknowledged ?? 'nothing yet'}; ${report.remaining} waiting.`,
        );
        if (report.refused > 0) {
          const why = Object.entries(report.refusedBecause)
            .map(([code, n]) => `${n} ${code}`)
            .join(', ');
          io.out(`The hub refused ${counted(report.refused, 'entry', 'entries')} (${why}); they stay here (details in logs/wardline.log).`);
        }
        if (report.checkpointMatches === false)
          io.out('The hub holds a different entry at the signed chain head: ask the privacy officer to compare.');
      }
      return report.refused > 0 || report.checkpointMatches === false ? 1 : 0;
    } finally {
      await engine.close();
    }
  } finally {
    vault.close();
  }
}
