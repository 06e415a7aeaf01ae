// The update manifest Wardline trusts: a small JSON file published beside electron-builder's
// latest.yml, listing the version, the channel and each installer's SHA-512, with a detached
// Ed25519 signature (manifest.json.sig) made by the release key. It is checked before anything is
// downloaded; electron-updater's own answer must then match it file for file. It expires: the
// release pipeline re-signs it (with a new expiry) at least every MAX_MANIFEST_VALIDITY_DAYS, so an
// old signed manifest replayed by a hostile mirror cannot hold a workstation on an old version.
import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { describeIssues, signDetached, updateChannelSchema, verifyDetached, type TrustedKey } from '../policy/index.js';
import { UpdateError } from './update-error.js';
import { isVersion } from './version-order.js';

export const UPDATE_MANIFEST_FILE = 'wardline-update.json';
export const UPDATE_SIGNATURE_FILE = `${UPDATE_MANIFEST_FILE}.sig`;

const sha512Base64 = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'a base64 SHA-512 (as electron-builder writes it)');

export const manifestFileSchema = z.strictObject({
  /** The installer's name, relative to the update URL (no path, no traversal). */
  url: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/, 'a file name without a path'),
  sha512: sha512Base64,
  size: z.number().int().positive(),
});
export type ManifestFile = z.infer<typeof manifestFileSchema>;

/** The longest a signed manifest may be valid, from its releaseDate (its signing) to its expiry. */
export const MAX_MANIFEST_VALIDITY_DAYS = 31;
/** The validity `wardline update manifest` gives when none is asked for. */
export const DEFAULT_MANIFEST_VALIDITY_DAYS = 14;
const DAY_MS = 86_400_000;

export const updateManifestSchema = z
  .strictObject({
    wardlineUpdate: z.literal(1),
    version: z.string().refine(isVersion, 'a version number (MAJOR.MINOR.PATCH)'),
    channel: updateChannelSchema,
    /** When this manifest was signed; a workstation never accepts one older than the newest it has taken. */
    releaseDate: z.iso.datetime({ offset: true }),
    /** After this instant the manifest is refused (re-sign it before then). */
    expires: z.iso.datetime({ offset: true }),
    files: z.array(manifestFileSchema).min(1).max(32),
  })
  .refine((m) => Date.parse(m.expires) > Date.parse(m.releaseDate), { path: ['expires'], message: 'must be after releaseDate' })
  .refine((m) => Date.parse(m.expires) - Date.parse(m.releaseDate) <= MAX_MANIFEST_VALIDITY_DAYS * DAY_MS, {
    path: ['expires'],
    message: `must be at most ${MAX_MANIFEST_VALIDITY_DAYS} days after releaseDate`,
  });
export type UpdateManifest = z.infer<typeof updateManifestSchema>;

const signatureFileSchema = z.strictObject({ algorithm: z.literal('Ed25519'), keyId: z.string().min(1).max(64), value: z.string() });

/** The expiry of a manifest signed at `releaseDate`, valid for `days`. */
export function manifestExpiry(releaseDate: string, days: number = DEFAULT_MANIFEST_VALIDITY_DAYS): string {
  return new Date(Date.parse(releaseDate) + days * DAY_MS).toISOString();
}

/** One installer's entry: its name, SHA-512 (base64, as electron-builder's latest.yml has it) and size. */
export function manifestFileOf(name: string, bytes: Buffer): ManifestFile {
  return { url: name, sha512: createHash('sha512').update(bytes).digest('base64'), size: bytes.length };
}

/** The manifest's text (what is signed, byte for byte). */
export function updateManifestText(manifest: UpdateManifest): string {
  const parsed = updateManifestSchema.safeParse(manifest);
  if (!parsed.success)
    throw new UpdateError('MANIFEST_INVALID', `The update manifest is not valid: ${describeIssues(parsed.error.issues)}.`);
  return `${JSON.stringify(parsed.data, null, 2)}\n`;
}

/** The detached signature file's text for the manifest's exact bytes. */
export function signUpdateManifest(manifestBytes: Buffer, privateKey: KeyObject, keyId: string): string {
  const value = signDetached('wardline-update-manifest/1', manifestBytes, privateKey);
  return `${JSON.stringify({ algorithm: 'Ed25519', keyId, value })}\n`;
}

/**
 * The manifest, once its signature by a trusted release key holds over its exact bytes. Throws
 * UpdateError: NO_TRUSTED_KEYS, MANIFEST_NOT_SIGNED, MANIFEST_UNTRUSTED_KEY,
 * MANIFEST_SIGNATURE_INVALID, MANIFEST_INVALID.
 */
export function verifyUpdateManifest(
  manifestBytes: Buffer,
  signatureText: string | null,
  trustedKeys: readonly TrustedKey[],
): UpdateManifest {
  if (trustedKeys.length === 0) {
    throw new UpdateError(
      'NO_TRUSTED_KEYS',
      'This installation trusts no update signing key, so it takes no update. Ask IT to reinstall Wardline or turn updates off in the policy.',
    );
  }
  if (signatureText === null || signatureText.trim() === '') {
    throw new UpdateError(
      'MANIFEST_NOT_SIGNED',
      'The update server offered an update without a signature; it was refused and nothing was downloaded. Tell IT.',
    );
  }
  let signature: z.infer<typeof signatureFileSchema>;
  try {
    signature = signatureFileSchema.parse(JSON.parse(signatureText));
  } catch (error) {
    throw new UpdateError(
      'MANIFEST_NOT_SIGNED',
      "The update's signature file cannot be read; the update was refused and nothing was downloaded. Tell IT.",
      { cause: error },
    );
  }
  const key = trustedKeys.find((k) => k.keyId === signature.keyId);
  if (key === undefined) {
    throw new UpdateError(
      'MANIFEST_UNTRUSTED_KEY',
      'The update is signed with a key this installation does not trust; it was refused and nothing was downloaded. Tell IT.',
    );
  }
  if (!verifyDetached('wardline-update-manifest/1', manifestBytes, signature.value, key.key)) {
    throw new UpdateError(
      'MANIFEST_SIGNATURE_INVALID',
      'The update manifest was changed after it was signed; the update was refused and nothing was downloaded. Tell IT.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(manifestBytes.toString('utf8'));
  } catch (error) {
    throw new UpdateError('MANIFEST_INVALID', 'The signed update manifest is not JSON; the update was refused. Tell IT.', { cause: error });
  }
  const manifest = updateManifestSchema.safeParse(json);
  if (!manifest.success) {
    throw new UpdateError(
      'MANIFEST_INVALID',
      `The signed update manifest is not valid (${describeIssues(manifest.error.issues)}); the update was refused. Tell IT.`,
    );
  }
  return manifest.data;
}
