// What the window's sync banner is told (sync:status, sync:now, the sync:changed event): the sync
// engine's status without its per-patient list, whether the workstation is enrolled, how far a first
// load has come, the policy's thresholds and poll interval, and whether the watchdog finds sync
// stopped. Counts and times only, no patient id. And one patient's data as of and staleness
// (sync:patient-freshness), by the same policy.
import type { PatientFreshnessData, SyncStatusData } from '../../shared/contract/index.js';
import { patientFreshnessOf, syncStatusOf, type SyncEngine, type SyncPolicy } from '../sync/index.js';
import type { Vault } from '../vault/index.js';

export interface SyncStatusSource {
  readonly vault: Vault;
  /** The sync engine, or null on a workstation that is not enrolled. */
  readonly sync: Pick<SyncEngine, 'status' | 'initialLoad' | 'policy' | 'patientFreshness'> | null;
  /** The sync policy in force (thresholds for a workstation that is not enrolled). */
  readonly policy: SyncPolicy;
  /** Epoch ms, for the age of the cache of a workstation that is not enrolled. */
  readonly now: () => number;
}

export function syncStatusView({ vault, sync, policy: fallback, now }: SyncStatusSource): SyncStatusData {
  const policy = sync?.policy ?? fallback;
  const status = sync === null ? syncStatusOf(vault, policy, now(), 'offline') : sync.status();
  return {
    enrolled: sync !== null,
    state: status.state,
    lastSuccess: status.lastSuccess,
    dataAsOf: status.dataAsOf,
    staleness: status.staleness,
    outboxPending: status.outboxPending,
    conflicts: status.conflicts,
    lastError: status.lastError,
    initialLoad: sync?.initialLoad ?? null,
    staleAmberMs: policy.staleAmberMs,
    staleRedMs: policy.staleRedMs,
    pollIntervalMs: policy.intervalMs,
    stopped: status.stopped,
  };
}

/** One patient's data as of and staleness, by the policy the banner uses; null when the vault does not track the patient. */
export function patientFreshnessView(
  { vault, sync, policy: fallback, now }: SyncStatusSource,
  patientId: string,
): PatientFreshnessData | null {
  const freshness = sync === null ? patientFreshnessOf(vault, fallback, now(), patientId) : sync.patientFreshness(patientId);
  return freshness === null ? null : { dataAsOf: freshness.dataAsOf, staleness: freshness.staleness };
}
