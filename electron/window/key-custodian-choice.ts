// Which KeyCustodian the app uses. Keys stay where they are: blobs wrapped by Electron's
// safeStorage in <data>/keys mean safeStorage (and if it is unavailable now, a keystore error,
// never a silent switch that would look like a lost vault); a vault or audit trail without such
// blobs was made by the `wardline` CLI, whose keys are in the OS keystore through keytar. For a
// new data directory: safeStorage when it really protects the key (not Linux's basic_text), else keytar.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { auditFilePath } from '../audit/index.js';
import { createKeytarCustodian, vaultExists, VaultError, type KeyCustodian } from '../vault/index.js';
import { SafeStorageCustodian } from './safe-storage-custodian.js';
import { createWrappedKeyFileStore } from './wrapped-key-files.js';

/** Where safeStorage-wrapped key blobs are kept, inside the data directory. */
export const WRAPPED_KEYS_FOLDER = 'keys';

export type CustodianChoice = 'safe-storage' | 'keytar' | 'unavailable';

const UNPROTECTED_LINUX_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown']);

export function chooseKeyCustodian(options: {
  readonly platform: NodeJS.Platform;
  readonly safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend'>;
  /** Whether safeStorage-wrapped key blobs already exist in the data directory. */
  readonly hasWrappedKeys: boolean;
  /** Whether the data directory already holds a vault or an audit trail. */
  readonly hasEncryptedData: boolean;
}): CustodianChoice {
  const usable =
    options.safeStorage.isEncryptionAvailable() &&
    (options.platform !== 'linux' || !UNPROTECTED_LINUX_BACKENDS.has(options.safeStorage.getSelectedStorageBackend()));
  if (options.hasWrappedKeys) return usable ? 'safe-storage' : 'unavailable';
  if (options.hasEncryptedData) return 'keytar';
  return usable ? 'safe-storage' : 'keytar';
}

/** The app's KeyCustodian: wrapped blobs in `<dataDir>/keys` under safeStorage, or the OS keystore through keytar. */
export function electronKeyCustodian(options: {
  readonly safeStorage: SafeStorage;
  readonly dataDir: string;
  readonly platform?: NodeJS.Platform;
}): KeyCustodian {
  const platform = options.platform ?? process.platform;
  const keysDir = path.join(options.dataDir, WRAPPED_KEYS_FOLDER);
  const hasWrappedKeys = existsSync(keysDir) && readdirSync(keysDir).some((name) => name.endsWith('.wrapped-key'));
  const hasEncryptedData = vaultExists(options.dataDir) || existsSync(auditFilePath(options.dataDir));
  switch (chooseKeyCustodian({ platform, safeStorage: options.safeStorage, hasWrappedKeys, hasEncryptedData })) {
    case 'safe-storage':
      return new SafeStorageCustodian({ safeStorage: options.safeStorage, blobs: createWrappedKeyFileStore(keysDir), platform });
    case 'keytar':
      return createKeytarCustodian();
    case 'unavailable':
      throw new VaultError(
        'KEYSTORE_UNAVAILABLE',
        "Wardline's keys on this computer are protected by the OS keystore through Electron, which is not available now (on Linux: no unlocked Secret Service or KWallet). Ask IT to check the user's keystore; the chart cache was left untouched.",
      );
  }
}
