// Signed updates in the running app: when the machine policy turns them on (and the build is
// packaged), electron-updater's autoUpdater is driven through the Updater port by the update
// service (electron/updates), with the signed manifest fetched through the updater's own session,
// hardened like the window's (the hub pinned, the update server verified, every other host refused).
// With updates off, autoUpdater is never even created.
import type { Session } from 'electron';
import type { Logger } from 'pino';
import type { TrustedKey, UpdatePolicy } from '../policy/index.js';
import { SystemClock, timerScheduler } from '../session/index.js';
import { startUpdateService, type UpdateService } from '../updates/index.js';
import type { PinningRules } from './certificate-pinning.js';
import { electronUpdaterPort, type AppUpdaterLike } from './electron-updater-port.js';
import { hardenSession } from './hardening.js';
import type { RefusalListener } from './navigation-guards.js';
import { sessionUpdateFetch } from './update-feed-fetch.js';

export interface AutoUpdateOptions {
  readonly policy: UpdatePolicy;
  /** app.isPackaged: electron-updater does nothing for a development build. */
  readonly packaged: boolean;
  /** app.getVersion(). */
  readonly currentVersion: string;
  /** The release keys of wardline-trust.json (updateKeys). */
  readonly trustedKeys: readonly TrustedKey[];
  /** electron-updater's autoUpdater, asked for only when updates are on. */
  readonly autoUpdater: () => AppUpdaterLike & { readonly netSession: Session };
  readonly pinning: PinningRules;
  readonly onRefused: RefusalListener;
  readonly logger: Logger;
}

/** Starts the update checks, or returns null (logged) when the policy turns updates off or the build is not packaged. */
export function startAutoUpdates(options: AutoUpdateOptions): UpdateService | null {
  const { logger } = options;
  if (!options.policy.enabled) {
    logger.info({ event: 'update.disabled' }, 'updates are turned off by the machine policy');
    return null;
  }
  if (!options.packaged) {
    logger.info({ event: 'update.skipped' }, 'updates are on in the machine policy, but a development build is not updated');
    return null;
  }
  const updater = options.autoUpdater();
  hardenSession(updater.netSession, { pinning: options.pinning, onRefused: options.onRefused });
  const clock = new SystemClock();
  return startUpdateService({
    policy: options.policy,
    currentVersion: options.currentVersion,
    trustedKeys: options.trustedKeys,
    updater: electronUpdaterPort(updater, logger),
    fetchFile: sessionUpdateFetch(updater.netSession),
    logger,
    clock,
    scheduler: timerScheduler(clock),
  });
}
