// The ports of the update flow: what it needs of electron-updater (the Updater, adapted from
// autoUpdater in electron/window) and of the network (fetching the signed manifest over the
// session's pinned HTTPS). Tests hand in fakes; nothing here knows Electron.
import type { OfferedUpdate } from './update-decision.js';

/** What electron-updater downloaded: the version it says it is, and the local files. */
export interface DownloadedUpdate {
  readonly version: string;
  readonly files: readonly string[];
}

export interface Updater {
  /**
   * Points the updater at the generic feed `url` (ending in "/") and `channel`; it must then never
   * download, install at quit, downgrade or take a pre-release by itself.
   */
  configure(feed: { readonly url: string; readonly channel: string }): void;
  /** The update the feed (latest.yml) offers, or null when it offers none. */
  check(): Promise<OfferedUpdate | null>;
  /** Downloads the offered update; electron-updater checks each file against the offered SHA-512. */
  download(): Promise<DownloadedUpdate>;
  /** Lets the downloaded (and verified) update install when the application next quits. */
  installAtQuit(): Promise<void>;
}

/** A file from the update server: its bytes, or null when the server has none (404). Throws MANIFEST_UNAVAILABLE otherwise. */
export type FetchUpdateFile = (url: string) => Promise<Buffer | null>;
