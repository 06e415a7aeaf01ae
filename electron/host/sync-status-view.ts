// What the window's sync banner is told (sync:status, sync:now, the sync:changed event): the sync
// engine's status without its per-patient list, whether the workstation is enrolled, how far a first
// load has come, the policy's thresholds and poll interval, and whether the watchdog finds sync
// stopped. Counts and times only, no patient id.
import type { SyncStatusData } from '../../shared/contract/index.js';
import { syncStatusOf, type SyncEngine, type SyncPolicy } from '../sync/index.js';
import type { Vault } from '../vault/index.js';

export interface SyncStatusSource {
  readonly vault: Vault;
  /** The sync engine, or null on a workstation that is not enrolled. */
  readonly sync: Pick<SyncEngine, 'status' | 'initialLoad' | 'policy'> | null;
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
