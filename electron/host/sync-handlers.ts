// The sync channels (sync:status, sync:now, sync:patient-freshness) and the sync:changed event: the
// banner learns of every change of connectivity, every end of a sync cycle, every step of a first load
// and every local write waiting for the hub by itself, so it turns to "offline" within one poll
// period without the window asking. An open chart asks its patient's freshness (data as of and
// staleness, nothing of the chart, so not audited) whenever the banner's data as of changes, guarded
// like the chart itself.
import type { PatientFreshnessData, SyncStatusData } from '../../shared/contract/index.js';
import type { Logger } from 'pino';
import type { GuardedSessions } from '../session/index.js';
import { isSyncError, type SyncEngine } from '../sync/index.js';
import type { PatientLookup } from './chart-handlers.js';
import { HostError } from './host-error.js';
import { emitEvent } from './ipc-events.js';
import type { IpcHandler } from './ipc-router.js';
import { guardPatient } from './patient-guard.js';
import type { Transport } from './transport.js';

export interface SyncHandlers {
  readonly 'sync:status': IpcHandler<'sync:status'>;
  readonly 'sync:now': IpcHandler<'sync:now'>;
  readonly 'sync:patient-freshness': IpcHandler<'sync:patient-freshness'>;
}

export interface SyncHandlerOptions {
  /** The sync engine, or null on a workstation that is not enrolled. */
  readonly sync: Pick<SyncEngine, 'syncOnce'> | null;
  /** The status as the banner shows it (syncStatusView over this workstation). */
  readonly status: () => SyncStatusData;
  readonly sessions: GuardedSessions;
  /** The patients the chart channels know (ward scope, restriction, break-the-glass grants). */
  readonly patients: PatientLookup;
  /** One patient's freshness by the banner's policy (patientFreshnessView), or null when not tracked. */
  readonly freshness: (patientId: string) => PatientFreshnessData | null;
}

export function notEnrolled(): HostError {
  return new HostError(
    'NOT_ENROLLED',
    'This workstation is not enrolled at a hub, so nothing documented here could ever be sent; it only shows its cached charts. Ask IT to enroll it (wardline enroll).',
  );
}

export function syncHandlers({ sync, status, sessions, patients, freshness }: SyncHandlerOptions): SyncHandlers {
  return {
    'sync:status': () => status(),
    // The same guard as chart:summary (a patient another ward holds, or a restricted chart without
    // break-the-glass, is refused), but no audit entry: the answer holds two times and a level.
    'sync:patient-freshness': ({ patientId }) => {
      guardPatient(sessions, patients, 'chart:read', patientId);
      return freshness(patientId);
    },
    'sync:now': async () => {
      if (sync === null) throw notEnrolled();
      try {
        await sync.syncOnce();
      } catch (error) {
        // A cycle that failed at the hub is in the status (state, lastError); anything else is the caller's to see.
        if (!isSyncError(error) || error.code === 'SYNC_BUSY' || error.code === 'SYNC_CLOSED') throw error;
      }
      return status();
    },
  };
}

/** Emits sync:changed on every connectivity change, cycle end and initial-load step; returns the stop. */
export function announceSyncChanges(options: {
  readonly sync: Pick<SyncEngine, 'onStateChange' | 'onActivity'>;
  readonly status: () => SyncStatusData;
  readonly transport: Pick<Transport, 'emit'>;
  readonly logger: Logger;
}): () => void {
  const announce = (): void => {
    try {
      emitEvent(options.transport, 'sync:changed', options.status());
    } catch (error) {
      options.logger.warn(
        { event: 'sync.announce_failed', error: error instanceof Error ? error.name : 'unknown' },
        'sync status not announced',
      );
    }
  };
  const stopState = options.sync.onStateChange(announce);
  const stopActivity = options.sync.onActivity(announce);
  return () => {
    stopState();
    stopActivity();
  };
}
