// One sync cycle: push the outbox, take the census, load new patients ($everything), walk each
// type's history since its checkpoint, purge patients who left (once their outbox is delivered),
// pass the credential stamps to the sessions room, and record how fresh the data is. Runs under
// the cross-process sync lock; the sync engine makes sure only one runs at a time.
import type { Logger } from 'pino';
import { credentialStampsResponseSchema, type CredentialStampsResponse } from '../../shared/auth/index.js';
import type { SyncStopReason } from '../../shared/contract/index.js';
import type { Vault } from '../vault/index.js';
import type { SyncAuditSink } from './audit-sink.js';
import { cacheWindowStartMs } from './cache-window.js';
import { pullCensus } from './census-pull.js';
import { forEachConcurrently } from './concurrency.js';
import type { ConnectivityState } from './connectivity.js';
import { walkHistory } from './history-walk.js';
import type { HubClient } from './hub-client.js';
import { pushOutbox, type PushCounts } from './outbox-push.js';
import type { PageReaders } from './page-reader-fallback.js';
import type { DeliveredEntry } from './recent-deliveries.js';
import { loadPatient } from './patient-load.js';
import { newCounts, type PullContext } from './pull-context.js';
import { loadReferenceType } from './reference-load.js';
import { acquireSyncLock, type HeldSyncLock } from './sync-lock.js';
import { pageReaderLimits, type SyncPolicy } from './sync-policy.js';
import { SYNC_FACTS } from './sync-status.js';
import { SyncError } from './sync-error.js';
import { WriteBatcher } from './write-batcher.js';
import { CLINICAL_TYPES, REFERENCE_TYPES, SYNCED_TYPES } from './sync-types.js';

/** Where the credential stamps go after each sync (the sessions room's SessionManager fits). */
export interface CredentialStampsConsumer {
  applyCredentialStamps(response: CredentialStampsResponse): Promise<unknown>;
}

/** The initial load while it runs: patients loaded of the patients on the census. */
export interface InitialLoadProgress {
  readonly loaded: number;
  readonly total: number;
}

/** What a sync-activity listener is told: a cycle ended (either way), or the initial load moved on. */
export type SyncActivity =
  | { readonly kind: 'cycle-ended'; readonly ok: boolean }
  | { readonly kind: 'initial-load'; readonly progress: InitialLoadProgress }
  /** The watchdog found sync stopped (and restarted the loop). */
  | { readonly kind: 'stopped'; readonly reason: SyncStopReason }
  /** A local write changed what waits for the hub (documentation, a settled conflict), told at once: the banner's count must not wait for a cycle. */
  | { readonly kind: 'outbox-changed' }
  /** The hub acknowledged these outbox entries (told as soon as the push ends, whatever follows). */
  | { readonly kind: 'delivered'; readonly entries: readonly DeliveredEntry[] };

export interface SyncSummary {
  /** How many outbox entries went, became conflicts or were rejected (counts only: it is logged). */
  readonly pushed: PushCounts;
  readonly patients: number;
  readonly patientsLoaded: number;
  readonly written: number;
  readonly deleted: number;
  readonly purgedPatients: number;
  readonly durationMs: number;
  readonly state: ConnectivityState;
}

/** What a cycle needs of the engine that runs it. */
export interface SyncCycleContext {
  readonly vault: Vault;
  readonly logger: Logger;
  readonly dataDir: string;
  readonly policy: SyncPolicy;
  readonly client: HubClient;
  readonly audit: SyncAuditSink;
  readonly wardId: string;
  /** Outbox entries on the wire (the push adds and removes them). */
  readonly inFlight: Set<string>;
  /** The initial loads' page readers (none once one has failed: page-reader-fallback.ts). */
  readonly pageReaders: PageReaders;
  readonly credentialStamps?: CredentialStampsConsumer | undefined;
  now(): Date;
  /** The connectivity state as of now. */
  state(): ConnectivityState;
  /** Called as the cycle starts (the engine forgets the refusals it audited in the last one). */
  startCycle(): void;
  /** Called when the cycle that started at `started` succeeded, before its state is recorded (the connectivity monitor's cycleSucceeded). */
  cycleSucceeded(started: Date): void;
  setInitialLoad(progress: InitialLoadProgress | null): void;
  tell(activity: SyncActivity): void;
}

export async function runSyncCycle(cycle: SyncCycleContext): Promise<SyncSummary> {
  const { vault, logger, dataDir } = cycle;
  cycle.startCycle();
  const started = cycle.now();
  let lock: HeldSyncLock | null = null;
  let renew: NodeJS.Timeout | null = null;
  try {
    // Inside the try: a lock that cannot be taken (a folder replaced under the host) is a failed
    // cycle like any other, recorded, logged and shown.
    const held = acquireSyncLock(dataDir, cycle.policy.lockLeaseMs, () => cycle.now().getTime());
    lock = held;
    renew = setInterval(() => held.renew(), Math.max(1000, cycle.policy.lockLeaseMs / 3));
    const { summary, censusIds } = await steps(cycle, started);
    const finished = cycle.now();
    // A whole cycle without trouble ends "connection problems" now (the banner's state follows cycles).
    cycle.cycleSucceeded(started);
    vault.transaction(() => {
      vault.sync.markPatientsCurrent([...censusIds], started.toISOString());
      vault.sync.setFact(SYNC_FACTS.state, cycle.state());
      vault.sync.setFact(SYNC_FACTS.lastSuccess, finished.toISOString());
      vault.sync.setFact(SYNC_FACTS.dataAsOf, started.toISOString());
      vault.sync.setFact(SYNC_FACTS.lastError, null);
    });
    logger.info(
      {
        event: 'sync.cycle',
        ...summary.pushed,
        patients: summary.patients,
        loaded: summary.patientsLoaded,
        written: summary.written,
        deleted: summary.deleted,
        purged: summary.purgedPatients,
        ms: Math.round(summary.durationMs),
      },
      'sync cycle complete',
    );
    cycle.setInitialLoad(null);
    cycle.tell({ kind: 'cycle-ended', ok: true });
    return summary;
  } catch (error) {
    const code = error instanceof SyncError ? error.code : 'INTERNAL';
    const cause = error instanceof SyncError ? null : (error as { code?: unknown }).code;
    try {
      if (vault.isOpen) {
        vault.transaction(() => {
          vault.sync.setFact(SYNC_FACTS.state, cycle.state());
          vault.sync.setFact(SYNC_FACTS.lastError, code);
        });
      }
    } catch (recordError) {
      logger.error(
        { event: 'sync.failure_unrecorded', code: (recordError as { code?: unknown }).code ?? null },
        'sync failure not recorded',
      );
    }
    logger.warn(
      { event: 'sync.cycle_failed', code, ...(typeof cause === 'string' ? { cause } : {}), state: cycle.state() },
      'sync cycle failed',
    );
    cycle.setInitialLoad(null);
    if (vault.isOpen) cycle.tell({ kind: 'cycle-ended', ok: false });
    throw error;
  } finally {
    if (renew !== null) clearInterval(renew);
    try {
      lock?.release();
    } catch (error) {
      logger.warn({ event: 'sync.lock_release_failed', code: (error as { code?: unknown }).code ?? null }, 'sync lock not released');
    }
  }
}

async function steps(cycle: SyncCycleContext, started: Date): Promise<{ summary: SyncSummary; censusIds: ReadonlySet<string> }> {
  const { vault, logger } = cycle;
  const startedIso = started.toISOString();
  const pushed = await pushOutbox({
    client: cycle.client,
    vault,
    logger,
    batchSize: cycle.policy.pushBatchSize,
    now: () => cycle.now(),
    inFlight: cycle.inFlight,
  });
  if (pushed.deliveredEntries.length > 0) cycle.tell({ kind: 'delivered', entries: pushed.deliveredEntries });
  const context: PullContext = {
    client: cycle.client,
    vault,
    logger,
    policy: cycle.policy,
    wardId: cycle.wardId,
    censusIds: new Set(),
    windowStarts: new Map(),
    knownIds: vault.sync.trackedPatientIds(),
    counts: newCounts(),
  };
  const stamps = cycle.credentialStamps === undefined ? null : cycle.client.getJson('/auth/credential-stamps');
  stamps?.catch(() => undefined);
  const firstSync = SYNCED_TYPES.some((type) => vault.checkpoints.get(type) === null);
  // The census and, in a routine cycle, the first page of every history walk go out together; the
  // walks write only once the census is in and new patients are loaded (a load must not bring
  // back what a walk has deleted since).
  const census = pullCensus(cycle.client, cycle.wardId, cycle.policy.pageSize).then((result) => {
    for (const patientId of result.patientIds) {
      context.censusIds.add(patientId);
      context.windowStarts.set(
        patientId,
        cacheWindowStartMs(result.admissions.get(patientId), cycle.policy.daysBeforeAdmission, result.lastUpdated),
      );
    }
    return result;
  });
  let patientsLoaded = 0;
  const loads = census.then(async (result) => {
    // The initial load writes in the vault's bulk-load mode (a smaller page cache, as it holds hub
    // pages beside it, and a rollback journal instead of WAL), always ended, error or not.
    if (firstSync) vault.beginBulkLoad();
    try {
      if (firstSync) {
        initialiseCheckpoints(vault, result.lastUpdated);
        for (const type of REFERENCE_TYPES) {
          if (vault.checkpoints.get(type) === null) await loadReferenceType(context, type);
        }
      }
      await loadNewPatients(cycle, context, result.patientIds, startedIso, firstSync, (count) => {
        patientsLoaded = count;
      });
    } finally {
      if (firstSync) vault.endBulkLoad();
    }
  });
  if (firstSync) await loads;
  const walks = forEachConcurrently(SYNCED_TYPES, SYNCED_TYPES.length, (type) =>
    walkHistory(context, type, vault.checkpoints.get(type)!, loads),
  );
  await settleAll([census, loads, walks]);
  const censusIds = (await census).patientIds;
  const purged = purgeLeavers(cycle, censusIds);
  if (stamps !== null) await passCredentialStamps(cycle, await stamps);
  const summary: SyncSummary = {
    pushed: { delivered: pushed.delivered, conflicts: pushed.conflicts, rejected: pushed.rejected },
    patients: censusIds.size,
    patientsLoaded,
    written: context.counts.written,
    deleted: context.counts.deleted,
    purgedPatients: purged,
    durationMs: cycle.now().getTime() - started.getTime(),
    state: cycle.state(),
  };
  return { summary, censusIds };
}

/** Loads ($everything) the census' patients not loaded yet, several at a time, their pages written in shared transactions. */
async function loadNewPatients(
  cycle: SyncCycleContext,
  context: PullContext,
  patientIds: ReadonlySet<string>,
  startedIso: string,
  firstSync: boolean,
  counted: (patients: number) => void,
): Promise<void> {
  const { vault } = cycle;
  const toLoad = [...patientIds].filter((patientId) => vault.sync.patient(patientId)?.loadState !== 'loaded');
  counted(toLoad.length);
  const batcher = new WriteBatcher(vault, cycle.policy.maxResourcesPerTransaction);
  const progress = firstSync ? { loaded: patientIds.size - toLoad.length, total: patientIds.size } : null;
  cycle.setInitialLoad(progress === null ? null : { ...progress });
  // A ward's worth of pages is read on a thread of its own (page-reader.ts); an admission or two
  // is read here (starting the reader would cost more than it saves), and so is everything once a
  // reader has failed (page-reader-fallback.ts).
  const reader = toLoad.length >= cycle.policy.pageReaderMinPatients ? cycle.pageReaders.open(pageReaderLimits(cycle.policy)) : null;
  try {
    await forEachConcurrently(toLoad, cycle.policy.loadConcurrency, async (patientId) => {
      await loadPatient(context, patientId, startedIso, batcher, reader);
      if (progress === null) return;
      progress.loaded += 1;
      const moved = { ...progress };
      cycle.setInitialLoad(moved);
      cycle.tell({ kind: 'initial-load', progress: moved });
    });
  } finally {
    // Whole pages with their positions: worth keeping even when another load failed.
    try {
      batcher.flush();
    } finally {
      await reader?.close();
    }
  }
}

/**
 * First sync: every clinical type starts at the census' hub time (the $everything loads cover what
 * is older). A type without a checkpoint while patients are cached means their loads predate it:
 * they are loaded again.
 */
function initialiseCheckpoints(vault: Vault, censusTime: string): void {
  const missing = CLINICAL_TYPES.filter((type) => vault.checkpoints.get(type) === null);
  if (missing.length === 0) return;
  vault.transaction(() => {
    for (const patient of vault.sync.patients()) vault.sync.setPatientLoading(patient.patientId, null);
    for (const type of missing) vault.checkpoints.set(type, censusTime);
  });
}

/**
 * Patients no longer on the ward leave the vault once nothing of theirs waits in the outbox and no
 * conflict of theirs is open (the ward settles it first, on the conflicts screen). The audit trail
 * records the purge before it is done.
 */
function purgeLeavers(cycle: SyncCycleContext, censusIds: ReadonlySet<string>): number {
  const { vault, logger } = cycle;
  const waiting = vault.outbox.patientsWithPending();
  for (const conflict of vault.conflicts.list()) waiting.add(conflict.patientId);
  const leaving = [...vault.sync.trackedPatientIds()].filter((patientId) => !censusIds.has(patientId));
  const purgeable = leaving.filter((patientId) => !waiting.has(patientId));
  if (purgeable.length === 0) return 0;
  let resources = 0;
  for (const patientId of purgeable) resources += vault.sync.patientResourceCount(patientId);
  // Recorded (committed) before anything is deleted: a kill between the two leaves the entries and
  // the patients, whom the next cycle purges (recording them again); a failed record purges nobody.
  cycle.audit.record({ kind: 'purge', patientIds: purgeable, resources });
  for (const patientId of purgeable) vault.sync.purgePatient(patientId);
  logger.info(
    { event: 'sync.purged', patients: purgeable.length, resources, heldForOutboxOrConflicts: leaving.length - purgeable.length },
    'patients who left the ward purged',
  );
  return purgeable.length;
}

async function passCredentialStamps(cycle: SyncCycleContext, answer: unknown): Promise<void> {
  const parsed = credentialStampsResponseSchema.safeParse(answer);
  if (!parsed.success) {
    throw new SyncError(
      'HUB_ANSWER_MALFORMED',
      'The hub sent credential stamps this workstation cannot read. Ask IT to check that hub and workstation versions match.',
    );
  }
  await cycle.credentialStamps?.applyCredentialStamps(parsed.data);
}

/** Waits until every one has settled (no work left running), then throws the first failure. */
async function settleAll(work: readonly Promise<unknown>[]): Promise<void> {
  const outcomes = await Promise.allSettled(work);
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}
