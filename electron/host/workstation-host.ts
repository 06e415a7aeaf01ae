// The running workstation: opens the vault and the audit trail, starts the sessions (timers from
// the machine policy, the OS's power events, every session event audited), the sync engine when
// the workstation is enrolled (its hub and ward must be the policy's) with the audit upload on its
// schedule, changes its keys on the policy's rotation interval when no session is active, holds
// the data folder (host.lock) while it runs, and serves the window's requests
// through the IPC router. Electron's main.ts hands in the adapters; tests hand in theirs.
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { auditedChartReads, ipcRejectedEntry, openAuditLog, sessionAuditSink, syncAuditSink, type AuditLog } from '../audit/index.js';
import { administrationSafetyOf, policyMarkAfter, sessionPolicyOf, syncPolicyOf, type WorkstationPolicy } from '../policy/index.js';
import {
  SessionManager,
  SystemClock,
  timerScheduler,
  type Clock,
  type CredentialHashing,
  type CredentialStore,
  type HubLogin,
  type PowerEvents,
  type Scheduler,
} from '../session/index.js';
import { openDocumentation, readOnlyReasonFor, type Documentation } from '../documentation/index.js';
import { OffWardCharts } from '../off-ward/index.js';
import {
  createSyncEngine,
  normalizeHubUrl,
  recordStalenessThresholds,
  resolveSyncPolicy,
  type SyncEngine,
  type SyncPolicy,
} from '../sync/index.js';
import { openVault, type KeyCustodian, type Vault } from '../vault/index.js';
import { inPageDelivery, type PrintDelivery } from '../print/index.js';
import type { SetupStateData } from '../../shared/contract/index.js';
import { adminHandlers } from './admin-handlers.js';
import { auditTrailHandlers } from './audit-trail-handlers.js';
import { startAuditUploads } from './audit-uploads.js';
import { chartHandlers } from './chart-handlers.js';
import { amendmentHandlers } from './amendment-handlers.js';
import { conflictHandlers } from './conflict-handlers.js';
import { holdDataDir } from './data-dir-holder.js';
import { startRekeySchedule, type RekeySchedule } from './rekey-schedule.js';
import { documentationHandlers } from './documentation-handlers.js';
import { HostError } from './host-error.js';
import { sessionAuthorizer } from './ipc-authorize.js';
import { emitEvent } from './ipc-events.js';
import { createIpcRouter, type IpcRouter } from './ipc-router.js';
import { offWardHandlers } from './off-ward-chart-handlers.js';
import { vaultPatientLookup } from './patient-lookup.js';
import { printHandlers } from './print-handlers.js';
import { SET_UP, setupHandlers } from './setup-handlers.js';
import { sessionHandlers } from './session-handlers.js';
import { announceSyncChanges, syncHandlers } from './sync-handlers.js';
import { patientFreshnessView, syncStatusView } from './sync-status-view.js';
import { createViewReads } from './view-reads.js';
import type { SaveFileChooser } from './save-file-chooser.js';
import type { SenderInfo, Transport } from './transport.js';
import { vaultCredentialStore } from './vault-credential-store.js';

export interface WorkstationHostOptions {
  readonly dataDir: string;
  readonly policy: WorkstationPolicy;
  readonly custodian: KeyCustodian;
  readonly powerEvents: PowerEvents;
  readonly transport: Transport;
  /** The sender check of the transport (electron/window appSenderCheck for the Electron window). */
  readonly isTrustedSender: (sender: SenderInfo) => boolean;
  /** Where offline and PIN verifiers are kept: by default in the vault (vaultCredentialStore). */
  readonly credentials?: CredentialStore;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
  /** The hub's sign-in; by default the sync engine's (null when the workstation is not enrolled). */
  readonly hubLogin?: HubLogin | null;
  readonly hashing?: CredentialHashing;
  /** Start the sync scheduler (default true when enrolled). */
  readonly startSync?: boolean;
  /** Sync settings over the policy's (evaluation mode and tests: e.g. a short intervalMs). */
  readonly syncPolicy?: Partial<SyncPolicy>;
  /**
   * How a print leaves the host: Electron's print dialog, the printouts folder (where the policy
   * allows saving as PDF), or by default back to the page, which shows it from memory (evaluation mode).
   */
  readonly printDelivery?: PrintDelivery;
  /**
   * Where an export of the audit view goes: Electron's save dialog. None by default (evaluation
   * mode): the export is refused with a plain message.
   */
  readonly saveFile?: SaveFileChooser;
  /** What setup:state answers (the start-up path's first run); by default "ready". */
  readonly setupState?: () => SetupStateData;
}

export interface WorkstationHost {
  readonly vault: Vault;
  readonly audit: AuditLog;
  readonly sessions: SessionManager;
  readonly sync: SyncEngine | null;
  /** Documentation made here and its conflicts, or null when the workstation is not enrolled. */
  readonly documentation: Documentation | null;
  readonly router: IpcRouter;
  /** The off-ward charts break-the-glass holds in memory (never in the vault). */
  readonly offWardCharts: OffWardCharts;
  /** The policy's key rotation (vault.rekeyAfterDays), done when no session is active. */
  readonly rekeys: RekeySchedule;
  /** Stops serving, signs every session out ("shutdown"), stops sync, closes the audit trail and the vault. */
  close(): Promise<void>;
}

function checkEnrollment(vault: Vault, policy: WorkstationPolicy): void {
  const enrollment = vault.sync.enrollment();
  if (enrollment === null) return;
  if (normalizeHubUrl(enrollment.hubUrl) !== normalizeHubUrl(policy.hubUrl)) {
    throw new HostError(
      'HUB_MISMATCH',
      'This workstation is enrolled at another hub than the machine policy names. Ask IT to correct the policy, or to wipe and re-enroll the workstation.',
    );
  }
  if (enrollment.ward !== policy.ward) {
    throw new HostError(
      'WARD_MISMATCH',
      'This workstation is enrolled for another ward than the machine policy names. Ask IT to correct the policy, or to wipe and re-enroll the workstation.',
    );
  }
}

export async function openWorkstationHost(options: WorkstationHostOptions): Promise<WorkstationHost> {
  const { dataDir, policy, custodian, logger, transport } = options;
  // Held before the vault is opened, so a CLI command at work on the folder (a rekey) is never
  // met half-way. A folder that does not exist holds no vault: openVault says so.
  const held = existsSync(dataDir) ? holdDataDir(dataDir) : null;
  let vault: Vault;
  try {
    vault = await openVault({ dataDir, custodian, logger });
  } catch (error) {
    held?.release();
    throw error;
  }
  const opened: Array<() => Promise<void> | void> = [() => held?.release(), () => vault.close()];
  const unwind = async (): Promise<void> => {
    for (const close of opened.reverse()) await close();
  };
  try {
    // An older policy than the newest accepted here is refused before anything else happens.
    const policyMark = policyMarkAfter(policy, vault.policyMark.get());
    checkEnrollment(vault, policy);
    const audit = await openAuditLog({ dataDir, custodian, logger });
    opened.push(() => audit.close());

    let sessions: SessionManager | null = null;
    const sync =
      vault.sync.enrollment() === null
        ? null
        : createSyncEngine({
            vault,
            dataDir,
            custodian,
            logger,
            audit: syncAuditSink(audit),
            policy: { ...syncPolicyOf(policy), ...options.syncPolicy },
            credentialStamps: { applyCredentialStamps: async (response) => sessions?.applyCredentialStamps(response) },
          });
    if (sync !== null) {
      // Closed after sync (which aborts an upload on the wire), before the audit trail. Entry times
      // are wall-clock times, and so is the retention's "now".
      const uploads = startAuditUploads({ audit, sync, logger, retentionMs: policy.auditRetentionMs, now: Date.now });
      opened.push(() => uploads.close());
      opened.push(() => sync.close());
    }
    const documentation =
      sync === null ? null : openDocumentation({ vault, sync, logger, administrationSafety: administrationSafetyOf(policy) });

    const clock = options.clock ?? new SystemClock();
    const credentials = options.credentials ?? vaultCredentialStore(vault);
    sessions = new SessionManager({
      clock,
      scheduler: options.scheduler ?? timerScheduler(clock),
      powerEvents: options.powerEvents,
      credentials,
      events: sessionAuditSink(audit),
      workstationWard: policy.ward,
      hubLogin: options.hubLogin !== undefined ? options.hubLogin : (sync?.hubLogin() ?? null),
      policy: sessionPolicyOf(policy),
      logger,
      ...(options.hashing === undefined ? {} : { hashing: options.hashing }),
    });
    const manager = sessions;
    opened.push(() => manager.close());
    // The policy's key rotation, when no session is active (closed before the sessions).
    const rekeys = startRekeySchedule({
      vault,
      audit,
      sessions: manager,
      rekeyAfterMs: policy.rekeyAfterMs,
      logger,
      now: () => clock.now(),
    });
    opened.push(() => rekeys.close());
    const chart = auditedChartReads(vault, audit);
    const patients = vaultPatientLookup(vault);
    // Off-ward charts opened by break-the-glass: memory only, read through the chart reads (and
    // notes) alone; documenting for them is refused (documentation writes only cached patients:
    // readOnlyReasonFor, which their summary reports so the screen offers no documenting action).
    const offWard = new OffWardCharts(manager);
    opened.push(() => offWard.close());
    const chartWithOffWard = auditedChartReads(offWard.chartQueries(vault), audit);
    const patientsWithOffWard = offWard.patientLookup(patients);
    const syncPolicy = resolveSyncPolicy({ ...syncPolicyOf(policy), ...options.syncPolicy });
    recordStalenessThresholds(vault, syncPolicy);
    const statusSource = { vault, sync, policy: syncPolicy, now: () => clock.now() };
    const syncStatus = () => syncStatusView(statusSource);
    // One chart-read per opening of each view, whichever channel reads it (view-reads.ts).
    const viewReads = createViewReads();

    const router = createIpcRouter({
      handlers: {
        ...sessionHandlers(
          manager,
          (patientId) => patients(patientId) !== null || vault.conflicts.holdsPatient(patientId),
          async (userId) => ((await credentials.get(userId))?.pinVerifier ?? null) !== null,
        ),
        ...chartHandlers({
          sessions: manager,
          chart: chartWithOffWard,
          patients: patientsWithOffWard,
          readOnly: (patientId) => readOnlyReasonFor(vault.resources, patientId),
          viewReads,
        }),
        ...offWardHandlers({ sessions: manager, hub: sync, cache: vault, charts: offWard, audit, logger }),
        ...documentationHandlers({
          sessions: manager,
          chart: chartWithOffWard,
          patients: patientsWithOffWard,
          vault,
          documentation,
          audit,
          deliveries: sync,
          viewReads,
        }),
        ...amendmentHandlers({
          sessions: manager,
          patients: patientsWithOffWard,
          documentation,
          resources: vault.resources,
          emergencyCopy: (patientId) => offWard.chartFor(patientId)?.resources ?? null,
          audit,
          viewReads,
        }),
        ...syncHandlers({
          sync,
          status: syncStatus,
          sessions: manager,
          patients: patientsWithOffWard,
          freshness: (patientId) => patientFreshnessView(statusSource, patientId),
        }),
        ...setupHandlers(options.setupState ?? (() => SET_UP)),
        ...conflictHandlers({
          sessions: manager,
          patients,
          patientName: (patientId) => vault.patientSummary(patientId)?.patient.name ?? null,
          vault,
          documentation,
          audit,
        }),
        ...adminHandlers({ policy }),
        ...auditTrailHandlers({
          sessions: manager,
          audit,
          users: credentials,
          patients: vault.patients,
          saveFile: options.saveFile ?? null,
          logger,
          now: () => clock.now(),
        }),
        ...printHandlers({
          sessions: manager,
          chart,
          patients,
          audit,
          printingAllowed: policy.printingAllowed,
          marHoursAhead: policy.marHoursAhead,
          delivery: options.printDelivery ?? inPageDelivery,
          dataAsOf: () => syncStatus().dataAsOf,
          now: () => clock.now(),
        }),
      },
      isTrustedSender: options.isTrustedSender,
      authorize: sessionAuthorizer(manager),
      audit: (rejection) => {
        const active = manager.current().active;
        audit.record(ipcRejectedEntry(rejection.channel, rejection.reason, active === null ? undefined : active));
      },
      servingGeneration: () => manager.servingGeneration(),
      logger,
    });
    const stopPurges = manager.onRendererPurge((notice) => emitEvent(transport, 'session:purge', notice));
    const stopServing = transport.serve((request) => router.handle(request));
    const stopSyncNews = sync === null ? () => undefined : announceSyncChanges({ sync, status: syncStatus, transport, logger });
    opened.push(() => {
      stopServing();
      stopPurges();
      stopSyncNews();
    });
    if (sync !== null && options.startSync !== false) sync.startScheduler();
    if (policyMark !== null) vault.policyMark.set(policyMark);
    void rekeys.check();
    logger.info(
      { event: 'host.started', enrolled: sync !== null, policyKey: policy.signedBy, policyIssued: policy.issued },
      'workstation host started',
    );

    let closed: Promise<void> | null = null;
    return {
      vault,
      audit,
      sessions: manager,
      sync,
      documentation,
      router,
      offWardCharts: offWard,
      rekeys,
      close: () => (closed ??= unwind()),
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}
