// What the workstation tells about its sync (status bar, `wardline status --json`): connectivity
// state, last success, how old the data is (ward and per patient, with amber/red from policy), and
// what waits in the outbox or as conflicts. Counts and times only.
import type { SyncStopped } from '../../shared/contract/index.js';
import type { Vault } from '../vault/index.js';
import { dataStaleness, type DataStaleness, type StalenessThresholds } from '../../shared/staleness/index.js';
import type { ConnectivityState } from './connectivity.js';
import type { SyncPolicy } from './sync-policy.js';

export interface PatientFreshness {
  readonly patientId: string;
  readonly dataAsOf: string | null;
  readonly staleness: DataStaleness;
}

export interface SyncStatus {
  readonly state: ConnectivityState;
  /** Workstation time the last complete sync ended, or null. */
  readonly lastSuccess: string | null;
  /** Workstation time the cached ward data was last brought up to date (the start of that sync). */
  readonly dataAsOf: string | null;
  readonly staleness: DataStaleness;
  readonly outboxPending: number;
  readonly conflicts: number;
  /** The code of the last failure (e.g. HUB_UNREACHABLE, PIN_MISMATCH), or null after a success. */
  readonly lastError: string | null;
  readonly patients: readonly PatientFreshness[];
  /** Set by the running host's sync watchdog while sync has stopped; null otherwise. */
  readonly stopped: SyncStopped | null;
}

export const SYNC_FACTS = {
  state: 'state',
  lastSuccess: 'last_success',
  dataAsOf: 'data_as_of',
  lastError: 'last_error',
  staleAmberMs: 'stale_amber_ms',
  staleRedMs: 'stale_red_ms',
} as const;

/**
 * Keeps the staleness thresholds of the policy in force in the vault (the running host does, each
 * time it starts with a verified policy), so `wardline status` judges the data by the same policy.
 */
export function recordStalenessThresholds(vault: Vault, policy: Pick<SyncPolicy, 'staleAmberMs' | 'staleRedMs'>): void {
  vault.sync.setFact(SYNC_FACTS.staleAmberMs, String(policy.staleAmberMs));
  vault.sync.setFact(SYNC_FACTS.staleRedMs, String(policy.staleRedMs));
}

/** The thresholds the host last recorded (recordStalenessThresholds), or null when it never did. */
export function recordedStalenessThresholds(vault: Vault): StalenessThresholds | null {
  const amberMs = Number(vault.sync.fact(SYNC_FACTS.staleAmberMs) ?? Number.NaN);
  const redMs = Number(vault.sync.fact(SYNC_FACTS.staleRedMs) ?? Number.NaN);
  return Number.isFinite(amberMs) && Number.isFinite(redMs) && amberMs > 0 && redMs > 0 ? { amberMs, redMs } : null;
}

const STATES: readonly ConnectivityState[] = ['online', 'degraded', 'offline', 'hub-down'];

/** The state last recorded in the vault (offline when none was: nothing has been heard from the hub). */
export function recordedState(vault: Vault): ConnectivityState {
  const state = vault.sync.fact(SYNC_FACTS.state);
  return STATES.find((known) => known === state) ?? 'offline';
}

/** How fresh one patient's cached data is (as syncStatusOf counts it), or null when the vault does not track the patient. */
export function patientFreshnessOf(vault: Vault, policy: SyncPolicy, nowMs: number, patientId: string): PatientFreshness | null {
  const patient = vault.sync.patient(patientId);
  if (patient === null) return null;
  return {
    patientId,
    dataAsOf: patient.dataAsOf,
    staleness: dataStaleness(patient.dataAsOf, nowMs, { amberMs: policy.staleAmberMs, redMs: policy.staleRedMs }),
  };
}

export function syncStatusOf(vault: Vault, policy: SyncPolicy, nowMs: number, liveState?: ConnectivityState): SyncStatus {
  const thresholds = { amberMs: policy.staleAmberMs, redMs: policy.staleRedMs };
  const dataAsOf = vault.sync.fact(SYNC_FACTS.dataAsOf);
  return {
    state: liveState ?? recordedState(vault),
    lastSuccess: vault.sync.fact(SYNC_FACTS.lastSuccess),
    dataAsOf,
    staleness: dataStaleness(dataAsOf, nowMs, thresholds),
    outboxPending: vault.outbox.count(),
    conflicts: vault.conflicts.count(),
    lastError: vault.sync.fact(SYNC_FACTS.lastError),
    patients: vault.sync.patients().map((patient) => ({
      patientId: patient.patientId,
      dataAsOf: patient.dataAsOf,
      staleness: dataStaleness(patient.dataAsOf, nowMs, thresholds),
    })),
    stopped: null,
  };
}
