// The Updater port on electron-updater's autoUpdater: a generic feed at the policy's URL and
// channel, no automatic download, no install at quit until the update flow has verified the
// download, no downgrade, no pre-release, no web installer. Typed against electron-updater's own
// AppUpdater, so an upgrade that changes its API fails the type check.
import type { AppUpdater, UpdateDownloadedEvent } from 'electron-updater';
import type { Logger } from 'pino';
import type { DownloadedUpdate, Updater } from '../updates/index.js';

/** The parts of electron-updater's AppUpdater the port uses (a fake in tests, autoUpdater in main.ts). */
export type AppUpdaterLike = Pick<
  AppUpdater,
  | 'autoDownload'
  | 'autoInstallOnAppQuit'
  | 'allowDowngrade'
  | 'allowPrerelease'
  | 'disableWebInstaller'
  | 'logger'
  | 'setFeedURL'
  | 'checkForUpdates'
  | 'downloadUpdate'
  | 'on'
  | 'removeListener'
>;

/** electron-updater's log lines (versions, URLs, cache paths; never patient data) into the host's log. */
function updaterLogger(logger: Pick<Logger, 'info' | 'warn' | 'error'>): NonNullable<AppUpdater['logger']> {
  const line = (message: unknown): string => (message instanceof Error ? message.message : String(message));
  return {
    info: (message) => logger.info({ event: 'updater.log' }, line(message)),
    warn: (message) => logger.warn({ event: 'updater.log' }, line(message)),
    error: (message) => logger.error({ event: 'updater.log' }, line(message)),
  };
}

export function electronUpdaterPort(updater: AppUpdaterLike, logger: Pick<Logger, 'info' | 'warn' | 'error'>): Updater {
  // Without a listener, an 'error' event electron-updater emits outside a promise (at quit, say)
  // would be thrown as an uncaught exception. The failing call itself still rejects.
  updater.on('error', (error) => logger.warn({ event: 'updater.error', error: error.name }, error.message));
  const holdBack = (): void => {
    updater.autoDownload = false;
    updater.autoInstallOnAppQuit = false;
    updater.allowDowngrade = false;
    updater.allowPrerelease = false;
    updater.disableWebInstaller = true;
  };
  /** Runs electron-updater's downloadUpdate, and returns what its update-downloaded event said. */
  const downloadOnce = async (): Promise<DownloadedUpdate> => {
    let event: UpdateDownloadedEvent | null = null;
    const heard = (downloaded: UpdateDownloadedEvent): void => {
      event = downloaded;
    };
    updater.on('update-downloaded', heard);
    let paths: string[];
    try {
      paths = await updater.downloadUpdate();
    } finally {
      updater.removeListener('update-downloaded', heard);
    }
    const downloaded = event as UpdateDownloadedEvent | null;
    if (downloaded === null) return { version: '', files: [] };
    return { version: downloaded.version, files: [...new Set([downloaded.downloadedFile, ...paths])] };
  };

  return {
    configure(feed) {
      holdBack();
      updater.logger = updaterLogger(logger);
      // The channel goes in the feed options: electron-updater's `channel` setter would allow downgrades.
      updater.setFeedURL({ provider: 'generic', url: feed.url, channel: feed.channel });
    },
    async check() {
      holdBack();
      const result = await updater.checkForUpdates();
      if (result === null || !result.isUpdateAvailable) return null;
      return { version: result.updateInfo.version, files: result.updateInfo.files.map((file) => ({ url: file.url, sha512: file.sha512 })) };
    },
    download: () => {
      holdBack();
      return downloadOnce();
    },
    async installAtQuit() {
      // electron-updater registers its install-at-quit (and, on macOS, hands the update to Squirrel)
      // when a download completes with autoInstallOnAppQuit set: asking again for the update it already
      // holds does that without fetching it a second time.
      updater.autoInstallOnAppQuit = true;
      await updater.downloadUpdate();
    },
  };
}
