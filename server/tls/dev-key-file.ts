// The development certificate's private key at rest (`--dev-tls`): never in the clear. It is sealed
// with the hub's key-encryption key like the hub's other protected secrets (token-signing keys,
// TOTP secrets: server/storage/secret-envelope.ts), so the key file in the data folder is useless
// without the hub key (OS keystore or key file, outside the data folder). The server only needs
// the PEM in memory. A key left in the clear by an earlier version is sealed and its file removed
// at the next start (the certificate and its pin stay). A rotation of the hub key re-wraps it.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TlsError } from './tls-error.js';

/** What seals the key: the hub database's SecretEnvelope (server/storage) fits. */
export interface KeySealer {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
  needsRewrap(sealed: string): boolean;
  rewrap(sealed: string): string;
}

/** The sealed key, and the cleartext file of earlier versions (read once, then removed). */
export const SEALED_KEY_FILE = 'hub-key.sealed';
const LEGACY_CLEAR_KEY_FILE = 'hub-key.pem';
/** Associated data: a sealed value copied from another column or file does not open here. */
const CONTEXT = 'wardline-hub dev-tls private key';

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** Writes `text` to `path` readable by the hub's account only, whole or not at all (temp file, fsync, rename). */
async function writeOwnerOnly(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

/** The development key in `folder`, opened; null when there is none yet. */
export async function readDevKey(folder: string, sealer: KeySealer): Promise<string | null> {
  const sealedPath = join(folder, SEALED_KEY_FILE);
  const sealed = (await readOrNull(sealedPath))?.trim() ?? null;
  if (sealed === null) {
    const clear = await readOrNull(join(folder, LEGACY_CLEAR_KEY_FILE));
    if (clear === null) return null;
    await writeDevKey(folder, clear, sealer);
    await rm(join(folder, LEGACY_CLEAR_KEY_FILE), { force: true });
    return clear;
  }
  let keyPem: string;
  try {
    keyPem = sealer.open(sealed, CONTEXT);
  } catch (cause) {
    throw new TlsError(
      'TLS_DEV_KEY_UNREADABLE',
      `The development certificate's key in ${folder} does not open with this hub's key. Start the hub with the key it was created with, or delete that folder to make a new development certificate (workstations then need the new pin).`,
      { cause },
    );
  }
  if (sealer.needsRewrap(sealed)) await writeOwnerOnly(sealedPath, `${sealer.rewrap(sealed)}\n`);
  return keyPem;
}

/** Seals `keyPem` into `folder` (mode 0600). */
export async function writeDevKey(folder: string, keyPem: string, sealer: KeySealer): Promise<void> {
  await writeOwnerOnly(join(folder, SEALED_KEY_FILE), `${sealer.seal(keyPem, CONTEXT)}\n`);
}

/** Re-wraps the sealed development key of `dataDir` under the current hub key (rotate-keys); false when there is none. */
export async function rewrapDevKey(dataDir: string, sealer: KeySealer): Promise<boolean> {
  const folder = join(dataDir, DEV_TLS_FOLDER);
  const sealed = (await readOrNull(join(folder, SEALED_KEY_FILE)))?.trim() ?? null;
  if (sealed === null || !sealer.needsRewrap(sealed)) return false;
  await writeOwnerOnly(join(folder, SEALED_KEY_FILE), `${sealer.rewrap(sealed)}\n`);
  return true;
}

/** The folder of the data folder that holds the development certificate and its sealed key. */
export const DEV_TLS_FOLDER = 'dev-tls';
