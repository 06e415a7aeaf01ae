// The window room's second door, for tests only: stand-ins for Electron's own objects, which
// cannot run here.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorage } from 'electron';

type Backend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

/**
 * Stands in for Electron's safeStorage (Electron cannot run here), implementing its interface:
 * AES-256-GCM under a secret that lives only in this object, as the OS keystore's would.
 */
export class FakeSafeStorage implements SafeStorage {
  readonly #osSecret = randomBytes(32);
  constructor(
    private available = true,
    private backend: Backend = 'gnome_libsecret',
  ) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): Backend {
    return this.backend;
  }
  setUsePlainTextEncryption(usePlainText: boolean): void {
    if (usePlainText) this.backend = 'basic_text';
  }
  encryptString(plainText: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#osSecret, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }
  decryptString(encrypted: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.#osSecret, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
  }
  makeUnavailable(): void {
    this.available = false;
  }
}
