// `wardline status [--json] --data DIR`: what this workstation holds, as counts, never patient data;
// for an enrolled workstation also its sync state (state, last success, data as of, outbox, conflicts,
// how old the data is against the staleness thresholds of the policy in force, which the running
// host records in the vault, and how many patients are at each level); and the audit trail's upload
// (entries waiting for the hub, when the hub last acknowledged some).
import { AuditError, openAuditLog } from '../../audit/index.js';
import { DEFAULT_SYNC_POLICY, recordedStalenessThresholds, syncStatusOf } from '../../sync/index.js';
import { DATA_STALENESS_LEVELS } from '../../../shared/staleness/index.js';
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
    let thresholds;
    try {
      status = vault.status();
      acceptedPolicy = vault.policyMark.get();
      // The policy's thresholds as the host last recorded them; Wardline's defaults before it ever ran.
      const recorded = recordedStalenessThresholds(vault);
      thresholds = {
        amberMs: recorded?.amberMs ?? DEFAULT_SYNC_POLICY.staleAmberMs,
        redMs: recorded?.redMs ?? DEFAULT_SYNC_POLICY.staleRedMs,
        source: recorded === null ? ('wardline-defaults' as const) : ('policy' as const),
      };
      // Only an enrolled workstation syncs; its sync part is counts and times, never patient data.
      sync =
        vault.sync.enrollment() === null
          ? null
          : syncStatusOf(vault, { ...DEFAULT_SYNC_POLICY, staleAmberMs: thresholds.amberMs, staleRedMs: thresholds.redMs }, Date.now());
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
            staleness: sync.staleness,
            patientsByStaleness: Object.fromEntries(
              DATA_STALENESS_LEVELS.map((level) => [level, sync.patients.filter((p) => p.staleness === level).length]),
            ),
            outboxPending: sync.outboxPending,
            conflicts: sync.conflicts,
          };
    if (values.json === true) {
      const common = { vault: vaultStatus, stalenessThresholds: thresholds };
      io.out(JSON.stringify(syncPart === null ? { ...common, audit } : { ...common, sync: syncPart, audit }));
    } else {
      io.out(`vault      ${dataDir}`);
      io.out(`encrypted  yes (${status.cipher}), schema version ${status.schemaVersion}`);
      io.out(`ward       ${status.ward ?? '(not set)'}`);
      io.out(`contents   ${status.patients} patients, ${status.resources} resources`);
      io.out(
        `policy     ${acceptedPolicy === null ? 'none accepted yet' : `accepted up to the one issued ${acceptedPolicy.issued} (key ${acceptedPolicy.signedBy}); older ones are refused`}`,
      );
      const minutes = (ms: number): string => `${Math.round(ms / 60_000)} min`;
      io.out(
        `staleness  amber after ${minutes(thresholds.amberMs)}, red after ${minutes(thresholds.redMs)} (${thresholds.source === 'policy' ? 'the policy in force' : 'Wardline defaults: the app has not run with a policy here yet'})`,
      );
      if (sync !== null) {
        io.out(
          `sync       ${sync.state}; last success ${sync.lastSuccess ?? 'never'}; data as of ${sync.dataAsOf ?? 'never'} (${sync.staleness})`,
        );
        io.out(
          `patients   ${DATA_STALENESS_LEVELS.map((level) => `${sync.patients.filter((p) => p.staleness === level).length} ${level}`).join(', ')}`,
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
