// Whether to take an update, decided before anything is downloaded: updates must be on in the
// policy, the manifest signed by a trusted release key, not expired, not older than the newest one
// this workstation has taken (a replay), for the policy's channel, and newer than what runs.
// electron-updater's own answer (from latest.yml) must then match the signed manifest.
import type { TrustedKey, UpdatePolicy } from '../policy/index.js';
import { UpdateError } from './update-error.js';
import { verifyUpdateManifest, type ManifestFile } from './update-manifest.js';
import { compareVersions } from './version-order.js';

export type UpdateDecision =
  | { readonly action: 'none'; readonly reason: 'disabled-by-policy' }
  /** releaseDate: the accepted manifest's, to remember as the newest taken. */
  | { readonly action: 'none'; readonly reason: 'up-to-date'; readonly releaseDate: string }
  | { readonly action: 'download'; readonly version: string; readonly files: readonly ManifestFile[]; readonly releaseDate: string };

export interface UpdateCheck {
  readonly policy: UpdatePolicy;
  /** The version running now (app.getVersion()). */
  readonly currentVersion: string;
  readonly manifestBytes: Buffer;
  /** The signature file's text, or null when the server has none. */
  readonly signatureText: string | null;
  readonly trustedKeys: readonly TrustedKey[];
  /** The time now (the manifest's expiry is checked against it). */
  readonly now: Date;
  /** The releaseDate of the newest manifest this workstation has accepted, if it remembers one. */
  readonly newestAccepted?: string | null;
}

/** No network is needed to know that updates are off: call this first. */
export function updatesEnabled(policy: UpdatePolicy): boolean {
  return policy.enabled;
}

export function decideUpdate(check: UpdateCheck): UpdateDecision {
  if (!check.policy.enabled) return { action: 'none', reason: 'disabled-by-policy' };
  const manifest = verifyUpdateManifest(check.manifestBytes, check.signatureText, check.trustedKeys);
  if (check.now.getTime() >= Date.parse(manifest.expires)) {
    throw new UpdateError(
      'MANIFEST_EXPIRED',
      `The update server offered a signed manifest that expired on ${manifest.expires}; it was refused (an old manifest cannot hold this workstation on an old version). Tell IT: the release must be re-signed.`,
    );
  }
  if (
    check.newestAccepted !== undefined &&
    check.newestAccepted !== null &&
    Date.parse(manifest.releaseDate) < Date.parse(check.newestAccepted)
  ) {
    throw new UpdateError(
      'MANIFEST_REPLAYED',
      `The update server offered a manifest signed on ${manifest.releaseDate}, older than one this workstation already took (${check.newestAccepted}); it was refused. Tell IT.`,
    );
  }
  if (manifest.channel !== check.policy.channel) {
    throw new UpdateError(
      'WRONG_CHANNEL',
      `The update server offered the "${manifest.channel}" channel, but this workstation follows "${check.policy.channel}"; the update was refused. Tell IT.`,
    );
  }
  const order = compareVersions(manifest.version, check.currentVersion);
  if (order < 0) {
    throw new UpdateError(
      'DOWNGRADE',
      `The update server offered version ${manifest.version}, older than the ${check.currentVersion} running here; it was refused. Tell IT.`,
    );
  }
  if (order === 0) return { action: 'none', reason: 'up-to-date', releaseDate: manifest.releaseDate };
  return { action: 'download', version: manifest.version, files: manifest.files, releaseDate: manifest.releaseDate };
}

/** What electron-updater reports of an available update (its UpdateInfo, as far as this needs). */
export interface OfferedUpdate {
  readonly version: string;
  readonly files: readonly { readonly url: string; readonly sha512: string }[];
}

/**
 * Throws UPDATE_MISMATCH unless electron-updater offers exactly the signed version, and every file
 * it would download is in the signed manifest with the same SHA-512 (electron-updater then checks
 * the download against that hash).
 */
export function assertOfferMatchesManifest(offer: OfferedUpdate, decision: Extract<UpdateDecision, { action: 'download' }>): void {
  const mismatch = (): UpdateError =>
    new UpdateError(
      'UPDATE_MISMATCH',
      "The update server's installer list does not match the signed update manifest; the download was cancelled. Tell IT.",
    );
  if (offer.version !== decision.version || offer.files.length === 0) throw mismatch();
  for (const file of offer.files) {
    const name = file.url.split('/').pop() ?? '';
    const signed = decision.files.find((f) => f.url === name);
    if (signed === undefined || signed.sha512 !== file.sha512) throw mismatch();
  }
}
