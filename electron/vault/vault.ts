// Creating and opening the vault, and the Vault handle itself: resource store, chart queries,
// status, meta, sync checkpoints, transactions, rekey and close.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { createChartQueries, type ChartQueries } from './chart-queries.js';
import { createPatientDirectory, type PatientDirectory } from './patient-directory.js';
import { CONFLICT_METHODS, createConflictStore, type ConflictStore } from './conflict-store.js';
import type { KeyCustodian } from './key-custodian.js';
import { keyNameFor, stagingNameFor } from './key-name.js';
import { checkIntegrity } from './integrity-check.js';
import { migrate, schemaVersionOf } from './migration-runner.js';
import { LATEST_SCHEMA_VERSION } from './migrations/index.js';
import { createResourceStore, type ResourceStore } from './resource-store.js';
import { guarded, lazily } from './lazy-methods.js';
import { createCredentialRecords, CREDENTIAL_METHODS, type CredentialRecords } from './credential-records.js';
import { createOutboxStore, OUTBOX_METHODS, type OutboxStore } from './outbox-store.js';
import { createPolicyMarkStore, type PolicyMarkStore } from './policy-mark.js';
import { enterBulkLoad, leaveBulkLoad } from './bulk-load.js';
import { openKeyedConnection, type Db } from './sqlcipher-connection.js';
import { createSyncStateStore, SYNC_STATE_METHODS, type SyncStateStore } from './sync-state-store.js';
import { createSyncCheckpoints, createVaultMeta, type SyncCheckpoints, type VaultMeta } from './vault-meta.js';
import { partialVaultFilePath, syncDirectory, vaultExists, vaultFilePath, withSideFiles } from './vault-files.js';
import { VaultError } from './vault-error.js';
import { createStoredKey, rotateKey, unlockConnection } from './vault-keys.js';

export interface VaultStatus {
  readonly encrypted: true;
  /** As the database reports it (PRAGMA cipher), e.g. "sqlcipher". */
  readonly cipher: string;
  readonly schemaVersion: number;
  readonly patients: number;
  readonly resources: number;
  /** The ward (Location id) whose patients this vault caches, or null for any ward. */
  readonly ward: string | null;
}

export interface Vault extends ChartQueries {
  readonly resources: ResourceStore;
  readonly checkpoints: SyncCheckpoints;
  /** The sync engine's bookkeeping: enrollment, patient load states, history walks, purge. */
  readonly sync: SyncStateStore;
  /** Local documentation waiting for the hub. */
  readonly outbox: OutboxStore;
  /** Local documentation the hub did not take, kept beside the hub's versions. */
  readonly conflicts: ConflictStore;
  /** Per-user sign-in records of the sessions room (offline and PIN verifiers). */
  readonly credentials: CredentialRecords;
  /** The newest machine policy accepted here (issued, signer): refuses a rollback to an older one. */
  readonly policyMark: PolicyMarkStore;
  /** Names and MRNs of held patients, and the patients an MRN or name designates (the audit view). */
  readonly patients: PatientDirectory;
  /**
   * Settles when the integrity check of the open has finished: resolves when every page is
   * intact, rejects with VaultError CORRUPT (the vault has then closed itself). Already settled
   * unless the vault was opened with `integrityCheck: 'background'`.
   */
  readonly integrity: Promise<void>;
  status(): VaultStatus;
  /** The ward (Location id) this workstation caches, or null when none is set. */
  ward(): string | null;
  setWard(wardId: string | null): void;
  /**
   * Runs `fn` in one transaction (resources, checkpoints, meta together); nested calls become
   * savepoints. With `durable`, the commit is flushed to disk (synchronous=FULL) so it survives
   * a power cut; use it for local documentation that exists nowhere else yet.
   */
  transaction<T>(fn: () => T, options?: { durable?: boolean }): T;
  /**
   * Bulk-load mode, for the sync's initial load: the smaller page cache (BULK_LOAD_CACHE_KIB) and,
   * when no other connection has the file open, a rollback journal with synchronous=FULL instead of
   * WAL (bulk-load.ts says why and how it stays safe). When the journal cannot be switched the load
   * goes on in WAL (logged at debug). Call endBulkLoad in a `finally`.
   */
  beginBulkLoad(): void;
  /**
   * Back to WAL, the usual cache and synchronous. Does nothing when no bulk load is under way or the
   * vault is closed (the next open puts the file back in WAL, rolling back any interrupted write).
   */
  endBulkLoad(): void;
  /** Re-encrypts the vault under a new random key; the old key is removed only after success. */
  rekey(): Promise<void>;
  /** When the vault's key was last changed (its creation, before any rekey); null when unknown. */
  keyChangedAt(): string | null;
  /** Closes the database. The vault holds no key in memory (it is zeroed once the file is open). */
  close(): void;
  readonly isOpen: boolean;
}

interface VaultLocation {
  readonly dataDir: string;
  readonly custodian: KeyCustodian;
  readonly logger?: Logger;
}

export interface OpenVaultOptions extends VaultLocation {
  /** 'before-open' (default): open fails on a damaged file. 'background': see openVault. */
  readonly integrityCheck?: 'before-open' | 'background';
}

export interface CreateVaultOptions extends VaultLocation {
  /** The ward (Location id) whose patients this workstation caches. */
  readonly ward?: string;
}

const WARD_KEY = 'ward';
const CREATED_AT_KEY = 'created_at';
/** When the key was last changed by a rekey. */
const REKEYED_AT_KEY = 'rekeyed_at';

/**
 * Creates a new vault in `dataDir`: a random key stored (and read back) through the custodian
 * first, so without a usable keystore no file is created; then the schema, written to a
 * temporary file that is renamed into place once complete. Fails with ALREADY_EXISTS when a vault
 * is there: an existing vault is never replaced.
 */
export async function createVault(options: CreateVaultOptions): Promise<Vault> {
  const { dataDir, custodian, logger } = options;
  if (vaultExists(dataDir)) {
    throw new VaultError('ALREADY_EXISTS', 'A chart cache already exists on this workstation. Open it, or wipe it first (wardline wipe).');
  }
  const name = keyNameFor(dataDir, 'vault');
  const key = await createStoredKey(custodian, name);
  try {
    await custodian.destroy(stagingNameFor(name));
    mkdirSync(path.resolve(dataDir), { recursive: true, mode: 0o700 });
    const partial = partialVaultFilePath(dataDir);
    rmSync(partial, { force: true });
    try {
      const db = openKeyedConnection(partial, key, { create: true });
      try {
        migrate(db, undefined, logger);
        const meta = createVaultMeta(db);
        meta.set(CREATED_AT_KEY, new Date().toISOString());
        if (options.ward !== undefined) meta.set(WARD_KEY, options.ward);
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      if (vaultExists(dataDir)) {
        throw new VaultError(
          'ALREADY_EXISTS',
          'A chart cache appeared on this workstation while a new one was being created. Open it, or wipe it first (wardline wipe).',
        );
      }
      renameSync(partial, vaultFilePath(dataDir));
      syncDirectory(path.resolve(dataDir));
    } catch (error) {
      for (const file of withSideFiles(partial)) rmSync(file, { force: true });
      await custodian.destroy(name).catch(() => undefined);
      throw error;
    }
    const db = openKeyedConnection(vaultFilePath(dataDir), key, { create: false });
    logger?.info({ schemaVersion: LATEST_SCHEMA_VERSION }, 'vault created');
    return new OpenedVault(db, custodian, name, logger, Promise.resolve());
  } finally {
    key.fill(0);
  }
}

/**
 * Opens the vault in `dataDir` with its key from the custodian, checks its integrity
 * (quick_check, off the main thread) and brings its schema up to date. Fails with NOT_FOUND when
 * there is none (it is never created here), KEYSTORE_UNAVAILABLE, KEY_MISSING,
 * WRONG_KEY_OR_CORRUPT, CORRUPT, SCHEMA_TOO_NEW or MIGRATION_FAILED.
 *
 * With `integrityCheck: 'background'` the vault is returned as soon as its key and schema are
 * proven, while the check runs on; `vault.integrity` settles with its outcome and a vault found
 * damaged closes itself (every call then throws CORRUPT). A schema migration always waits for it.
 */
export async function openVault({ dataDir, custodian, logger, integrityCheck = 'before-open' }: OpenVaultOptions): Promise<Vault> {
  if (!vaultExists(dataDir)) {
    throw new VaultError('NOT_FOUND', 'There is no chart cache on this workstation yet. Enroll it first (wardline init).');
  }
  const file = vaultFilePath(dataDir);
  const name = keyNameFor(dataDir, 'vault');
  const { db, key } = await unlockConnection(file, custodian, name, logger);
  let integrity: Promise<void>;
  try {
    integrity = checkIntegrity(file, key);
  } finally {
    key.fill(0);
  }
  integrity.catch(() => undefined);
  try {
    if (integrityCheck === 'before-open' || schemaVersionOf(db) < LATEST_SCHEMA_VERSION) await integrity;
    migrate(db, undefined, logger);
  } catch (error) {
    db.close();
    throw error;
  }
  logger?.info({ schemaVersion: schemaVersionOf(db), integrityCheck }, 'vault opened');
  return new OpenedVault(db, custodian, name, logger, integrity);
}

class OpenedVault implements Vault {
  #db: Db | null;
  #failure: VaultError | null = null;
  #rekeying = false;
  /** Whether the integrity check's worker has finished (and closed its connection to the file). */
  #integritySettled = false;
  /** Off, or on with the journal left in WAL, or on with the rollback journal in force. */
  #bulkLoad: 'off' | 'wal' | 'journal' = 'off';
  readonly #custodian: KeyCustodian;
  readonly #keyName: string;
  readonly #logger: Logger | undefined;
  readonly #meta: VaultMeta;
  readonly #queries: ChartQueries;
  readonly resources: ResourceStore;
  readonly checkpoints: SyncCheckpoints;
  readonly sync: SyncStateStore;
  readonly outbox: OutboxStore;
  readonly conflicts: ConflictStore;
  readonly credentials: CredentialRecords;
  readonly policyMark: PolicyMarkStore;
  readonly patients: PatientDirectory;
  readonly integrity: Promise<void>;

  constructor(db: Db, custodian: KeyCustodian, keyName: string, logger: Logger | undefined, integrity: Promise<void>) {
    this.#db = db;
    this.integrity = integrity;
    integrity.then(
      () => (this.#integritySettled = true),
      () => (this.#integritySettled = true),
    );
    integrity.catch((error: unknown) => {
      this.#failure =
        error instanceof VaultError
          ? error
          : new VaultError('CORRUPT', 'The chart cache file is damaged. Ask IT to wipe it (wardline wipe) and let it sync again.');
      logger?.error({ code: this.#failure.code }, 'vault integrity check failed; vault closed');
      this.close();
    });
    this.#custodian = custodian;
    this.#keyName = keyName;
    this.#logger = logger;
    this.#meta = createVaultMeta(db);
    const assertOpen = (): void => {
      this.#connection();
    };
    this.resources = guarded(createResourceStore(db), assertOpen);
    this.checkpoints = guarded(createSyncCheckpoints(db), assertOpen);
    this.sync = guarded(
      lazily(() => createSyncStateStore(db), SYNC_STATE_METHODS),
      assertOpen,
    );
    this.outbox = guarded(
      lazily(() => createOutboxStore(db), OUTBOX_METHODS),
      assertOpen,
    );
    this.conflicts = guarded(
      lazily(() => createConflictStore(db), CONFLICT_METHODS),
      assertOpen,
    );
    this.credentials = guarded(
      lazily(() => createCredentialRecords(db, (write) => this.transaction(write, { durable: true })), CREDENTIAL_METHODS),
      assertOpen,
    );
    this.policyMark = guarded(
      createPolicyMarkStore(this.#meta, (write) => this.transaction(write, { durable: true })),
      assertOpen,
    );
    this.patients = guarded(createPatientDirectory(db), assertOpen);
    this.#queries = guarded(
      createChartQueries(
        db,
        () => this.#meta.get(WARD_KEY),
        (patientId) => this.sync.patient(patientId)?.dataAsOf ?? null,
      ),
      assertOpen,
    );
  }

  get isOpen(): boolean {
    return this.#db !== null;
  }

  census: ChartQueries['census'] = () => this.#queries.census();
  patientSummary: ChartQueries['patientSummary'] = (patientId) => this.#queries.patientSummary(patientId);
  observationTrend: ChartQueries['observationTrend'] = (patientId, code, fromIso, toIso) =>
    this.#queries.observationTrend(patientId, code, fromIso, toIso);
  medicationAdministrationRecord: ChartQueries['medicationAdministrationRecord'] = (patientId, fromIso, toIso) =>
    this.#queries.medicationAdministrationRecord(patientId, fromIso, toIso);
  notes: ChartQueries['notes'] = (patientId, page) => this.#queries.notes(patientId, page);

  status(): VaultStatus {
    const db = this.#connection();
    return {
      encrypted: true,
      cipher: String(db.prepare('PRAGMA cipher').pluck().get()),
      schemaVersion: schemaVersionOf(db),
      patients: this.resources.count('Patient'),
      resources: this.resources.count(),
      ward: this.#meta.get(WARD_KEY),
    };
  }

  ward(): string | null {
    this.#connection();
    return this.#meta.get(WARD_KEY);
  }

  setWard(wardId: string | null): void {
    this.#connection();
    this.#meta.set(WARD_KEY, wardId);
  }

  transaction<T>(fn: () => T, options: { durable?: boolean } = {}): T {
    const db = this.#connection();
    if (!options.durable || db.inTransaction) return db.transaction(fn)();
    // NORMAL in WAL mode, FULL during a bulk load in rollback-journal mode (bulk-load.ts).
    const restore = Number(db.pragma('synchronous', { simple: true }));
    db.pragma('synchronous=FULL');
    try {
      return db.transaction(fn)();
    } finally {
      db.pragma(`synchronous=${restore}`);
    }
  }

  beginBulkLoad(): void {
    const db = this.#connection();
    if (this.#bulkLoad !== 'off') return;
    // The integrity check's worker opens a connection of its own: while it runs, a switch could
    // succeed just before it opens, and its long read in rollback mode would then hold up our commits.
    const held = !this.#integritySettled ? 'integrity-check-running' : this.#rekeying ? 'rekeying' : null;
    const staysInWal = enterBulkLoad(db, { journal: held === null });
    this.#bulkLoad = staysInWal === null ? 'journal' : 'wal';
    if (staysInWal !== null) this.#logger?.debug({ reason: held ?? staysInWal }, 'vault bulk load stays in WAL mode');
  }

  endBulkLoad(): void {
    if (this.#db === null || this.#bulkLoad === 'off') return;
    this.#bulkLoad = 'off';
    let back: boolean;
    let code: unknown;
    try {
      back = leaveBulkLoad(this.#db);
    } catch (error) {
      back = false;
      code = (error as { code?: unknown }).code;
    }
    // Called in a `finally`: never hides the load's own outcome. Consistent either way (a rollback
    // journal with synchronous=FULL); the next open puts the file back in WAL.
    if (!back) this.#logger?.warn({ code }, 'vault stays in rollback-journal mode after a bulk load until it is opened again');
  }

  async rekey(): Promise<void> {
    const db = this.#connection();
    if (this.#rekeying) {
      throw new VaultError('REKEY_FAILED', 'A change of the chart cache key is already under way. Wait for it to finish.');
    }
    if (db.inTransaction) {
      throw new VaultError('REKEY_FAILED', 'The chart cache key cannot be changed inside a transaction. Try again once it has finished.');
    }
    this.#rekeying = true;
    try {
      await this.integrity;
      await rotateKey(this.#connection(), this.#custodian, this.#keyName);
      this.#meta.set(REKEYED_AT_KEY, new Date().toISOString());
      this.#logger?.info('vault key changed');
    } finally {
      this.#rekeying = false;
    }
  }

  keyChangedAt(): string | null {
    this.#connection();
    return this.#meta.get(REKEYED_AT_KEY) ?? this.#meta.get(CREATED_AT_KEY);
  }

  close(): void {
    if (this.#db === null) return;
    this.#db.close();
    this.#db = null;
    this.#logger?.info('vault closed');
  }

  #connection(): Db {
    if (this.#failure !== null) throw this.#failure;
    if (this.#db === null) {
      throw new VaultError('CLOSED', 'The chart cache is closed. Open it again (sign in again) to read charts.');
    }
    return this.#db;
  }
}
