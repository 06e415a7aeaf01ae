// Names under which a data directory's keys are kept in the OS keystore. Derived from a hash
// of the resolved data directory path, so several vaults (and test runs) never share a key.
import { createHash } from 'node:crypto';
import path from 'node:path';

/** 'device': the workstation's private key for the hub (sync room), kept as a JWK. */
export type KeyPurpose = 'vault' | 'audit' | 'device';

/**
 * The keystore name of the key for `purpose` in `dataDir`, e.g. `vault-3f1c…` (24 hex digits of
 * SHA-256 over the resolved path). Lexical resolution only, so the name is the same before and
 * after the directory exists. Contains no path, hence nothing about the machine's users.
 */
export function keyNameFor(dataDir: string, purpose: KeyPurpose): string {
  const digest = createHash('sha256').update(path.resolve(dataDir), 'utf8').digest('hex');
  return `${purpose}-${digest.slice(0, 24)}`;
}

/** Where a new key waits during a rekey until the database has been re-encrypted with it. */
export function stagingNameFor(keyName: string): string {
  return `${keyName}.next`;
}
