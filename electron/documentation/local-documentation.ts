// The host-facing API for documentation made on this workstation: vital signs, medication
// administrations, notes, and amendments of cached resources. Each call builds valid FHIR (checked
// with validateResource), stores the local copies together with their outbox entry in one durable
// vault transaction with a Provenance naming who recorded it (marked as downtime documentation when
// made while the hub was unreachable), and asks for a sync. A user's later change of a record her own
// waiting entry holds folds into that entry; a colleague's is an entry of its own in the colleague's
// name, chained after it (sent once it is delivered, on the version the hub gave it).
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  FhirValidationError,
  isSupportedResourceType,
  patientIdOf,
  validateResource,
  type MedicationRequest,
  type Provenance,
  type Resource,
} from '../../shared/fhir/index.js';
import { vitalProblems } from '../../shared/vital-signs/index.js';
import { contentFingerprint, type OutboxEntry, type OutboxItem, type Vault } from '../vault/index.js';
import {
  clinicalNote,
  documentationProvenance,
  medicationAdministration,
  vitalSignObservations,
  DOWNTIME_POLICY_URI,
  type BuildContext,
  type DocumentationAuthor,
  type MedicationAdministrationInput,
  type NoteInput,
  type VitalSignsInput,
} from './documentation-builders.js';
import type { AdministrationVerdict } from '../../shared/medication-safety/index.js';
import { clientIdOf, SyncError } from '../sync/index.js';
import { NOTE_MAX_CHARS, type AmendmentRequestData } from '../../shared/contract/index.js';
import { amendedResource } from './amendment.js';
import { readOnlyReasonFor } from './read-only-charts.js';
import {
  administrationSafetyVerdict,
  enforceAdministrationSafety,
  type AdministrationSafetyPolicy,
  type AdministrationToCheck,
} from './administration-safety.js';

/** The versionId the hub gives a resource it creates (what a delivered local copy became). */
const HUB_FIRST_VERSION = '1';

export interface DocumentationReceipt {
  /** The outbox entry (also the id of a conflict record, should the hub refuse it). */
  readonly entryId: string;
  /** Ids of the resources written (client UUIDs for new ones, until the hub has them). */
  readonly resourceIds: readonly string[];
  /** The Provenance naming who recorded it (every entry carries one; null only when folded into a waiting entry without one). */
  readonly provenanceId: string | null;
  /** Made while the hub was unreachable (its Provenance carries the downtime policy). */
  readonly downtime: boolean;
}

/**
 * Writes the audit entry of a piece of documentation. Called inside the documentation's vault
 * transaction, before it commits: if the audit write fails, the transaction rolls back and nothing
 * was documented (so the nurse's retry records it once); documentation never exists without its entry.
 */
export type AuditBeforeCommit = (receipt: DocumentationReceipt) => void;

export interface LocalDocumentationOptions {
  readonly vault: Vault;
  readonly logger: Logger;
  readonly now: () => Date;
  /** True while the hub is unreachable (offline or hub-down): documentation then carries a Provenance. */
  readonly isDowntime: () => boolean;
  /** Outbox entries on the wire right now. */
  readonly inFlight: ReadonlySet<string>;
  /** Called after every write (the scheduler syncs soon). */
  readonly onWrite: () => void;
  readonly newId?: () => string;
  /** The medication administration checks' settings (window, site allergy classes); default: Wardline's. */
  readonly administrationSafety?: AdministrationSafetyPolicy;
}

const DEFAULT_ADMINISTRATION_SAFETY: AdministrationSafetyPolicy = { windowMs: 60 * 60_000, allergyClasses: [] };

const AUTHOR = /^Practitioner\/[A-Za-z0-9\-.]{1,64}$/;

function invalid(message: string): SyncError {
  return new SyncError('INVALID_DOCUMENTATION', message);
}

/** The rule every save keeps (read-only-charts.ts): nothing is documented for a patient whose chart this workstation does not hold. */
function refuseReadOnly(vault: Pick<Vault, 'resources'>, patientId: string): void {
  if (readOnlyReasonFor(vault.resources, patientId) !== null) {
    throw new SyncError(
      'PATIENT_NOT_CACHED',
      "This patient's chart is not held on this workstation (not on this ward), so nothing can be documented for them here; document on the patient's ward. Nothing was saved.",
    );
  }
}

function checkNumber(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= min && value <= max)) {
    throw invalid(`The ${name} must be a number from ${min} to ${max}.`);
  }
}

function checkInstant(name: string, value: string | undefined): void {
  if (value !== undefined && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(Date.parse(value)))) {
    throw invalid(`The ${name} must be a date and time (ISO 8601).`);
  }
}

function validated<T extends Resource>(resource: T): T {
  try {
    return validateResource(resource) as T;
  } catch (error) {
    if (error instanceof FhirValidationError) {
      throw new SyncError('INVALID_DOCUMENTATION', `This documentation is not valid FHIR (field ${error.path}); nothing was saved.`, {
        cause: error,
      });
    }
    throw error;
  }
}

function keyOf(item: OutboxItem): string {
  return `${item.resource.resourceType}/${item.resource.id}`;
}

/**
 * Whether `entry` is `author`'s own write (its Provenance names only them): a later change of theirs
 * folds into it; anyone else's goes as an entry of its own (a Provenance credits every change it
 * carries to whom it names, and the hub refuses a note in another's name).
 */
function recordedBy(entry: OutboxEntry, author: DocumentationAuthor): boolean {
  const agents = entry.provenance?.agent ?? [];
  return agents.length > 0 && agents.every((agent) => agent.who.reference === author.reference);
}

export class LocalDocumentation {
  readonly #o: LocalDocumentationOptions;
  readonly #newId: () => string;

  constructor(options: LocalDocumentationOptions) {
    this.#o = options;
    this.#newId = options.newId ?? randomUUID;
  }

  /** One round of vital signs: an Observation per value given (blood pressure as one panel). */
  recordVitalSigns(
    patientId: string,
    values: VitalSignsInput,
    author: DocumentationAuthor,
    audit?: AuditBeforeCommit,
  ): DocumentationReceipt {
    const problem = vitalProblems(values)[0];
    if (problem !== undefined) throw invalid(problem.message);
    checkInstant('time of measurement', values.effectiveAt);
    const context = this.#context(patientId, author);
    const observations = vitalSignObservations(context, values);
    if (observations.length === 0) throw invalid('Enter at least one vital sign.');
    return this.#commit(
      context,
      observations.map((resource) => ({
        operation: 'create',
        resource: validated(resource) as Resource & { id: string },
        baseVersion: null,
      })),
      'CREATE',
      audit,
    );
  }

  /** A dose given (or held) against an active medication order of the patient in the vault. */
  recordMedicationAdministration(
    patientId: string,
    input: MedicationAdministrationInput,
    author: DocumentationAuthor,
    audit?: AuditBeforeCommit,
  ): DocumentationReceipt {
    checkInstant('time of administration', input.effectiveAt);
    checkInstant('scheduled time', input.scheduledAt);
    if (input.dose !== undefined) checkNumber('dose', input.dose.value, 0, 1e6);
    if (!input.given && (input.notGivenReason === undefined || input.notGivenReason.trim() === '')) {
      throw invalid('Say why the dose was not given.');
    }
    const context = this.#context(patientId, author);
    const order = this.#activeOrder(patientId, input.medicationRequestId);
    const dose = this.#doseToCheck(input, context.now);
    const verdict = administrationSafetyVerdict(
      this.#o.vault,
      patientId,
      order,
      dose,
      this.#o.administrationSafety ?? DEFAULT_ADMINISTRATION_SAFETY,
    );
    enforceAdministrationSafety(verdict, dose);
    const administration = validated(medicationAdministration(context, order, input, { timing: verdict.timing }));
    return this.#commit(
      context,
      [{ operation: 'create', resource: administration as Resource & { id: string }, baseVersion: null }],
      'CREATE',
      audit,
    );
  }

  /** The five rights for a dose not yet recorded: what stops it and what needs a reason. Writes nothing. */
  checkMedicationAdministration(patientId: string, input: MedicationAdministrationInput): AdministrationVerdict {
    checkInstant('time of administration', input.effectiveAt);
    checkInstant('scheduled time', input.scheduledAt);
    refuseReadOnly(this.#o.vault, patientId);
    const order = this.#activeOrder(patientId, input.medicationRequestId);
    const dose = this.#doseToCheck(input, this.#o.now().toISOString());
    return administrationSafetyVerdict(
      this.#o.vault,
      patientId,
      order,
      dose,
      this.#o.administrationSafety ?? DEFAULT_ADMINISTRATION_SAFETY,
    );
  }

  #doseToCheck(input: MedicationAdministrationInput, now: string): AdministrationToCheck {
    return {
      given: input.given,
      effectiveAt: input.effectiveAt ?? now,
      scheduledAt: input.scheduledAt ?? null,
      dose: input.dose ?? null,
      patientConfirmation: input.patientConfirmation,
      reasons: input.reasons,
    };
  }

  #activeOrder(patientId: string, medicationRequestId: string): MedicationRequest {
    const order = this.#o.vault.resources.read('MedicationRequest', medicationRequestId) as MedicationRequest | null;
    if (order === null || patientIdOf(order) !== patientId) {
      throw new SyncError(
        'RESOURCE_NOT_CACHED',
        "That medication order is not in this workstation's cache for this patient. Sync, then try again.",
      );
    }
    if (order.status !== 'active') {
      throw new SyncError(
        'ORDER_NOT_ACTIVE',
        'That medication order is no longer active (stopped, on hold, completed or cancelled), so no dose can be recorded against it. Check the MAR; nothing was saved.',
      );
    }
    return order;
  }

  /** A plain-text note (nursing note by default) on the patient's chart. */
  recordNote(patientId: string, input: NoteInput, author: DocumentationAuthor, audit?: AuditBeforeCommit): DocumentationReceipt {
    if (input.text.trim() === '' || input.text.length > NOTE_MAX_CHARS) throw invalid(`A note holds 1 to ${NOTE_MAX_CHARS} characters.`);
    const context = this.#context(patientId, author);
    const note = validated(clinicalNote(context, input));
    return this.#commit(
      context,
      [{ operation: 'create', resource: note as Resource & { id: string }, baseVersion: null }],
      'CREATE',
      audit,
    );
  }

  /**
   * A change to a cached resource (e.g. an observation entered in error). Sent with If-Match on the
   * version it was made on; if the hub has a newer one, both are kept as a conflict. A change of a
   * record an entry still waiting holds folds into it when that entry is this user's own, else goes
   * as its own entry after it (#follow).
   */
  amendResource(resource: Resource, author: DocumentationAuthor, audit?: AuditBeforeCommit): DocumentationReceipt {
    const { vault } = this.#o;
    const type = resource.resourceType;
    const id = resource.id;
    if (!isSupportedResourceType(type) || typeof id !== 'string') throw invalid('Only a cached resource with an id can be amended.');
    const stored = vault.resources.versionOf(type, id);
    const patientId = patientIdOf(resource);
    if (stored === null || patientId === undefined) {
      throw new SyncError('RESOURCE_NOT_CACHED', "That record is not in this workstation's cache. Sync, then try again.");
    }
    const context = this.#context(patientId, author);
    const changed = validated({
      ...resource,
      meta: {
        ...(resource.meta ?? {}),
        ...(stored.versionId === null ? {} : { versionId: stored.versionId }),
        ...(stored.lastUpdated === null ? {} : { lastUpdated: stored.lastUpdated }),
      },
    } as Resource) as Resource & { id: string };
    const waiting = this.#lastEntryHolding(`${type}/${id}`);
    if (waiting !== null) {
      if (this.#o.inFlight.has(waiting.entryId)) {
        throw new SyncError('SYNC_BUSY', 'This record is being sent to the hub at this moment. Try the change again in a few seconds.');
      }
      if (!recordedBy(waiting, author)) return this.#follow(context, waiting, changed, audit);
      const items: OutboxItem[] = waiting.items.map((item) =>
        item.resource.resourceType === type && item.resource.id === id
          ? { ...item, resource: changed, earlier: [...(item.earlier ?? []), contentFingerprint(item.resource)] }
          : item,
      );
      const receipt: DocumentationReceipt = {
        entryId: waiting.entryId,
        resourceIds: [id],
        provenanceId: waiting.provenance?.id ?? null,
        downtime: waiting.provenance?.policy?.includes(DOWNTIME_POLICY_URI) ?? false,
      };
      vault.transaction(
        () => {
          vault.resources.upsert(changed);
          vault.outbox.replaceItems(waiting.entryId, items);
          audit?.(receipt);
        },
        { durable: true },
      );
      this.#o.onWrite();
      return receipt;
    }
    if (stored.versionId === null)
      throw new SyncError('RESOURCE_NOT_CACHED', "That record is not in this workstation's cache. Sync, then try again.");
    return this.#commit(context, [{ operation: 'update', resource: changed, baseVersion: stored.versionId }], 'UPDATE', audit);
  }

  /**
   * Corrects a vital sign or marks a vital sign or a dose entered in error, on the version the user
   * saw: if the workstation holds a newer one by now, nothing is changed and the user looks again.
   * Sent to the hub with If-Match on that version (amendResource).
   */
  amend(request: AmendmentRequestData, author: DocumentationAuthor, audit?: AuditBeforeCommit): DocumentationReceipt {
    const { vault } = this.#o;
    refuseReadOnly(vault, request.patientId);
    const direct = vault.resources.read(request.resourceType, request.id);
    const delivered = direct === null ? this.#deliveredCopyOf(request) : null;
    const cached = direct ?? delivered;
    if (cached === null || patientIdOf(cached) !== request.patientId) {
      throw new SyncError('RESOURCE_NOT_CACHED', "That record is not in this workstation's cache for this patient. Sync, then try again.");
    }
    const held = vault.resources.versionOf(request.resourceType, cached.id!)?.versionId ?? null;
    // Under its client id the user saw the local copy, which the hub took as its first version: the
    // hub's copy is what she saw only while it is still that version, with no local change on it.
    const seen =
      delivered === null
        ? held === request.versionId
        : request.versionId === null && held === HUB_FIRST_VERSION && this.#entryHolding(`${request.resourceType}/${cached.id!}`) === null;
    if (!seen) {
      throw new SyncError(
        'RECORD_CHANGED',
        'This record changed since you opened it (a newer version came from the hub). Look at it again, then correct it; nothing was saved.',
      );
    }
    return this.amendResource(amendedResource(cached, request, author, this.#o.now().toISOString()), author, audit);
  }

  /**
   * The hub's copy of an entry documented here under the client id `request.id` and delivered since
   * (the delivery replaced the local copy by the hub's, under the hub's id; the copy keeps the client
   * id as its CLIENT_ID_SYSTEM identifier), or null.
   */
  #deliveredCopyOf(request: AmendmentRequestData): (Resource & { id: string }) | null {
    const copies = this.#o.vault.resources
      .ofPatientBetween(request.patientId, request.resourceType, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
      .filter((resource) => clientIdOf(resource) === request.id && typeof resource.id === 'string');
    return copies.length === 1 ? (copies[0] as Resource & { id: string }) : null;
  }

  #context(patientId: string, author: DocumentationAuthor): BuildContext {
    if (!AUTHOR.test(author.reference)) throw invalid('The author must be a Practitioner reference (Practitioner/{id}).');
    const { vault } = this.#o;
    refuseReadOnly(vault, patientId);
    const encounter = vault.census().find((entry) => entry.patientId === patientId);
    return { patientId, encounterId: encounter?.encounterId ?? null, author, now: this.#o.now().toISOString(), newId: this.#newId };
  }

  #entryHolding(key: string): OutboxEntry | null {
    for (const entry of this.#o.vault.outbox.pending()) {
      if (entry.items.some((item) => keyOf(item) === key)) return entry;
    }
    return null;
  }

  /** The newest entry waiting that changes `key` (a change made now goes on top of it). */
  #lastEntryHolding(key: string): OutboxEntry | null {
    let last: OutboxEntry | null = null;
    for (const entry of this.#o.vault.outbox.pending()) {
      if (entry.items.some((item) => keyOf(item) === key)) last = entry;
    }
    return last;
  }

  /**
   * A change of a record whose change by another user still waits (`waiting`): an entry of its own in
   * this user's name, chained after that one (its If-Match is the version the hub gives `waiting`,
   * taken when it is delivered: outbox-push.ts), so neither change goes in the other's name.
   */
  #follow(
    context: BuildContext,
    waiting: OutboxEntry,
    changed: Resource & { id: string },
    audit?: AuditBeforeCommit,
  ): DocumentationReceipt {
    const { vault } = this.#o;
    const key = `${changed.resourceType}/${changed.id}`;
    return this.#commit(
      context,
      [{ operation: 'update', resource: changed, baseVersion: null, follows: waiting.entryId }],
      'UPDATE',
      audit,
      (entryId) => {
        const items = waiting.items.map((item) => (keyOf(item) === key ? { ...item, next: entryId } : item));
        vault.outbox.replaceItems(waiting.entryId, items);
      },
    );
  }

  #commit(
    context: BuildContext,
    items: OutboxItem[],
    operation: 'CREATE' | 'UPDATE' = 'CREATE',
    audit?: AuditBeforeCommit,
    alsoWrite?: (entryId: string) => void,
  ): DocumentationReceipt {
    const { vault } = this.#o;
    const downtime = this.#o.isDowntime();
    const provenance: Provenance & { id: string } = validated(
      documentationProvenance(
        context,
        items.map((item) => item.resource),
        operation,
        downtime,
      ),
    );
    const entryId = this.#newId();
    const receipt: DocumentationReceipt = {
      entryId,
      resourceIds: items.map((item) => item.resource.id),
      provenanceId: provenance.id,
      downtime,
    };
    vault.transaction(
      () => {
        for (const item of items) vault.resources.upsert(item.resource);
        vault.resources.upsert(provenance);
        vault.outbox.add({ entryId, patientId: context.patientId, items, provenance, createdAt: context.now });
        alsoWrite?.(entryId);
        // Last, inside the transaction: a failed audit write rolls the documentation back.
        audit?.(receipt);
      },
      { durable: true },
    );
    this.#o.logger.info({ event: 'sync.documented', entryId, resources: items.length, downtime }, 'local documentation stored');
    this.#o.onWrite();
    return receipt;
  }
}
