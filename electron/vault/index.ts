// The vault: the encrypted chart cache on this workstation. Owns the SQLCipher database, its
// schema and migrations, and the key's custody. Nothing else opens the database.
export { createVault, openVault, type Vault } from './vault.js';
export { wipeVault } from './wipe.js';
export { vaultExists, vaultFilePath } from './vault-files.js';
export { VaultError, isVaultError, type VaultErrorCode } from './vault-error.js';
export type { KeyCustodian } from './key-custodian.js';
export { KeytarCustodian, createKeytarCustodian } from './keytar-custodian.js';
export { keyNameFor } from './key-name.js';
export type { PreparedResource, ResourceStore } from './resource-store.js';
export type { ResourceRow } from './resource-columns.js';
export { preparedOf as preparedResourceOf } from './resource-validation.js';
export { holdsPatient } from './held-patient.js';
export type { EnrollmentRecord } from './sync-state-store.js';
export type { OutboxEntry, OutboxItem } from './outbox-store.js';
export { contentFingerprint } from './outbox-content.js';
export type { ConflictRecord, HubVersionOnly, NewConflict } from './conflict-store.js';
export type { PolicyMark } from './policy-mark.js';
export type { ChartQueries } from './chart-queries.js';
export type { PatientDirectory, PatientIdentity } from './patient-directory.js';
export { openMemoryChartStore, type MemoryChartStore } from './memory-chart-store.js';
export type * from './chart-types.js';
export type { NotesPage, NotesPageEntries } from './notes-query.js';
export { openEncryptedDatabase, rekeyEncryptedDatabase, type EncryptedConnection } from './encrypted-database.js';
export type { Migration } from './migrations/index.js';
export type { CredentialRecord } from './credential-records.js';
export { guarded as guardedWhileOpen } from './lazy-methods.js';
