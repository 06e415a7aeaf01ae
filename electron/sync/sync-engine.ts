// The sync engine of one enrolled workstation: composes the pinned, device-authenticated hub
// client, the connectivity monitor, the scheduler and the sync cycle (sync-cycle.ts). Never two
// cycles at once: calls during a cycle share it, and a lock file keeps other processes out. Tells
// listeners when a cycle ends and how far a first load has come. While the scheduler runs, a
// watchdog (sync-watchdog.ts) checks that cycles still do their job; when they do not, the status
// says "stopped" and why, the log says so at warning level, and the loop is restarted (requests
// on the wire aborted, a new scheduler). Also the sessions room's hub
// sign-in and break-the-glass fetches over the same client. Documentation (electron/documentation)
// adds to the outbox and asks for a sync.
import { setMaxListeners } from 'node:events';
import type { CryptoKey } from 'jose';
import type { Logger } from 'pino';
import type { Resource } from '../../shared/fhir/index.js';
import type { KeyCustodian, Vault } from '../vault/index.js';
import type { HubLogin } from '../session/index.js';
import { logAuditSink, type SyncAuditEvent, type SyncAuditSink } from './audit-sink.js';
import { ConnectivityMonitor, type ConnectivityChange, type ConnectivityState } from './connectivity.js';
import { loadDeviceKey } from './device-key.js';
import { hubAuditLink, type HubAuditLink } from './hub-audit-link.js';
import { HubClient } from './hub-client.js';
import { openHubConnection, type HubConnection } from './hub-connection.js';
import { PageReaders } from './page-reader-fallback.js';
import { createHubLogin } from './hub-login.js';
import { fetchPatientEverything, findPatientsByMrn, type BreakTheGlassAuthority } from './off-ward-fetch.js';
import {
  runSyncCycle,
  type CredentialStampsConsumer,
  type InitialLoadProgress,
  type SyncActivity,
  type SyncSummary,
} from './sync-cycle.js';
import { resolveSyncPolicy, type SyncPolicy } from './sync-policy.js';
import { patientFreshnessOf, recordedState, syncStatusOf, type PatientFreshness, type SyncStatus } from './sync-status.js';
import { isSyncError, SyncError } from './sync-error.js';
import { SyncScheduler } from './sync-scheduler.js';
import { SyncWatchdog } from './sync-watchdog.js';
import { RecentDeliveries, type DeliveredEntry } from './recent-deliveries.js';
import { CYCLES_FAIL_STOP_REASONS, type SyncStopped, type SyncStopReason } from '../../shared/contract/index.js';
import { wardLocationId } from './ward-scope.js';

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
  /** The initial load's page reader thread's module (tests give one that fails); sync-page-worker by default. */
  readonly pageReaderModule?: URL;
}

export class SyncEngine {
  readonly #o: SyncEngineOptions;
  readonly #policy: SyncPolicy;
  readonly #now: () => Date;
  readonly #audit: SyncAuditSink;
  readonly #monitor: ConnectivityMonitor;
  readonly #connection: HubConnection;
  readonly #client: HubClient;
  /** Aborts requests on the wire: at close, and when the watchdog restarts the loop (then replaced). */
  #abort = newAbortController();
  readonly #inFlight = new Set<string>();
  readonly #wardId: string;
  readonly #clientId: string;
  #running: Promise<SyncSummary> | null = null;
  #scheduler: SyncScheduler | null = null;
  #watchdog: SyncWatchdog | null = null;
  #watchdogTimer: NodeJS.Timeout | null = null;
  #stopped: SyncStopped | null = null;
  #privateKey: Promise<CryptoKey> | null = null;
  #closed = false;
  #initialLoad: InitialLoadProgress | null = null;
  readonly #activityListeners = new Set<(activity: SyncActivity) => void>();
  /** Refusals already audited in this cycle (its parallel requests all meet the same refusal). */
  readonly #auditedRefusals = new Set<string>();
  readonly #deliveries = new RecentDeliveries();
  /** Kept for the engine's life: once a page reader failed, no load uses one again. */
  readonly #pageReaders: PageReaders;

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
    this.#now = options.now ?? (() => new Date());
    this.#audit = options.audit ?? logAuditSink(logger);
    this.#pageReaders = new PageReaders(logger, options.pageReaderModule);
    this.#wardId = wardLocationId(enrollment.ward);
    this.#clientId = enrollment.clientId;
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
      // Every answer from the hub is progress for the watchdog (a long first load is not a hung one).
      send: async (request, signal) => {
        const response = await this.#connection.send(request, signal);
        this.#watchdog?.progressed();
        return response;
      },
      clientId: enrollment.clientId,
      tokenUrl: enrollment.tokenUrl,
      privateKey: () => this.#deviceKey(),
      policy: this.#policy,
      monitor: this.#monitor,
      logger,
      now: this.#now,
      random: options.random ?? Math.random,
      signal: () => this.#abort.signal,
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

  /** What the hub acknowledged of this patient's documentation lately (this host's run), newest first. */
  deliveredRecently(patientId: string): DeliveredEntry[] {
    return this.#deliveries.of(patientId, this.#now());
  }

  /** The initial load (the first sync of a ward) while it runs, or null. */
  get initialLoad(): InitialLoadProgress | null {
    return this.#initialLoad;
  }

  status(): SyncStatus {
    return { ...syncStatusOf(this.#o.vault, this.#policy, this.#now().getTime(), this.#monitor.state), stopped: this.#stopped };
  }

  /** One patient's data as of and staleness, as status() judges the ward's (null when the vault does not track the patient). */
  patientFreshness(patientId: string): PatientFreshness | null {
    return patientFreshnessOf(this.#o.vault, this.#policy, this.#now().getTime(), patientId);
  }

  /** One sync cycle; a call while one runs gets that cycle's outcome. */
  syncOnce(): Promise<SyncSummary> {
    if (this.#closed) return Promise.reject(new SyncError('SYNC_CLOSED', 'Sync was stopped.'));
    if (this.#running === null) {
      this.#watchdog?.cycleStarted();
      this.#running = this.#cycle().then(
        (summary) => {
          this.#running = null;
          this.#cycleEnded(true);
          return summary;
        },
        (error: unknown) => {
          this.#running = null;
          this.#cycleEnded(false);
          if (isSyncError(error, 'HUB_ANSWER_MALFORMED')) this.#cyclesFail('hub-answer-unreadable', error);
          if (isSyncError(error, 'DATA_FOLDER_UNAVAILABLE')) this.#cyclesFail('data-folder-unavailable', error);
          throw error;
        },
      );
    }
    return this.#running;
  }

  /**
   * Syncs now, then every policy interval, right after local writes, backing off while offline;
   * the watchdog checks on it (every `watchdogCheckMs`, by default a tenth of the policy's
   * stoppedAfterMs, at most a minute).
   */
  startScheduler(options: { watchdogCheckMs?: number } = {}): void {
    if (this.#closed) return;
    this.#scheduler ??= this.#newScheduler();
    this.#scheduler.start();
    if (this.#watchdog === null) {
      this.#watchdog = new SyncWatchdog({
        stoppedAfterMs: this.#policy.stoppedAfterMs,
        offlineBackoffMaxMs: this.#policy.offlineBackoffMaxMs,
        now: () => this.#now().getTime(),
      });
      if (this.#running !== null) this.#watchdog.cycleStarted();
      const every = options.watchdogCheckMs ?? Math.min(60_000, Math.max(1_000, this.#policy.stoppedAfterMs / 10));
      this.#watchdogTimer = setInterval(() => this.checkWatchdog(), every);
      this.#watchdogTimer.unref?.();
    }
  }

  /**
   * Runs the watchdog's check now (its timer does so on its own): when sync has stopped, marks the
   * status, tells listeners, logs a warning and restarts the loop. Returns the reason, or null.
   */
  checkWatchdog(): SyncStopReason | null {
    if (this.#closed || this.#watchdog === null) return null;
    const reason = this.#watchdog.check(this.#monitor.state);
    if (reason === null) return null;
    // Cycles run and fail on the hub's answers: restarting the loop would only drop their backoff.
    if (reason === 'no-cycle-succeeded' && this.#stopped !== null && CYCLES_FAIL_STOP_REASONS.has(this.#stopped.reason)) return null;
    this.#stopped = { reason, since: this.#stopped?.since ?? this.#now().toISOString() };
    this.#o.logger.warn(
      { event: 'sync.stopped', reason, state: this.#monitor.state, cycleRunning: this.#running !== null },
      'sync stopped; restarting the sync loop',
    );
    this.#restartLoop();
    this.#tell({ kind: 'stopped', reason });
    return reason;
  }

  /** Outbox entries on the wire right now (documentation must not change them under the push). */
  get outboxInFlight(): ReadonlySet<string> {
    return this.#inFlight;
  }

  /**
   * After a local write: tells listeners at once that what waits for the hub changed (the banner's
   * waiting count then matches the chart's even while a cycle hangs on the hub), and asks the
   * scheduler, when it runs, to sync soon.
   */
  requestSync(): void {
    if (!this.#closed) this.#tell({ kind: 'outbox-changed' });
    this.#scheduler?.requestSync();
  }

  /** The sessions room's HubLogin port over this engine's pinned, device-authenticated client. */
  hubLogin(): HubLogin {
    return createHubLogin(this.#client);
  }

  /** The audit room's way to the hub (its AuditTransport and checkpoint signer), as this device. */
  auditLink(): HubAuditLink {
    return hubAuditLink(this.#client, this.#clientId, () => this.#deviceKey());
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
    if (this.#watchdogTimer !== null) clearInterval(this.#watchdogTimer);
    await this.#scheduler?.stop();
    this.#abort.abort(new SyncError('SYNC_CLOSED', 'Sync was stopped.'));
    await this.#running?.catch(() => undefined);
    this.#connection.close();
  }

  #newScheduler(): SyncScheduler {
    return new SyncScheduler({
      sync: () => this.syncOnce(),
      intervalMs: this.#policy.intervalMs,
      offlineBackoffMaxMs: this.#policy.offlineBackoffMaxMs,
      logger: this.#o.logger,
      random: this.#o.random ?? Math.random,
    });
  }

  #cycleEnded(ok: boolean): void {
    this.#watchdog?.cycleEnded(ok);
    if (ok && this.#stopped !== null) {
      this.#o.logger.info({ event: 'sync.resumed', reason: this.#stopped.reason }, 'sync resumed');
      this.#stopped = null;
    }
  }

  /**
   * A cycle failed on an answer of the hub this workstation cannot read (JSON of the wrong shape). Not
   * a network error: the hub is up and would answer the same at once. Sync shows itself stopped with
   * that reason (the banner, `sync:changed`), logs it at warning level, and the scheduler tries again
   * on its backoff; the first cycle that succeeds clears it.
   */
  /**
   * A cycle failed for a reason that needs someone to act, not for the network: the hub sent an
   * answer this workstation cannot read, or the data folder's sync lock cannot be used (a folder
   * replaced, removed or made read-only under the running host). Shown at once ("Sync stopped" and
   * why), logged at warning, and tried again on the scheduler's backoff.
   */
  #cyclesFail(reason: Extract<SyncStopReason, 'hub-answer-unreadable' | 'data-folder-unavailable'>, error: SyncError): void {
    this.#stopped = { reason, since: this.#stopped?.since ?? this.#now().toISOString() };
    this.#o.logger.warn(
      {
        event: reason === 'hub-answer-unreadable' ? 'sync.hub_answer_unreadable' : 'sync.data_folder_unavailable',
        code: error.code,
        failures: (this.#scheduler?.failures ?? 0) + 1,
      },
      reason === 'hub-answer-unreadable'
        ? 'the hub sent an answer this workstation cannot read; sync stopped, tried again later'
        : "this workstation's data folder cannot be used; sync stopped, tried again later",
    );
    this.#tell({ kind: 'stopped', reason });
  }

  /** Aborts what is on the wire (a hung cycle then fails) and replaces the scheduler with a fresh one. */
  #restartLoop(): void {
    this.#abort.abort(new SyncError('SYNC_STOPPED', 'Sync stopped and is being restarted.'));
    this.#abort = newAbortController();
    const previous = this.#scheduler;
    this.#scheduler = this.#newScheduler();
    // The old scheduler is not awaited: a hung cycle must not hold up the new loop.
    previous?.stop().catch(() => undefined);
    this.#watchdog?.restarted();
    this.#scheduler.start();
  }

  #deviceKey(): Promise<CryptoKey> {
    return (this.#privateKey ??= loadDeviceKey(this.#o.custodian, this.#o.dataDir).catch((error: unknown) => {
      this.#privateKey = null;
      throw error;
    }));
  }

  #tell(activity: SyncActivity): void {
    // A success clears "stopped" before listeners hear of it (the banner reads the status then).
    if (activity.kind === 'cycle-ended' && activity.ok) this.#cycleEnded(true);
    if (activity.kind === 'delivered') this.#deliveries.record(activity.entries);
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

  #cycle(): Promise<SyncSummary> {
    const { vault, logger, dataDir, credentialStamps } = this.#o;
    return runSyncCycle({
      vault,
      logger,
      dataDir,
      credentialStamps,
      policy: this.#policy,
      client: this.#client,
      audit: this.#audit,
      wardId: this.#wardId,
      inFlight: this.#inFlight,
      pageReaders: this.#pageReaders,
      now: () => this.#now(),
      state: () => this.#monitor.state,
      startCycle: () => this.#auditedRefusals.clear(),
      cycleSucceeded: (started) => this.#monitor.cycleSucceeded(started.getTime()),
      setInitialLoad: (progress) => {
        this.#initialLoad = progress;
      },
      tell: (activity) => this.#tell(activity),
    });
  }
}

function newAbortController(): AbortController {
  const controller = new AbortController();
  // Every request in flight listens for it.
  setMaxListeners(0, controller.signal);
  return controller;
}

/** Opens the sync engine of an enrolled workstation (throws NOT_ENROLLED otherwise). */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  return new SyncEngine(options);
}
