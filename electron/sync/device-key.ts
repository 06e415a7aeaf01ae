// The workstation's private key for the hub, kept in the OS keystore through the KeyCustodian
// (as its JWK), never on disk. Made at enrollment; read once per sync engine.
import type { CryptoKey, JWK } from 'jose';
import { exportDevicePrivateKey, importDevicePrivateKey } from '../../shared/auth/index.js';
import { keyNameFor, type KeyCustodian } from '../vault/index.js';
import { SyncError } from './sync-error.js';

export async function storeDeviceKey(custodian: KeyCustodian, dataDir: string, privateKey: CryptoKey): Promise<void> {
  const bytes = Buffer.from(JSON.stringify(await exportDevicePrivateKey(privateKey)), 'utf8');
  try {
    await custodian.store(keyNameFor(dataDir, 'device'), bytes);
  } finally {
    bytes.fill(0);
  }
}

export async function loadDeviceKey(custodian: KeyCustodian, dataDir: string): Promise<CryptoKey> {
  const bytes = await custodian.load(keyNameFor(dataDir, 'device'));
  if (bytes === null) {
    throw new SyncError(
      'DEVICE_KEY_MISSING',
      "This workstation's device key is missing from the OS keystore, so it cannot sign in to the hub. Ask IT to enroll it again (wardline enroll).",
    );
  }
  try {
    return await importDevicePrivateKey(JSON.parse(bytes.toString('utf8')) as JWK);
  } catch (error) {
    throw new SyncError(
      'DEVICE_KEY_MISSING',
      "This workstation's device key in the OS keystore is unreadable. Ask IT to enroll it again (wardline enroll).",
      { cause: error },
    );
  } finally {
    bytes.fill(0);
  }
}

export async function destroyDeviceKey(custodian: KeyCustodian, dataDir: string): Promise<void> {
  await custodian.destroy(keyNameFor(dataDir, 'device'));
}
