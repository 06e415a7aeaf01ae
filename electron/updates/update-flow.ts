// One update check, start to finish: the signed manifest first (nothing else is asked of the
// update server while updates are off, and nothing is downloaded unless the manifest says so),
// then electron-updater's offer must match it, then the downloaded files must hash to the signed
// SHA-512s before the update is allowed to install, at the next quit (never under a session).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { TrustedKey, UpdatePolicy } from '../policy/index.js';
import type { Clock } from '../session/index.js';
import { assertOfferMatchesManifest, decideUpdate } from './update-decision.js';
import { UpdateError } from './update-error.js';
import { UPDATE_MANIFEST_FILE, UPDATE_SIGNATURE_FILE, type ManifestFile } from './update-manifest.js';
import type { DownloadedUpdate, FetchUpdateFile, Updater } from './updater-port.js';

export type UpdateOutcome =
  | { readonly status: 'disabled' }
  | { readonly status: 'up-to-date'; readonly version: string }
  /** The signed manifest names a newer version, but electron-updater's feed does not offer it (yet). */
  | { readonly status: 'not-offered'; readonly version: string }
  /** Downloaded and verified; installs when Wardline next quits. */
  | { readonly status: 'ready'; readonly version: string };

export interface UpdateFlowOptions {
  readonly policy: UpdatePolicy;
  readonly currentVersion: string;
  readonly trustedKeys: readonly TrustedKey[];
  readonly updater: Updater;
  readonly fetchFile: FetchUpdateFile;
  /** SHA-512 (base64) of a downloaded file; by default read from disk. */
  readonly hashFile?: (file: string) => Promise<string>;
  /** The manifest's expiry is checked against this clock. */
  readonly clock: Clock;
  /** The newest manifest taken so far, so an older one replayed later is refused; none: not checked. */
  readonly manifestMemory?: ManifestMemory;
}

/** Remembers the releaseDate of the newest signed manifest this workstation accepted. */
export interface ManifestMemory {
  newestAccepted(): string | null;
  accepted(releaseDate: string): void;
}

/** A ManifestMemory for the life of the process. */
export function inMemoryManifestMemory(): ManifestMemory {
  let newest: string | null = null;
  return {
    newestAccepted: () => newest,
    accepted: (releaseDate) => {
      if (newest === null || Date.parse(releaseDate) > Date.parse(newest)) newest = releaseDate;
    },
  };
}

/** The feed's base URL: the policy's update URL as a folder (ending in "/"). */
export function updateFeedBase(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** SHA-512 of a file, base64 (as electron-builder writes it), read as a stream. */
export function sha512OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('base64')));
  });
}

async function assertDownloadIsSigned(
  downloaded: DownloadedUpdate,
  version: string,
  signed: readonly ManifestFile[],
  hashFile: (file: string) => Promise<string>,
): Promise<void> {
  const refuse = (): UpdateError =>
    new UpdateError(
      'UPDATE_MISMATCH',
      'The downloaded update does not match the signed update manifest; it will not be installed. Tell IT.',
    );
  if (downloaded.version !== version || downloaded.files.length === 0) throw refuse();
  const signedHashes = new Set(signed.map((f) => f.sha512));
  for (const file of downloaded.files) {
    if (!signedHashes.has(await hashFile(file))) throw refuse();
  }
}

/**
 * Runs one check. Throws UpdateError when the update is refused (unsigned, tampered, older, another
 * channel, a feed or download that does not match the signed manifest) or the server cannot be asked.
 */
export async function runUpdateCheck(options: UpdateFlowOptions): Promise<UpdateOutcome> {
  const { policy } = options;
  if (!policy.enabled) return { status: 'disabled' };
  const base = updateFeedBase(policy.url);
  const manifestBytes = await options.fetchFile(`${base}${UPDATE_MANIFEST_FILE}`);
  if (manifestBytes === null) {
    throw new UpdateError(
      'MANIFEST_UNAVAILABLE',
      `The update server has no ${UPDATE_MANIFEST_FILE}, so no update was taken. Tell IT (the release must be published with its signed manifest).`,
    );
  }
  const signature = await options.fetchFile(`${base}${UPDATE_SIGNATURE_FILE}`);
  const decision = decideUpdate({
    policy,
    currentVersion: options.currentVersion,
    manifestBytes,
    signatureText: signature === null ? null : signature.toString('utf8'),
    trustedKeys: options.trustedKeys,
    now: new Date(options.clock.now()),
    newestAccepted: options.manifestMemory?.newestAccepted() ?? null,
  });
  if (decision.action !== 'none' || decision.reason === 'up-to-date') options.manifestMemory?.accepted(decision.releaseDate);
  if (decision.action === 'none') return { status: 'up-to-date', version: options.currentVersion };

  options.updater.configure({ url: base, channel: policy.channel });
  const offer = await options.updater.check();
  if (offer === null) return { status: 'not-offered', version: decision.version };
  assertOfferMatchesManifest(offer, decision);
  const downloaded = await options.updater.download();
  await assertDownloadIsSigned(downloaded, decision.version, decision.files, options.hashFile ?? sha512OfFile);
  await options.updater.installAtQuit();
  return { status: 'ready', version: decision.version };
}
