// Wipe = crypto-erase: destroy the wrapped key first, so any copy of the file is unreadable, then
// delete the database and its side files.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { KeyCustodian } from './key-custodian.js';
import { keyNameFor, stagingNameFor } from './key-name.js';
import { syncDirectory, vaultFilePaths } from './vault-files.js';
import { VaultError } from './vault-error.js';

export interface WipeVaultOptions {
  readonly dataDir: string;
  readonly custodian: KeyCustodian;
  readonly logger?: Logger;
  /**
   * Leaves the device key of the enrollment in the keystore, for a caller that still has audit
   * entries to send as this device (`wardline wipe`) and destroys it itself afterwards.
   */
  readonly keepDeviceKey?: boolean;
}

/**
 * Destroys the vault key (and any key staged by an interrupted rekey) and, unless asked to keep it,
 * the device key of the workstation's enrollment, then deletes the vault
 * files. Succeeds when there is nothing to wipe. When the keystore refuses, the files are deleted
 * anyway and a KEYSTORE_UNAVAILABLE error says the key is still to be removed.
 */
export async function wipeVault({ dataDir, custodian, logger, keepDeviceKey = false }: WipeVaultOptions): Promise<void> {
  const name = keyNameFor(dataDir, 'vault');
  let keyError: unknown;
  try {
    await custodian.destroy(name);
    await custodian.destroy(stagingNameFor(name));
    // The device key belongs to the enrollment kept in this vault: without the vault it is an
    // orphan that could still authenticate to the hub, so it goes too (re-enroll after a wipe).
    if (!keepDeviceKey) await custodian.destroy(keyNameFor(dataDir, 'device'));
  } catch (error) {
    keyError = error;
  }
  let removed = 0;
  let failed = 0;
  let fileError: unknown;
  for (const file of vaultFilePaths(dataDir)) {
    try {
      rmSync(file);
      removed += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      failed += 1;
      fileError = error;
    }
  }
  syncDirectory(path.resolve(dataDir));
  logger?.info({ filesRemoved: removed, filesNotRemoved: failed, keyDestroyed: keyError === undefined }, 'vault wiped');
  if (keyError !== undefined) {
    throw new VaultError(
      'KEYSTORE_UNAVAILABLE',
      'The chart cache files were deleted, but its key could not be removed from the OS keystore. Run the wipe again once the keystore is available (Secret Service, Keychain or Credential Manager).',
      { cause: keyError },
    );
  }
  if (fileError !== undefined) {
    throw new VaultError(
      'WIPE_INCOMPLETE',
      `The chart cache key was destroyed, so its data can no longer be read, but ${failed} of its files could not be deleted. Close Wardline on this workstation and run the wipe again.`,
      { cause: fileError },
    );
  }
}
