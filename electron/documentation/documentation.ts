// The entry point for documentation made on this workstation and for its conflicts: records go
// through LocalDocumentation into the outbox (a dose checked against the five rights first), conflicts are settled by conflict-resolution, and the
// sync engine is told to sync soon after each write. The sync engine pushes the outbox; it knows
// nothing of this room.
import type { Logger } from 'pino';
import type { ConflictRecord, Vault } from '../vault/index.js';
import { isDowntime, type ConnectivityState } from '../sync/index.js';
import { combineConflict, recordAgain, resolveConflict, type AuditSettlement, type ConflictChoice } from './conflict-resolution.js';
import type { DocumentationAuthor, MedicationAdministrationInput, NoteInput, VitalSignsInput } from './documentation-builders.js';
import { LocalDocumentation, type AuditBeforeCommit, type DocumentationReceipt } from './local-documentation.js';
import type { AdministrationSafetyPolicy } from './administration-safety.js';
import type { AdministrationVerdict } from '../../shared/medication-safety/index.js';
import type { AmendmentRequestData } from '../../shared/contract/index.js';

/** What documentation needs of the sync engine (SyncEngine fits). */
export interface DocumentationSync {
  /** The connectivity state: documentation made in downtime carries a Provenance. */
  readonly state: ConnectivityState;
  /** Outbox entries on the wire right now (not to be changed under the push). */
  readonly outboxInFlight: ReadonlySet<string>;
  /** Sync soon (when the scheduler runs). */
  requestSync(): void;
}

export interface DocumentationOptions {
  readonly vault: Vault;
  readonly sync: DocumentationSync;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** The medication administration checks' settings (the policy's window, the site's allergy classes). */
  readonly administrationSafety?: AdministrationSafetyPolicy;
}

export class Documentation {
  readonly #o: DocumentationOptions;
  readonly #now: () => Date;
  readonly #local: LocalDocumentation;

  constructor(options: DocumentationOptions) {
    this.#o = options;
    const { vault, logger, sync } = options;
    this.#now = options.now ?? (() => new Date());
    this.#local = new LocalDocumentation({
      vault,
      logger,
      now: this.#now,
      isDowntime: () => isDowntime(sync.state),
      inFlight: sync.outboxInFlight,
      onWrite: () => sync.requestSync(),
      ...(options.administrationSafety === undefined ? {} : { administrationSafety: options.administrationSafety }),
    });
  }

  /** `audit` writes the audit entry inside the documentation's transaction (see AuditBeforeCommit). */
  recordVitalSigns(
    patientId: string,
    values: VitalSignsInput,
    author: DocumentationAuthor,
    audit?: AuditBeforeCommit,
  ): DocumentationReceipt {
    return this.#local.recordVitalSigns(patientId, values, author, audit);
  }

  recordMedicationAdministration(
    patientId: string,
    input: MedicationAdministrationInput,
    author: DocumentationAuthor,
    audit?: AuditBeforeCommit,
  ): DocumentationReceipt {
    return this.#local.recordMedicationAdministration(patientId, input, author, audit);
  }

  /** The five rights for a dose before it is recorded (writes nothing). */
  checkMedicationAdministration(patientId: string, input: MedicationAdministrationInput): AdministrationVerdict {
    return this.#local.checkMedicationAdministration(patientId, input);
  }

  recordNote(patientId: string, input: NoteInput, author: DocumentationAuthor, audit?: AuditBeforeCommit): DocumentationReceipt {
    return this.#local.recordNote(patientId, input, author, audit);
  }

  amendResource(
    resource: Parameters<LocalDocumentation['amendResource']>[0],
    author: DocumentationAuthor,
    audit?: AuditBeforeCommit,
  ): DocumentationReceipt {
    return this.#local.amendResource(resource, author, audit);
  }

  /** Corrects a vital sign, or marks a vital sign or a dose entered in error (coded reason; If-Match on the version seen). */
  amend(request: AmendmentRequestData, author: DocumentationAuthor, audit?: AuditBeforeCommit): DocumentationReceipt {
    return this.#local.amend(request, author, audit);
  }

  /** True while the hub is unreachable (offline or hub-down). */
  get inDowntime(): boolean {
    return isDowntime(this.#o.sync.state);
  }

  conflicts(): ConflictRecord[] {
    return this.#o.vault.conflicts.list();
  }

  /** Keeps the hub's version, or queues the local one again on top of it; returns the new entry id. */
  resolveConflict(conflictId: string, choice: ConflictChoice, audit?: AuditSettlement, author?: DocumentationAuthor): string | null {
    const entryId = resolveConflict(this.#o.vault, conflictId, choice, this.#now(), audit, author);
    if (entryId !== null) this.#o.sync.requestSync();
    return entryId;
  }

  /**
   * Accepts a withdrawal (entered in error) that met this workstation's change, and records its vital
   * signs again as a new entry; returns the new entry's id.
   */
  recordAgain(conflictId: string, author: DocumentationAuthor, audit?: AuditSettlement): string {
    const entryId = recordAgain(this.#o.vault, conflictId, author, this.#now(), this.inDowntime, audit);
    this.#o.sync.requestSync();
    return entryId;
  }

  /** Queues the user's combination of both versions (validated; the conflict's own resources) on top of the hub's; returns the new entry id. */
  combineConflict(conflictId: string, resources: readonly unknown[], author: DocumentationAuthor, audit?: AuditSettlement): string {
    const entryId = combineConflict(this.#o.vault, conflictId, resources, author, this.#now(), audit);
    this.#o.logger.info(
      { event: 'sync.conflict_combined', conflictId, entryId, resources: resources.length },
      'conflict settled with a combined version',
    );
    this.#o.sync.requestSync();
    return entryId;
  }
}

/** The documentation of an enrolled workstation, over its sync engine. */
export function openDocumentation(options: DocumentationOptions): Documentation {
  return new Documentation(options);
}
