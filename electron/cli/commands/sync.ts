// `wardline sync [--data DIR] [--json]`: one sync cycle with the hub (push the outbox, pull the
// census, new patients and changes, purge those who left: each purge recorded in the audit trail),
// then the audit trail's upload, and a summary in counts.
import { counted } from '../../../shared/display/index.js';
import { openAuditLog, syncAuditSink } from '../../audit/index.js';
import { auditUploaderFor } from '../../host/index.js';
import { createSyncEngine } from '../../sync/index.js';
import { openVault, vaultExists, VaultError } from '../../vault/index.js';
import { dataOption, type CliCommand } from './command.js';
import { workstationFrom } from './workstation.js';

export const syncCommand: CliCommand = {
  summary: 'run one sync cycle with the hub, upload the audit trail, and print a summary (counts only)',
  writesDataDir: true,
  options: { ...dataOption, json: { type: 'boolean' } },
  async run(values, io) {
    const { dataDir, logger, custodian } = workstationFrom(values);
    if (!vaultExists(dataDir)) {
      throw new VaultError(
        'NOT_FOUND',
        `There is no vault in ${dataDir}. Enroll the workstation first: wardline enroll --hub URL --token T --pin SPKI --data ${dataDir}`,
      );
    }
    const vault = await openVault({ dataDir, custodian, logger });
    try {
      const audit = await openAuditLog({ dataDir, custodian, logger });
      try {
        const engine = createSyncEngine({ vault, dataDir, custodian, logger, audit: syncAuditSink(audit) });
        try {
          const summary = await engine.syncOnce();
          const status = engine.status();
          const upload = await auditUploaderFor(audit, engine, logger).upload();
          if (values.json === true) {
            io.out(
              JSON.stringify({
                state: summary.state,
                patients: summary.patients,
                patientsLoaded: summary.patientsLoaded,
                written: summary.written,
                deleted: summary.deleted,
                purgedPatients: summary.purgedPatients,
                delivered: summary.pushed.delivered,
                conflicts: status.conflicts,
                outboxPending: status.outboxPending,
                auditSent: upload.sent,
                auditPending: upload.remaining,
                durationMs: Math.round(summary.durationMs),
              }),
            );
          } else {
            io.out(
              `Synced in ${(summary.durationMs / 1000).toFixed(1)} s (${summary.state}): ${summary.patients} patients on the ward, ${summary.patientsLoaded} loaded, ${summary.written} resources written, ${summary.deleted} deleted, ${summary.purgedPatients} patients purged.`,
            );
            io.out(`Outbox: ${summary.pushed.delivered} delivered, ${status.outboxPending} waiting; conflicts: ${status.conflicts}.`);
            io.out(`Audit trail: ${counted(upload.sent, 'entry', 'entries')} sent to the hub, ${upload.remaining} waiting.`);
          }
        } finally {
          await engine.close();
        }
      } finally {
        audit.close();
      }
    } finally {
      vault.close();
    }
    return 0;
  },
};
