// The start-up path shared by Electron's main and evaluation mode (issue 16: first start on a
// deployed machine). A workstation with a vault opens its host as before. One without a vault sets
// itself up from what IT staged: with the signed machine policy (hub URL, pins, ward) and a one-time
// enrollment token it creates its vault and enrolls (the sync room's enrollment, as `wardline
// enroll`), deletes the token, and runs its first sync, telling the window each step (setup:changed)
// while the set-up router answers it; then the host serves the window. Without a token it stays at
// "not set up", with what IT must do. A refused enrollment (wrong pin, expired token) says why and
// leaves no vault behind.
import { mkdirSync } from 'node:fs';
import type { SetupStateData } from '../../shared/contract/index.js';
import { isWardlineError, UNEXPECTED_ERROR_MESSAGE } from '../../shared/errors/index.js';
import { openAuditLog, syncAuditSink } from '../audit/index.js';
import { readEnrollmentToken, removeEnrollmentToken } from '../policy/index.js';
import { enrollWorkstation, isSyncError, type SyncAuditEvent, type SyncSummary } from '../sync/index.js';
import { vaultExists, wipeVault } from '../vault/index.js';
import { holdDataDir, type DataDirHold } from './data-dir-holder.js';
import { holdTransport } from './held-transport.js';
import { emitEvent } from './ipc-events.js';
import { createSetupRouter } from './setup-router.js';
import { openWorkstationHost, type WorkstationHost, type WorkstationHostOptions } from './workstation-host.js';

export interface WorkstationStartOptions extends Omit<WorkstationHostOptions, 'setupState'> {
  /** The one-time enrollment token IT staged (electron/policy enrollmentTokenLocation). */
  readonly enrollmentTokenFile: string;
  /** Where the machine policy was read from (shown to IT on the "not set up" screen). */
  readonly policyFile?: string;
}

export interface WorkstationStart {
  /** The running host; null until the workstation is set up (and for good when it is not). */
  host(): WorkstationHost | null;
  state(): SetupStateData;
  /** What the first sync of this start did (counts only), or null: no first run, or it failed. */
  firstSync(): SyncSummary | null;
  /** Settles when the start has gone as far as it goes: ready, not set up, or failed. */
  readonly finished: Promise<SetupStateData>;
  /** Stops serving the window and closes the host (after a set-up under way has ended). */
  close(): Promise<void>;
}

function problemOf(error: unknown): { code: string; message: string } {
  if (isWardlineError(error)) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: UNEXPECTED_ERROR_MESSAGE };
}

function notSetUpMessage(tokenFile: string): string {
  return (
    'This workstation has its machine policy but no enrollment token, so it cannot connect itself to the hub. ' +
    `IT must make a one-time token for this ward on the hub (wardline-hub token --ward W), save it as ${tokenFile}, and start Wardline again.`
  );
}

/**
 * Starts the workstation: a set-up one at once (its host's errors are thrown, as before); one with
 * no vault answers the window with the set-up router and sets itself up in the background.
 */
export async function startWorkstation(options: WorkstationStartOptions): Promise<WorkstationStart> {
  const { dataDir, logger, custodian, enrollmentTokenFile } = options;
  if (vaultExists(dataDir)) {
    const host = await openWorkstationHost(options);
    const state: SetupStateData = { phase: 'ready', progress: null, problem: null, policyFile: null, tokenFile: null };
    return { host: () => host, state: () => state, firstSync: () => null, finished: Promise.resolve(state), close: () => host.close() };
  }

  const files = { policyFile: options.policyFile ?? null, tokenFile: enrollmentTokenFile };
  let state: SetupStateData = { phase: 'enrolling', progress: null, problem: null, ...files };
  let host: WorkstationHost | null = null;
  let firstSync: SyncSummary | null = null;
  const tell = (next: Omit<SetupStateData, 'policyFile' | 'tokenFile'>): SetupStateData => {
    state = { ...next, ...files };
    logger.info({ event: 'setup.state', phase: state.phase, problem: state.problem?.code ?? null }, 'workstation set-up');
    try {
      emitEvent(options.transport, 'setup:changed', state);
    } catch (error) {
      logger.warn({ event: 'setup.announce_failed', error: error instanceof Error ? error.name : 'unknown' }, 'set-up state not announced');
    }
    return state;
  };
  const held = holdTransport(options.transport);
  const setupRouter = createSetupRouter({ state: () => state, isTrustedSender: options.isTrustedSender, logger });
  let stopSetup: (() => void) | null = options.transport.serve((request) => setupRouter.handle(request));
  const endSetupServing = (): void => {
    stopSetup?.();
    stopSetup = null;
  };

  const firstRun = async (): Promise<SetupStateData> => {
    let token: string | null;
    try {
      token = await readEnrollmentToken(enrollmentTokenFile);
    } catch (error) {
      return tell({ phase: 'failed', progress: null, problem: problemOf(error) });
    }
    if (token === null) {
      logger.warn({ event: 'setup.not_set_up' }, 'no vault and no enrollment token: the workstation is not set up');
      return tell({ phase: 'not-set-up', progress: null, problem: { code: 'NOT_SET_UP', message: notSetUpMessage(enrollmentTokenFile) } });
    }
    tell({ phase: 'enrolling', progress: null, problem: null });

    // The folder is held while the vault is made, like every writer of it: a CLI command started
    // meanwhile (wipe, enroll) is refused instead of meeting a half-made vault. The host holds it next.
    let setupHold: DataDirHold;
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      setupHold = holdDataDir(dataDir, { by: 'Wardline (first start)' });
    } catch (error) {
      return tell({ phase: 'failed', progress: null, problem: problemOf(error) });
    }
    // The enrollment's events (a pin mismatch on the way, the enrollment) go to the audit trail once it is open.
    const events: SyncAuditEvent[] = [];
    try {
      await enrollAtPolicyHub(options, token, events);
    } catch (error) {
      await recordInOwnTrail(options, events);
      setupHold.release();
      logger.error({ event: 'setup.enroll_failed', code: problemOf(error).code }, 'first-start enrollment refused');
      return tell({ phase: 'failed', progress: null, problem: problemOf(error) });
    }
    if (!(await removeEnrollmentToken(enrollmentTokenFile))) {
      logger.warn({ event: 'setup.token_not_deleted' }, 'the spent enrollment token could not be deleted: IT must remove it');
    }
    setupHold.release();

    try {
      host = await openWorkstationHost({ ...options, transport: held.transport, startSync: false, setupState: () => state });
    } catch (error) {
      // E.g. the token was made for another ward than the policy names: nothing is kept.
      await wipeVault({ dataDir, custodian, logger }).catch(() => undefined);
      return tell({ phase: 'failed', progress: null, problem: problemOf(error) });
    }
    const sink = syncAuditSink(host.audit);
    for (const event of events) sink.record(event);

    const sync = host.sync!;
    tell({ phase: 'first-sync', progress: null, problem: null });
    const stopProgress = sync.onActivity((activity) => {
      if (activity.kind === 'initial-load') tell({ phase: 'first-sync', progress: { ...activity.progress }, problem: null });
    });
    try {
      firstSync = await sync.syncOnce();
    } catch (error) {
      // Enrolled: the scheduler tries again, and the banner says how old the data is.
      logger.warn(
        { event: 'setup.first_sync_failed', code: isSyncError(error) ? error.code : 'unexpected' },
        'first sync did not finish; the scheduler will retry',
      );
    } finally {
      stopProgress();
    }
    endSetupServing();
    held.release();
    if (options.startSync !== false) sync.startScheduler();
    return tell({ phase: 'ready', progress: null, problem: null });
  };

  const finished = firstRun().catch((error: unknown) => tell({ phase: 'failed', progress: null, problem: problemOf(error) }));
  let closed: Promise<void> | null = null;
  return {
    host: () => host,
    state: () => state,
    firstSync: () => firstSync,
    finished,
    close: () =>
      (closed ??= finished.then(async () => {
        endSetupServing();
        await host?.close();
      })),
  };
}

/** Enrolls with the policy's hub, trying each of its pins (the next certificate's may be listed too). */
async function enrollAtPolicyHub(options: WorkstationStartOptions, token: string, events: SyncAuditEvent[]): Promise<void> {
  const { policy } = options;
  let lastMismatch: unknown = null;
  for (const pin of policy.pins) {
    try {
      await enrollWorkstation({
        dataDir: options.dataDir,
        custodian: options.custodian,
        logger: options.logger,
        audit: { record: (event) => void events.push(event) },
        hubUrl: policy.hubUrl,
        enrollmentToken: token,
        pin,
        ...(options.syncPolicy === undefined ? {} : { policy: options.syncPolicy }),
      });
      return;
    } catch (error) {
      if (!isSyncError(error, 'PIN_MISMATCH')) throw error;
      lastMismatch = error;
    }
  }
  throw lastMismatch;
}

/** A refused enrollment's events (a pin mismatch is evidence) in the workstation's audit trail. */
async function recordInOwnTrail(options: WorkstationStartOptions, events: readonly SyncAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    const audit = await openAuditLog({ dataDir: options.dataDir, custodian: options.custodian, logger: options.logger });
    try {
      const sink = syncAuditSink(audit);
      for (const event of events) sink.record(event);
    } finally {
      audit.close();
    }
  } catch (error) {
    options.logger.error(
      { event: 'setup.audit_failed', error: error instanceof Error ? error.name : 'unknown' },
      'the refused enrollment could not be recorded in the audit trail',
    );
  }
}
