// The vault: the encrypted chart cache on this workstation. Owns the SQLCipher database, its
// schema and migrations, and the key's custody. Nothing else opens the database.
export { createVault, openVault, type CreateVaultOptions, type OpenVaultOptions, type Vault, type VaultStatus } from './vault.js';
export { wipeVault, type WipeVaultOptions } from './wipe.js';
export { vaultExists, vaultFilePath, VAULT_FILE_NAME } from './vault-files.js';
export { VaultError, isVaultError, type VaultErrorCode } from './vault-error.js';
export type { KeyCustodian } from './key-custodian.js';
export { KeytarCustodian, createKeytarCustodian, KEYSTORE_SERVICE, type KeytarCustodianOptions } from './keytar-custodian.js';
export { keyNameFor, type KeyPurpose } from './key-name.js';
export { LATEST_SCHEMA_VERSION } from './migrations/index.js';
export type { ResourceStore, ResourceOf } from './resource-store.js';
export type { SyncCheckpoints } from './vault-meta.js';
export type { SyncStateStore, EnrollmentRecord, PatientSyncState } from './sync-state-store.js';
export type { OutboxStore, OutboxEntry, OutboxItem, NewOutboxEntry } from './outbox-store.js';
export type { ConflictStore, ConflictRecord } from './conflict-store.js';
export type { PolicyMark, PolicyMarkStore } from './policy-mark.js';
export type { ChartQueries } from './chart-queries.js';
export { openMemoryChartStore, type MemoryChartStore } from './memory-chart-store.js';
export { LATE_AFTER_MS } from './mar-query.js';
export type * from './chart-types.js';
export type { NotesPage, NotesPageEntries } from './notes-query.js';
export {
  openEncryptedDatabase,
  encryptedDatabaseExists,
  type OpenEncryptedDatabaseOptions,
  type OpenedEncryptedDatabase,
  type EncryptedConnection,
} from './encrypted-database.js';
export type { Migration } from './migrations/index.js';
export type { CredentialRecord, CredentialRecords, CredentialRole } from './credential-records.js';
export { guarded as guardedWhileOpen } from './lazy-methods.js';
