// Settling a conflict once a user has looked at both versions: keep the hub's (the local entry is
// dropped), send the local one again on top of the hub's current version (a new outbox entry with
// If-Match on that version), or send a combination the user made of both (validated FHIR, the same
// resources of the same patient, with a Provenance naming who combined). Each in one durable vault
// transaction. A conflict whose patient's chart the vault no longer holds (purged before the
// keep-until-settled rule) is settled the same way, its base version taken from the hub's version
// the conflict kept; nothing of it is written back into the chart cache.
// A conflict with the hospital's EHR (the hub holds the documentation, the EHR contradicts it) is
// settled by a new version at the hub, so the hub and every workstation learn the decision: keep-hub
// ("the EHR is right") sends the documentation tagged withheld (the hub sends nothing on), resend-local
// sends it untagged (the hub sends it on to the EHR); each with a Provenance naming who decided.
// A combination names as performer (author) only whom the record already named or the user who
// combines (shared/fhir documentation-performers.ts, the hub's rule too), and is the combiner's own
// write: a colleague's note it carries from this workstation's version is the combiner's, quoting
// whose it was (shared/vital-signs combinedNotes).
// Entered in error is final (shared/fhir withdrawalUndoneBy, the hub's rule too): a record withdrawn
// meanwhile, at the hub or in the EHR, is not brought back by "keep mine", "combine" or "send to the
// EHR". Such a conflict is settled by accepting the withdrawal, or by recording this workstation's
// value again as a new entry (recordAgain), so the nurse's documented value is never dropped unseen.
import { randomUUID } from 'node:crypto';
import {
  FhirValidationError,
  isSupportedResourceType,
  patientIdOf,
  performerNotRecorder,
  UPSTREAM_WITHHELD_TAG_SYSTEM,
  validateResource,
  type Observation,
  type Resource,
} from '../../shared/fhir/index.js';
import { combinedNotes, type Combiner } from '../../shared/vital-signs/index.js';
import { holdsPatient, type ConflictRecord, type OutboxItem, type Vault } from '../vault/index.js';
import {
  combinationProvenance,
  documentationProvenance,
  upstreamSettlementProvenance,
  type DocumentationAuthor,
} from './documentation-builders.js';
import { CLIENT_ID_SYSTEM, SyncError } from '../sync/index.js';
import { refuseUnretracting, withdrawnRecordsOf } from './withdrawn-records.js';

export type ConflictChoice = 'keep-hub' | 'resend-local';

/**
 * Writes the audit entry of a settlement (told the new outbox entry's id, or null), inside the
 * settlement's vault transaction: if it fails, the conflict stays as it was.
 */
export type AuditSettlement = (resentAs: string | null) => void;

/**
 * Returns the new outbox entry's id for 'resend-local' (and for 'keep-hub' of a conflict with the EHR,
 * which the hub must learn of), null for 'keep-hub'. `author` is who decided: named by the Provenance
 * of a settled conflict with the EHR (required for those).
 */
export function resolveConflict(
  vault: Vault,
  conflictId: string,
  choice: ConflictChoice,
  now: Date,
  audit?: AuditSettlement,
  author?: DocumentationAuthor,
): string | null {
  const record = conflictRecord(vault, conflictId);
  if (record.reason === 'upstream-conflict') return settleUpstreamConflict(vault, record, choice, now, audit, author);
  if (choice === 'keep-hub') {
    vault.transaction(
      () => {
        vault.conflicts.remove(conflictId);
        audit?.(null);
      },
      { durable: true },
    );
    return null;
  }
  refuseUnretracting(
    record,
    record.local.items.map((item) => item.resource),
  );
  const entryId = randomUUID();
  const held = holdsPatient(vault.resources, record.patientId);
  const hubVersions = hubVersionsOf(record);
  vault.transaction(
    () => {
      const items: OutboxItem[] = record.local.items.map((item) => {
        const { resourceType, id } = item.resource;
        if (item.operation === 'create' || !isSupportedResourceType(resourceType)) return item;
        const current = held ? vault.resources.versionOf(resourceType, id) : null;
        const base = newerVersion(current?.versionId ?? null, hubVersions.get(keyOf(item.resource)) ?? null);
        const resource = {
          ...item.resource,
          meta: { ...(item.resource.meta ?? {}), ...(base === null ? {} : { versionId: base }) },
        } as Resource & { id: string };
        return { operation: base === null ? 'create' : 'update', resource, baseVersion: base };
      });
      if (held) {
        for (const item of items) vault.resources.upsert(item.resource);
        if (record.local.provenance !== null) vault.resources.upsert(record.local.provenance);
      }
      vault.outbox.add({ entryId, patientId: record.patientId, items, provenance: record.local.provenance, createdAt: now.toISOString() });
      vault.conflicts.remove(conflictId);
      audit?.(entryId);
    },
    { durable: true },
  );
  return entryId;
}

/** Tags the documentation as kept from the EHR (`keep-hub`), or leaves it as documented (`resend-local`). */
function settledForm(resource: Resource & { id: string }, choice: ConflictChoice, code: string | null): Resource & { id: string } {
  if (choice === 'resend-local') return resource;
  const tag = [...(resource.meta?.tag ?? []), { system: UPSTREAM_WITHHELD_TAG_SYSTEM, code: code ?? 'withheld' }];
  return { ...resource, meta: { ...(resource.meta ?? {}), tag } };
}

/**
 * A conflict with the EHR, settled: the documentation written again on top of the hub's tagged
 * version (If-Match on it), tagged withheld or not, with a Provenance naming who decided.
 */
function settleUpstreamConflict(
  vault: Vault,
  record: ConflictRecord,
  choice: ConflictChoice,
  now: Date,
  audit: AuditSettlement | undefined,
  author: DocumentationAuthor | undefined,
): string {
  if (author === undefined)
    throw new SyncError(
      'INVALID_DOCUMENTATION',
      'Settling a conflict with the EHR needs a signed-in user, who is recorded as deciding it; nothing was changed.',
    );
  if (choice === 'resend-local')
    refuseUnretracting(
      record,
      record.local.items.map((item) => item.resource),
    );
  const held = holdsPatient(vault.resources, record.patientId);
  const iso = now.toISOString();
  const items: OutboxItem[] = record.local.items.map((item) => {
    const { resourceType, id } = item.resource;
    const current = held && isSupportedResourceType(resourceType) ? vault.resources.versionOf(resourceType, id) : null;
    const base = current?.versionId ?? item.baseVersion;
    const settled = settledForm(item.resource, choice, record.errorCode);
    const resource = { ...settled, meta: { ...(settled.meta ?? {}), ...(base === null ? {} : { versionId: base }) } } as Resource & {
      id: string;
    };
    return { operation: base === null ? 'create' : 'update', resource, baseVersion: base };
  });
  const provenance = validateResource(
    upstreamSettlementProvenance(
      { patientId: record.patientId, encounterId: null, author, now: iso, newId: randomUUID },
      items.map((item) => item.resource),
      choice,
    ),
  ) as ReturnType<typeof upstreamSettlementProvenance>;
  const entryId = randomUUID();
  vault.transaction(
    () => {
      if (held) {
        for (const item of items) vault.resources.upsert(item.resource);
        vault.resources.upsert(provenance);
      }
      vault.outbox.add({ entryId, patientId: record.patientId, items, provenance, createdAt: iso });
      vault.conflicts.remove(record.conflictId);
      audit?.(entryId);
    },
    { durable: true },
  );
  return entryId;
}

function conflictRecord(vault: Vault, conflictId: string): ConflictRecord {
  const record = vault.conflicts.get(conflictId);
  if (record === null)
    throw new SyncError('CONFLICT_NOT_FOUND', 'That conflict was already settled, or never existed on this workstation.');
  return record;
}

const keyOf = (resource: { resourceType: string; id?: string | undefined }): string => `${resource.resourceType}/${resource.id ?? ''}`;

/**
 * The version of each resource the hub showed when the conflict arose, or named without showing it
 * (its 412, for a patient who left the ward: the cached copy here stays at the old version).
 */
function hubVersionsOf(record: ConflictRecord): Map<string, string | null> {
  return new Map([
    ...record.hub.map((resource): [string, string | null] => [keyOf(resource), resource.meta?.versionId ?? null]),
    ...record.hubVersionsOnly.map((version): [string, string] => [keyOf(version), version.versionId]),
  ]);
}

/**
 * The base a settlement is sent on: the newer of the vault's copy (a later pull may have brought a
 * newer one) and the hub's version the conflict kept (the vault's copy of a patient who left the ward
 * stays at the version before the conflict). Null when neither is known: a create.
 */
function newerVersion(cached: string | null, fromConflict: string | null): string | null {
  if (cached === null) return fromConflict;
  if (fromConflict === null) return cached;
  return Number(fromConflict) > Number(cached) ? fromConflict : cached;
}

function mismatch(detail: string): SyncError {
  return new SyncError(
    'COMBINATION_MISMATCH',
    `The combined version does not match the conflict: ${detail} Nothing was sent; start again from the two versions shown.`,
  );
}

/**
 * Refuses a combination that names as who did it someone other than the user who combines (shared/fhir
 * performerNotRecorder; the hub refuses it too, 422 PERFORMER_NOT_RECORDER): a performer the record
 * held stays, judged against the hub's version the card showed, else (its version named only) this
 * workstation's own version of the record; a create is judged whole.
 */
function refuseOtherPerformers(record: ConflictRecord, items: readonly OutboxItem[], author: DocumentationAuthor): void {
  for (const item of items) {
    const local = record.local.items.find((held) => keyOf(held.resource) === keyOf(item.resource))?.resource ?? null;
    const before = item.baseVersion === null ? null : (record.hub.find((held) => keyOf(held) === keyOf(item.resource)) ?? local);
    const refusal = performerNotRecorder(before, item.resource, author);
    if (refusal !== null) throw new SyncError('PERFORMER_NOT_RECORDER', `${refusal} Nothing was sent.`);
  }
}

/** Each resource validated, with an id, of the conflict's patient, and together exactly the conflict's resources. */
function checkedCombination(record: ConflictRecord, resources: readonly unknown[]): Map<string, Resource & { id: string }> {
  const combined = new Map<string, Resource & { id: string }>();
  resources.forEach((input, index) => {
    let resource: Resource;
    try {
      resource = validateResource(input);
    } catch (error) {
      if (error instanceof FhirValidationError) {
        throw new SyncError(
          'INVALID_DOCUMENTATION',
          `Resource ${index + 1} of the combined version is not valid FHIR (field ${error.path}); nothing was sent.`,
          { cause: error },
        );
      }
      throw error;
    }
    if (typeof resource.id !== 'string' || resource.id.length === 0) throw mismatch(`resource ${index + 1} has no id.`);
    if (combined.has(keyOf(resource))) throw mismatch(`resource ${index + 1} appears twice.`);
    if (patientIdOf(resource) !== record.patientId) throw mismatch(`resource ${index + 1} is not about the patient of the conflict.`);
    combined.set(keyOf(resource), resource as Resource & { id: string });
  });
  const expected = new Set(record.local.items.map((item) => keyOf(item.resource)));
  if (combined.size !== expected.size || [...combined.keys()].some((key) => !expected.has(key))) {
    throw mismatch('it must hold exactly the resources of the conflict (same types and ids).');
  }
  return combined;
}

/**
 * A combined reading's notes, rebuilt whatever the window sent (shared/vital-signs combinedNotes): a
 * correction note follows the value the combination holds, and every note of both versions stays; a
 * colleague's note of this workstation's version is carried in the combiner's name, quoting whose it was.
 */
function withCombinedNotes(
  local: Resource,
  record: ConflictRecord,
  resource: Resource & { id: string },
  combiner: Combiner,
): Resource & { id: string } {
  if (resource.resourceType !== 'Observation' || local.resourceType !== 'Observation') return resource;
  const hub = record.hub.find((held) => keyOf(held) === keyOf(resource));
  const note = combinedNotes(local, hub?.resourceType === 'Observation' ? hub : null, resource, combiner);
  const { note: _sent, ...rest } = resource;
  return (note.length === 0 ? rest : { ...rest, note }) as Resource & { id: string };
}

/**
 * Queues the user's combination of both versions in place of the local entry: each resource sent
 * with If-Match on the hub's current version (a create when the hub has none), with a Provenance
 * naming `author` as who combined them. Returns the new outbox entry's id.
 */
export function combineConflict(
  vault: Vault,
  conflictId: string,
  resources: readonly unknown[],
  author: DocumentationAuthor,
  now: Date,
  audit?: AuditSettlement,
  newId: () => string = randomUUID,
): string {
  const record = conflictRecord(vault, conflictId);
  const combined = checkedCombination(record, resources);
  refuseUnretracting(record, [...combined.values()]);
  const held = holdsPatient(vault.resources, record.patientId);
  const hubVersions = hubVersionsOf(record);
  const iso = now.toISOString();
  const items: OutboxItem[] = record.local.items.map((item) => {
    const { resourceType, id } = item.resource;
    const resource = withCombinedNotes(item.resource, record, combined.get(keyOf(item.resource))!, { author, at: iso });
    const current = held && isSupportedResourceType(resourceType) ? vault.resources.versionOf(resourceType, id) : null;
    const base = newerVersion(current?.versionId ?? null, hubVersions.get(keyOf(item.resource)) ?? null);
    const meta = { ...(resource.meta ?? {}) };
    delete meta.versionId;
    delete meta.lastUpdated;
    const withBase = { ...resource, meta: { ...meta, ...(base === null ? {} : { versionId: base }) } } as Resource & { id: string };
    if (Object.keys(withBase.meta ?? {}).length === 0) delete (withBase as { meta?: unknown }).meta;
    return { operation: base === null ? 'create' : 'update', resource: withBase, baseVersion: base };
  });
  refuseOtherPerformers(record, items, author);
  const provenance = validateResource(
    combinationProvenance(
      { patientId: record.patientId, encounterId: null, author, now: iso, newId },
      items.map((item) => item.resource),
      record.local.provenance,
    ),
  ) as ReturnType<typeof combinationProvenance>;
  const entryId = newId();
  vault.transaction(
    () => {
      if (held) {
        for (const item of items) vault.resources.upsert(item.resource);
        vault.resources.upsert(provenance);
      }
      vault.outbox.add({ entryId, patientId: record.patientId, items, provenance, createdAt: iso });
      vault.conflicts.remove(conflictId);
      audit?.(entryId);
    },
    { durable: true },
  );
  return entryId;
}

/**
 * A vital sign of this workstation's version, as a new entry: the same reading (code, value, time of
 * measurement, patient and stay), a new id and client id, status final, recorded by `author`, with a
 * note saying why it is recorded again. The withdrawn record's notes and correction note stay on it.
 */
function recordedAgain(
  local: Observation,
  author: DocumentationAuthor,
  now: string,
  id: string,
  inEhr: boolean,
): Observation & { id: string } {
  const { id: _id, meta: _meta, identifier, note: _note, performer: _performer, ...reading } = local;
  const authorReference =
    author.display === undefined ? { reference: author.reference } : { reference: author.reference, display: author.display };
  const where = inEhr ? " in the hospital's EHR" : '';
  return {
    ...reading,
    id,
    identifier: [...(identifier ?? []).filter((held) => held.system !== CLIENT_ID_SYSTEM), { system: CLIENT_ID_SYSTEM, value: id }],
    status: 'final',
    performer: [authorReference],
    note: [
      {
        authorReference,
        time: now,
        text: `Recorded again as a new entry: this value was documented on this workstation as a change of an entry that was marked entered in error${where} meanwhile; that entry stays withdrawn.`,
      },
    ],
  };
}

/**
 * Settles a conflict whose record was withdrawn as entered in error meanwhile (at the hub, or in the
 * EHR) the one way that keeps both: the withdrawal is accepted (as "keep the hub's version"; for a
 * conflict with the EHR, kept from the EHR, so the hub takes in its withdrawal) and each vital sign of
 * this workstation's version whose record was withdrawn is recorded again as a new entry (a create
 * with its own client id and a Provenance naming `author`), in one durable vault transaction with the
 * audit entry. Returns the new entry's id. Refused (nothing changed) when the conflict holds no such
 * vital sign: a dose is recorded again through the five rights, on the MAR.
 */
export function recordAgain(
  vault: Vault,
  conflictId: string,
  author: DocumentationAuthor,
  now: Date,
  downtime: boolean,
  audit?: AuditSettlement,
  newId: () => string = randomUUID,
): string {
  const record = conflictRecord(vault, conflictId);
  const inEhr = record.reason === 'upstream-conflict';
  const readings = withdrawnRecordsOf(record)
    .map(({ local }) => local)
    .filter((local): local is Observation => local.resourceType === 'Observation' && local.status !== 'entered-in-error');
  if (readings.length === 0)
    throw new SyncError(
      'INVALID_DOCUMENTATION',
      'Recording again as a new entry is offered for a vital sign whose entry was marked entered in error meanwhile; this conflict holds none. Nothing was changed.',
    );
  const iso = now.toISOString();
  const observations = readings.map(
    (local) => validateResource(recordedAgain(local, author, iso, newId(), inEhr)) as Observation & { id: string },
  );
  const provenance = validateResource(
    documentationProvenance({ patientId: record.patientId, encounterId: null, author, now: iso, newId }, observations, 'CREATE', downtime),
  ) as ReturnType<typeof documentationProvenance>;
  const held = holdsPatient(vault.resources, record.patientId);
  const entryId = newId();
  vault.transaction(
    () => {
      resolveConflict(vault, conflictId, 'keep-hub', now, undefined, author);
      if (held) {
        for (const observation of observations) vault.resources.upsert(observation);
        vault.resources.upsert(provenance);
      }
      const items: OutboxItem[] = observations.map((resource) => ({ operation: 'create', resource, baseVersion: null }));
      vault.outbox.add({ entryId, patientId: record.patientId, items, provenance, createdAt: iso });
      audit?.(entryId);
    },
    { durable: true },
  );
  return entryId;
}
