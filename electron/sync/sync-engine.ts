// The sync engine of one enrolled workstation: one cycle = push the outbox, take the census, load
// new patients ($everything), walk each type's history since its checkpoint, purge patients who
// left (once their outbox is delivered), pass the credential stamps to the sessions room, and
// record how fresh the data is. Never two cycles at once: calls during a cycle share it, and a lock
// file keeps other processes out. Tells listeners when a cycle ends and how far a first load has
// come. Documentation (electron/documentation) adds to the outbox and asks for a sync.
import { setMaxListeners } from 'node:events';
import type { CryptoKey } from 'jose';
import type { Logger } from 'pino';
import { credentialStampsResponseSchema, type CredentialStampsResponse } from '../../shared/auth/index.js';
import type { Resource } from '../../shared/fhir/index.js';
import type { KeyCustodian, Vault } from '../vault/index.js';
import type { HubLogin } from '../session/index.js';
import { logAuditSink, type SyncAuditEvent, type SyncAuditSink } from './audit-sink.js';
import { cacheWindowStartMs } from './cache-window.js';
import { pullCensus } from './census-pull.js';
import { forEachConcurrently } from './concurrency.js';
import { ConnectivityMonitor, type ConnectivityChange, type ConnectivityState } from './connectivity.js';
import { loadDeviceKey } from './device-key.js';
import { walkHistory } from './history-walk.js';
import { HubClient } from './hub-client.js';
import { openHubConnection, type HubConnection } from './hub-connection.js';
import { createHubLogin } from './hub-login.js';
import { fetchPatientEverything, findPatientsByMrn, type BreakTheGlassAuthority } from './off-ward-fetch.js';
import { pushOutbox, type PushResult } from './outbox-push.js';
import { loadPatient } from './patient-load.js';
import { newCounts, type PullContext } from './pull-context.js';
import { loadReferenceType } from './reference-load.js';
import { acquireSyncLock } from './sync-lock.js';
import { resolveSyncPolicy, type SyncPolicy } from './sync-policy.js';
import { recordedState, SYNC_FACTS, syncStatusOf, type SyncStatus } from './sync-status.js';
import { SyncError } from './sync-error.js';
import { SyncScheduler } from './sync-scheduler.js';
import { WriteBatcher } from './write-batcher.js';
import { CLINICAL_TYPES, REFERENCE_TYPES, SYNCED_TYPES } from './sync-types.js';
import { wardLocationId } from './ward-scope.js';

/** Where the credential stamps go after each sync (the sessions room's SessionManager fits). */
export interface CredentialStampsConsumer {
  applyCredentialStamps(response: CredentialStampsResponse): Promise<unknown>;
}

export interface SyncEngineOptions {
  readonly vault: Vault;
  readonly dataDir: string;
  readonly custodian: KeyCustodian;
  readonly logger: Logger;
  /** Defaults to a sink that writes audit events to the log (until the audit room plugs in). */
  readonly audit?: SyncAuditSink;
  readonly policy?: Partial<SyncPolicy>;
  readonly now?: () => Date;
  readonly random?: () => number;
  readonly credentialStamps?: CredentialStampsConsumer;
}

/** The initial load while it runs: patients loaded of the patients on the census. */
export interface InitialLoadProgress {
  readonly loaded: number;
  readonly total: number;
}

/** What a sync-activity listener is told: a cycle ended (either way), or the initial load moved on. */
export type SyncActivity =
  { readonly kind: 'cycle-ended'; readonly ok: boolean } | { readonly kind: 'initial-load'; readonly progress: InitialLoadProgress };

export interface SyncSummary {
  readonly pushed: PushResult;
  readonly patients: number;
  readonly patientsLoaded: number;
  readonly written: number;
  readonly deleted: number;
  readonly purgedPatients: number;
  readonly durationMs: number;
  readonly state: ConnectivityState;
}

export class SyncEngine {
  readonly #o: SyncEngineOptions;
  readonly #policy: SyncPolicy;
  readonly #now: () => Date;
  readonly #audit: SyncAuditSink;
  readonly #monitor: ConnectivityMonitor;
  readonly #connection: HubConnection;
  readonly #client: HubClient;
  readonly #abort = new AbortController();
  readonly #inFlight = new Set<string>();
  readonly #wardId: string;
  #running: Promise<SyncSummary> | null = null;
  #scheduler: SyncScheduler | null = null;
  #privateKey: Promise<CryptoKey> | null = null;
  #closed = false;
  #initialLoad: InitialLoadProgress | null = null;
  readonly #activityListeners = new Set<(activity: SyncActivity) => void>();
  /** Refusals already audited in this cycle (its parallel requests all meet the same refusal). */
  readonly #auditedRefusals = new Set<string>();

  constructor(options: SyncEngineOptions) {
    this.#o = options;
    const { vault, logger } = options;
    const enrollment = vault.sync.enrollment();
    if (enrollment === null) {
      throw new SyncError(
        'NOT_ENROLLED',
        'This workstation is not enrolled at a hub yet. Ask IT to enroll it (wardline enroll --hub URL --token T --pin SPKI).',
      );
    }
    this.#policy = resolveSyncPolicy(options.policy);
    // Every request in flight listens for the engine closing.
    setMaxListeners(0, this.#abort.signal);
    this.#now = options.now ?? (() => new Date());
    this.#audit = options.audit ?? logAuditSink(logger);
    this.#wardId = wardLocationId(enrollment.ward);
    this.#monitor = new ConnectivityMonitor({
      initial: recordedState(vault),
      slowResponseMs: this.#policy.slowResponseMs,
      now: () => this.#now().getTime(),
    });
    this.#monitor.onChange((change) => {
      logger.info(
        { event: 'sync.connectivity', state: change.state, previous: change.previous, code: change.code },
        'connectivity changed',
      );
    });
    this.#connection = openHubConnection({
      pins: [enrollment.pin, ...this.#policy.extraPins],
      policy: this.#policy,
      onPinMismatch: (host, presentedPin) =>
        this.#auditRefusal({ kind: 'pin-mismatch', host, presentedPin }, `pin:${host}:${presentedPin}`),
    });
    this.#client = new HubClient({
      hubUrl: enrollment.hubUrl,
      send: this.#connection.send,
      clientId: enrollment.clientId,
      tokenUrl: enrollment.tokenUrl,
      privateKey: () =>
        (this.#privateKey ??= loadDeviceKey(options.custodian, options.dataDir).catch((error: unknown) => {
          this.#privateKey = null;
          throw error;
        })),
      policy: this.#policy,
      monitor: this.#monitor,
      logger,
      now: this.#now,
      random: options.random ?? Math.random,
      signal: this.#abort.signal,
      onDeviceRefused: (code) => this.#auditRefusal({ kind: 'device-refused', clientId: enrollment.clientId, code }, `device:${code}`),
    });
  }

  get policy(): SyncPolicy {
    return this.#policy;
  }

  get state(): ConnectivityState {
    return this.#monitor.state;
  }

  /** Called on every connectivity change (online, degraded, offline, hub-down). */
  onStateChange(listener: (change: ConnectivityChange) => void): () => void {
    return this.#monitor.onChange(listener);
  }

  /** Called when a cycle ends (success or failure) and as each patient of the initial load is in. */
  onActivity(listener: (activity: SyncActivity) => void): () => void {
    this.#activityListeners.add(listener);
    return () => this.#activityListeners.delete(listener);
  }

  /** The initial load (the first sync of a ward) while it runs, or null. */
  get initialLoad(): InitialLoadProgress | null {
    return this.#initialLoad;
  }

  status(): SyncStatus {
    return syncStatusOf(this.#o.vault, this.#policy, this.#now().getTime(), this.#monitor.state);
  }

  /** One sync cycle; a call while one runs gets that cycle's outcome. */
  syncOnce(): Promise<SyncSummary> {
    if (this.#closed) return Promise.reject(new SyncError('SYNC_CLOSED', 'Sync was stopped.'));
    this.#running ??= this.#cycle().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Syncs now, then every policy interval, right after local writes, backing off while offline. */
  startScheduler(): void {
    this.#scheduler ??= new SyncScheduler({
      sync: () => this.syncOnce(),
      intervalMs: this.#policy.intervalMs,
      offlineBackoffMaxMs: this.#policy.offlineBackoffMaxMs,
      logger: this.#o.logger,
      random: this.#o.random ?? Math.random,
    });
    this.#scheduler.start();
  }

  /** Outbox entries on the wire right now (documentation must not change them under the push). */
  get outboxInFlight(): ReadonlySet<string> {
    return this.#inFlight;
  }

  /** Asks the scheduler, when it runs, to sync soon (after local writes). */
  requestSync(): void {
    this.#scheduler?.requestSync();
  }

  /** The sessions room's HubLogin port over this engine's pinned, device-authenticated client. */
  hubLogin(): HubLogin {
    return createHubLogin(this.#client);
  }

  /** Break-the-glass, as the signed-in user: the ids of the hub's Patients with this MRN (more than one: ambiguous). */
  findPatientsByMrn(mrn: string, authority: BreakTheGlassAuthority): Promise<string[]> {
    if (this.#closed) return Promise.reject(new SyncError('SYNC_CLOSED', 'Sync was stopped.'));
    return findPatientsByMrn(this.#client, mrn, authority);
  }

  /** Break-the-glass, as the signed-in user: a patient's chart from the hub ($everything), for the caller to hold (never the vault). */
  fetchPatientEverything(patientId: string, authority: BreakTheGlassAuthority): Promise<Resource[]> {
    if (this.#closed) return Promise.reject(new SyncError('SYNC_CLOSED', 'Sync was stopped.'));
    return fetchPatientEverything(this.#client, patientId, authority, this.#policy.pageSize);
  }

  /** Stops the scheduler and any request under way, waits for the cycle to end, closes connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#scheduler?.stop();
    this.#abort.abort(new SyncError('SYNC_CLOSED', 'Sync was stopped.'));
    await this.#running?.catch(() => undefined);
    this.#connection.close();
  }

  #tell(activity: SyncActivity): void {
    for (const listener of this.#activityListeners) {
      try {
        listener(activity);
      } catch (error) {
        this.#o.logger.warn(
          { event: 'sync.listener_failed', error: error instanceof Error ? error.name : 'unknown' },
          'sync activity listener failed',
        );
      }
    }
  }

  #auditRefusal(event: SyncAuditEvent, key: string): void {
    if (this.#auditedRefusals.has(key)) return;
    this.#auditedRefusals.add(key);
    this.#audit.record(event);
  }

  async #cycle(): Promise<SyncSummary> {
    const { vault, logger, dataDir } = this.#o;
    this.#auditedRefusals.clear();
    const started = this.#now();
    const lock = acquireSyncLock(dataDir, this.#policy.lockLeaseMs, () => this.#now().getTime());
    const renew = setInterval(() => lock.renew(), Math.max(1000, this.#policy.lockLeaseMs / 3));
    try {
      const { summary, censusIds } = await this.#steps(started);
      const finished = this.#now();
      vault.transaction(() => {
        vault.sync.markPatientsCurrent([...censusIds], started.toISOString());
        vault.sync.setFact(SYNC_FACTS.state, this.#monitor.state);
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
      this.#initialLoad = null;
      this.#tell({ kind: 'cycle-ended', ok: true });
      return summary;
    } catch (error) {
      const code = error instanceof SyncError ? error.code : 'INTERNAL';
      if (vault.isOpen) {
        vault.transaction(() => {
          vault.sync.setFact(SYNC_FACTS.state, this.#monitor.state);
          vault.sync.setFact(SYNC_FACTS.lastError, code);
        });
      }
      logger.warn({ event: 'sync.cycle_failed', code, state: this.#monitor.state }, 'sync cycle failed');
      this.#initialLoad = null;
      if (vault.isOpen) this.#tell({ kind: 'cycle-ended', ok: false });
      throw error;
    } finally {
      clearInterval(renew);
      lock.release();
    }
  }

  async #steps(started: Date): Promise<{ summary: SyncSummary; censusIds: ReadonlySet<string> }> {
    const { vault, logger } = this.#o;
    const startedIso = started.toISOString();
    const pushed = await pushOutbox({
      client: this.#client,
      vault,
      logger,
      batchSize: this.#policy.pushBatchSize,
      now: this.#now,
      inFlight: this.#inFlight,
    });
    const context: PullContext = {
      client: this.#client,
      vault,
      logger,
      policy: this.#policy,
      wardId: this.#wardId,
      censusIds: new Set(),
      windowStarts: new Map(),
      knownIds: vault.sync.trackedPatientIds(),
      counts: newCounts(),
    };
    const stamps = this.#o.credentialStamps === undefined ? null : this.#client.getJson('/auth/credential-stamps');
    stamps?.catch(() => undefined);
    const firstSync = SYNCED_TYPES.some((type) => vault.checkpoints.get(type) === null);
    // The census and, in a routine cycle, the first page of every history walk go out together; the
    // walks write only once the census is in and new patients are loaded (a load must not bring
    // back what a walk has deleted since).
    const census = pullCensus(this.#client, this.#wardId, this.#policy.pageSize).then((result) => {
      for (const patientId of result.patientIds) {
        context.censusIds.add(patientId);
        context.windowStarts.set(
          patientId,
          cacheWindowStartMs(result.admissions.get(patientId), this.#policy.daysBeforeAdmission, result.lastUpdated),
        );
      }
      return result;
    });
    let patientsLoaded = 0;
    const loads = census.then(async (result) => {
      if (firstSync) {
        this.#initialiseCheckpoints(result.lastUpdated);
        for (const type of REFERENCE_TYPES) {
          if (vault.checkpoints.get(type) === null) await loadReferenceType(context, type);
        }
      }
      const toLoad = [...result.patientIds].filter((patientId) => vault.sync.patient(patientId)?.loadState !== 'loaded');
      patientsLoaded = toLoad.length;
      const batcher = new WriteBatcher(vault, this.#policy.maxResourcesPerTransaction);
      const progress = firstSync ? { loaded: result.patientIds.size - toLoad.length, total: result.patientIds.size } : null;
      this.#initialLoad = progress === null ? null : { ...progress };
      try {
        await forEachConcurrently(toLoad, this.#policy.loadConcurrency, async (patientId) => {
          await loadPatient(context, patientId, startedIso, batcher);
          if (progress === null) return;
          progress.loaded += 1;
          this.#initialLoad = { ...progress };
          this.#tell({ kind: 'initial-load', progress: this.#initialLoad });
        });
      } finally {
        // Whole pages with their positions: worth keeping even when another load failed.
        batcher.flush();
      }
    });
    if (firstSync) await loads;
    const walks = forEachConcurrently(SYNCED_TYPES, SYNCED_TYPES.length, (type) =>
      walkHistory(context, type, vault.checkpoints.get(type)!, loads),
    );
    await settleAll([census, loads, walks]);
    const censusIds = (await census).patientIds;
    const purged = this.#purgeLeavers(censusIds);
    if (stamps !== null) await this.#passCredentialStamps(await stamps);
    const summary: SyncSummary = {
      pushed,
      patients: censusIds.size,
      patientsLoaded,
      written: context.counts.written,
      deleted: context.counts.deleted,
      purgedPatients: purged,
      durationMs: this.#now().getTime() - started.getTime(),
      state: this.#monitor.state,
    };
    return { summary, censusIds };
  }

  /**
   * First sync: every clinical type starts at the census' hub time (the $everything loads cover what
   * is older). A type without a checkpoint while patients are cached means their loads predate it:
   * they are loaded again.
   */
  #initialiseCheckpoints(censusTime: string): void {
    const { vault } = this.#o;
    const missing = CLINICAL_TYPES.filter((type) => vault.checkpoints.get(type) === null);
    if (missing.length === 0) return;
    vault.transaction(() => {
      for (const patient of vault.sync.patients()) vault.sync.setPatientLoading(patient.patientId, null);
      for (const type of missing) vault.checkpoints.set(type, censusTime);
    });
  }

  /** Patients no longer on the ward leave the vault once nothing of theirs waits in the outbox. */
  #purgeLeavers(censusIds: ReadonlySet<string>): number {
    const { vault, logger } = this.#o;
    const waiting = vault.outbox.patientsWithPending();
    const leaving = [...vault.sync.trackedPatientIds()].filter((patientId) => !censusIds.has(patientId));
    const purgeable = leaving.filter((patientId) => !waiting.has(patientId));
    if (purgeable.length === 0) return 0;
    let resources = 0;
    for (const patientId of purgeable) resources += vault.sync.purgePatient(patientId);
    this.#audit.record({ kind: 'purge', patientIds: purgeable, resources });
    logger.info(
      { event: 'sync.purged', patients: purgeable.length, resources, heldForOutbox: leaving.length - purgeable.length },
      'patients who left the ward purged',
    );
    return purgeable.length;
  }

  async #passCredentialStamps(answer: unknown): Promise<void> {
    const parsed = credentialStampsResponseSchema.safeParse(answer);
    if (!parsed.success) {
      throw new SyncError(
        'HUB_ANSWER_INVALID',
        'The hub sent credential stamps this workstation cannot read. Ask IT to check that hub and workstation versions match.',
      );
    }
    await this.#o.credentialStamps?.applyCredentialStamps(parsed.data);
  }
}

/** Waits until every one has settled (no work left running), then throws the first failure. */
async function settleAll(work: readonly Promise<unknown>[]): Promise<void> {
  const outcomes = await Promise.allSettled(work);
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

/** Opens the sync engine of an enrolled workstation (throws NOT_ENROLLED otherwise). */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  return new SyncEngine(options);
}
