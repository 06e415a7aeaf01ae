// The sync channels (sync:status, sync:now) and the sync:changed event: the banner learns of every
// change of connectivity, every end of a sync cycle and every step of a first load by itself, so it
// turns to "offline" within one poll period without the window asking.
import type { SyncStatusData } from '../../shared/contract/index.js';
import type { Logger } from 'pino';
import { isSyncError, type SyncEngine } from '../sync/index.js';
import { HostError } from './host-error.js';
import { emitEvent } from './ipc-events.js';
import type { IpcHandler } from './ipc-router.js';
import type { Transport } from './transport.js';

export interface SyncHandlers {
  readonly 'sync:status': IpcHandler<'sync:status'>;
  readonly 'sync:now': IpcHandler<'sync:now'>;
}

export interface SyncHandlerOptions {
  /** The sync engine, or null on a workstation that is not enrolled. */
  readonly sync: Pick<SyncEngine, 'syncOnce'> | null;
  /** The status as the banner shows it (syncStatusView over this workstation). */
  readonly status: () => SyncStatusData;
}

export function notEnrolled(): HostError {
  return new HostError(
    'NOT_ENROLLED',
    'This workstation is not enrolled at a hub, so nothing documented here could ever be sent; it only shows its cached charts. Ask IT to enroll it (wardline enroll).',
  );
}

export function syncHandlers({ sync, status }: SyncHandlerOptions): SyncHandlers {
  return {
    'sync:status': () => status(),
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
