// Update checks over time: the first a little after start, then at an interval, one at a time.
// A refused update is logged with its code (never retried faster); once an update is ready it
// waits for the next quit and no further check runs. Nothing is scheduled while updates are off.
import type { Logger } from 'pino';
import type { Scheduler } from '../session/index.js';
import { isUpdateError } from './update-error.js';
import { inMemoryManifestMemory, runUpdateCheck, type UpdateFlowOptions, type UpdateOutcome } from './update-flow.js';

export const FIRST_UPDATE_CHECK_AFTER_MS = 2 * 60_000;
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60_000;

export interface UpdateServiceOptions extends UpdateFlowOptions {
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly scheduler: Scheduler;
  readonly firstCheckAfterMs?: number;
  readonly intervalMs?: number;
}

export interface UpdateService {
  /** Runs a check now (or joins the one under way); null when it failed or was refused (logged). */
  checkNow(): Promise<UpdateOutcome | null>;
  stop(): void;
}

export function startUpdateService(options: UpdateServiceOptions): UpdateService {
  const { logger, clock, scheduler } = options;
  const interval = options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS;
  // Every check of this run remembers the newest manifest taken: one replayed later is refused.
  const flow = { ...options, manifestMemory: options.manifestMemory ?? inMemoryManifestMemory() };
  let running: Promise<UpdateOutcome | null> | null = null;
  let cancel: (() => void) | null = null;
  let stopped = !options.policy.enabled;
  if (stopped) logger.info({ event: 'update.disabled' }, 'updates are turned off by the machine policy');

  const arm = (delay: number): void => {
    if (stopped) return;
    cancel = scheduler.schedule(clock.now() + delay, () => {
      cancel = null;
      void checkNow();
    });
  };

  const check = async (): Promise<UpdateOutcome | null> => {
    try {
      const outcome = await runUpdateCheck(flow);
      logger.info(
        { event: 'update.checked', status: outcome.status, ...('version' in outcome ? { version: outcome.version } : {}) },
        'update check finished',
      );
      if (outcome.status === 'ready') stopped = true;
      return outcome;
    } catch (error) {
      if (isUpdateError(error)) logger.warn({ event: 'update.refused', code: error.code }, error.message);
      else logger.error({ event: 'update.failed', error: error instanceof Error ? error.name : typeof error }, 'the update check failed');
      return null;
    }
  };

  function checkNow(): Promise<UpdateOutcome | null> {
    if (!options.policy.enabled) return Promise.resolve({ status: 'disabled' });
    running ??= check().finally(() => {
      running = null;
      cancel?.();
      arm(interval);
    });
    return running;
  }

  arm(options.firstCheckAfterMs ?? FIRST_UPDATE_CHECK_AFTER_MS);
  return {
    checkNow,
    stop: () => {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}
