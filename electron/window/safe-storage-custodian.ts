// KeyCustodian over Electron's safeStorage: the key is wrapped by the OS (DPAPI, Keychain,
// libsecret/KWallet) and only the wrapped blob is written, through a WrappedKeyStore. Refuses to
// work when safeStorage would not really protect the key (unavailable, or Linux's basic_text).
import type { SafeStorage } from 'electron';
import { VaultError, type KeyCustodian } from '../vault/index.js';
import type { WrappedKeyStore } from './wrapped-key-files.js';

export interface SafeStorageCustodianOptions {
  /** Electron's `safeStorage` (injected, so this runs and is tested in plain Node). */
  readonly safeStorage: SafeStorage;
  /** Where the wrapped blobs are kept. */
  readonly blobs: WrappedKeyStore;
  /** process.platform unless told; getSelectedStorageBackend() exists on Linux only. */
  readonly platform?: NodeJS.Platform;
}

const REFUSED_LINUX_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown']);

export class SafeStorageCustodian implements KeyCustodian {
  readonly #safeStorage: SafeStorage;
  readonly #blobs: WrappedKeyStore;
  readonly #platform: NodeJS.Platform;

  constructor(options: SafeStorageCustodianOptions) {
    this.#safeStorage = options.safeStorage;
    this.#blobs = options.blobs;
    this.#platform = options.platform ?? process.platform;
  }

  async store(name: string, key: Buffer): Promise<void> {
    this.#assertProtected();
    let blob: Buffer;
    try {
      blob = this.#safeStorage.encryptString(key.toString('base64'));
    } catch (error) {
      throw unavailable('could not wrap the chart cache key', error);
    }
    await this.#blobs.write(name, blob);
  }

  async load(name: string): Promise<Buffer | null> {
    this.#assertProtected();
    const blob = await this.#blobs.read(name);
    if (blob === null) return null;
    try {
      return Buffer.from(this.#safeStorage.decryptString(blob), 'base64');
    } catch (error) {
      throw unavailable('could not unwrap the chart cache key', error);
    }
  }

  /** Works even when encryption is unavailable: removing the blob is what a wipe needs. */
  async destroy(name: string): Promise<void> {
    await this.#blobs.remove(name);
  }

  #assertProtected(): void {
    if (!this.#safeStorage.isEncryptionAvailable()) {
      throw new VaultError(
        'KEYSTORE_UNAVAILABLE',
        "The operating system's keystore is not available to Wardline, so the chart cache cannot be opened. Ask IT to check the Secret Service or KWallet (Linux), Keychain (macOS) or the user profile (Windows).",
      );
    }
    if (this.#platform === 'linux' && REFUSED_LINUX_BACKENDS.has(this.#safeStorage.getSelectedStorageBackend())) {
      throw new VaultError(
        'KEYSTORE_UNAVAILABLE',
        "No OS keystore protects Wardline's keys on this computer (Electron fell back to plain-text storage), so the chart cache cannot be opened. Ask IT to install and unlock a Secret Service (gnome-keyring) or KWallet for this user.",
      );
    }
  }
}

function unavailable(what: string, cause: unknown): VaultError {
  return new VaultError(
    'KEYSTORE_UNAVAILABLE',
    `The operating system's keystore ${what}. Ask IT to check the user's keystore (Secret Service/KWallet, Keychain or the Windows profile).`,
    { cause },
  );
}
