// `wardline status [--json] --data DIR`: what this workstation holds, as counts, never patient data;
// for an enrolled workstation also its sync state (state, last success, data as of, outbox, conflicts);
// and the audit trail's upload (entries waiting for the hub, when the hub last acknowledged some).
import { AuditError, openAuditLog } from '../../audit/index.js';
import { DEFAULT_SYNC_POLICY, syncStatusOf } from '../../sync/index.js';
import { openVault, vaultExists, VaultError } from '../../vault/index.js';
import { dataOption, type CliCommand } from './command.js';
import { workstationFrom, type Workstation } from './workstation.js';

export const statusCommand: CliCommand = {
  summary: 'show the vault: encryption, schema version, counts (no patient data)',
  options: { ...dataOption, json: { type: 'boolean' } },
  async run(values, io) {
    const { dataDir, logger, custodian } = workstationFrom(values);
    if (!vaultExists(dataDir)) {
      throw new VaultError('NOT_FOUND', `There is no vault in ${dataDir}. Create one with: wardline init --data ${dataDir}`);
    }
    const vault = await openVault({ dataDir, custodian, logger });
    let status;
    let sync;
    let acceptedPolicy;
    try {
      status = vault.status();
      acceptedPolicy = vault.policyMark.get();
      // Only an enrolled workstation syncs; its sync part is counts and times, never patient data.
      sync = vault.sync.enrollment() === null ? null : syncStatusOf(vault, DEFAULT_SYNC_POLICY, Date.now());
    } finally {
      vault.close();
    }
    const audit = await auditUploadStatus(dataDir, custodian, logger);
    const vaultStatus = {
      encrypted: status.encrypted,
      cipher: status.cipher,
      schemaVersion: status.schemaVersion,
      patients: status.patients,
      resources: status.resources,
      ward: status.ward,
      acceptedPolicy,
    };
    const syncPart =
      sync === null
        ? null
        : {
            state: sync.state,
            lastSuccess: sync.lastSuccess,
            dataAsOf: sync.dataAsOf,
            outboxPending: sync.outboxPending,
            conflicts: sync.conflicts,
          };
    if (values.json === true) {
      io.out(JSON.stringify(syncPart === null ? { vault: vaultStatus, audit } : { vault: vaultStatus, sync: syncPart, audit }));
    } else {
      io.out(`vault      ${dataDir}`);
      io.out(`encrypted  yes (${status.cipher}), schema version ${status.schemaVersion}`);
      io.out(`ward       ${status.ward ?? '(not set)'}`);
      io.out(`contents   ${status.patients} patients, ${status.resources} resources`);
      io.out(
        `policy     ${acceptedPolicy === null ? 'none accepted yet' : `accepted up to the one issued ${acceptedPolicy.issued} (key ${acceptedPolicy.signedBy}); older ones are refused`}`,
      );
      if (sync !== null) {
        io.out(
          `sync       ${sync.state}; last success ${sync.lastSuccess ?? 'never'}; data as of ${sync.dataAsOf ?? 'never'} (${sync.staleness})`,
        );
        io.out(`outbox     ${sync.outboxPending} waiting, ${sync.conflicts} conflicts`);
      }
      io.out(
        `audit      ${audit.pending} entries waiting for the hub; last acknowledged upload ${audit.lastAcknowledgedUpload ?? 'never'}`,
      );
    }
    return 0;
  },
};

/** Entries waiting for the hub and the time of the hub's last acknowledgement (none without a trail). */
async function auditUploadStatus(
  dataDir: string,
  custodian: Workstation['custodian'],
  logger: Workstation['logger'],
): Promise<{ pending: number; lastAcknowledgedUpload: string | null }> {
  let log;
  try {
    log = await openAuditLog({ dataDir, custodian, logger, create: false });
  } catch (error) {
    if (error instanceof AuditError && error.code === 'NOT_FOUND') return { pending: 0, lastAcknowledgedUpload: null };
    throw error;
  }
  try {
    return { pending: log.queue.pendingCount(), lastAcknowledgedUpload: log.queue.lastAcknowledgedAt() };
  } finally {
    log.close();
  }
}
