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
// A value recorded again is recorded once, however often and wherever Record again is chosen: the new
// reading's id and client id are derived from the withdrawn record's id and the reading itself
// (recordedAgainId), so a retry, a Record again offered again after a colleague settled first, and
// another workstation's Record again of the same conflict with the EHR all name the same record, which
// the hub's conditional create (ifNoneExist on the client id) matches instead of making a second; and,
// for a conflict with the EHR, the settlement (kept from the EHR, If-Match) and the new reading are one
// outbox entry with one Provenance, one transaction at the hub: when a colleague settled first (412),
// neither is applied, and the push goes on with the readings alone only if the hub has accepted the
// withdrawal (electron/sync outbox-push.ts; RECORDED_AGAIN_POLICY_URI names such entries), else the
// conflict shows what the hub holds now. Her words travel with her value:
// the notes of this workstation's version the withdrawn one lacks (her correction's reason, her
// remark) are carried onto the new reading in the settler's name, quoting whose they were
// (shared/vital-signs inCombinersName).
import { createHash, randomUUID } from 'node:crypto';
import {
  FhirValidationError,
  isSupportedResourceType,
  patientIdOf,
  performerNotRecorder,
  UPSTREAM_WITHHELD_TAG_SYSTEM,
  validateResource,
  noteAuthorOf,
  type Annotation,
  type Observation,
  type Resource,
} from '../../shared/fhir/index.js';
import { canonicalJson, sameJson, type JsonValue } from '../../shared/json/index.js';
import { combinedDoseNotes, combinedNotes, inCombinersName, type Combiner } from '../../shared/vital-signs/index.js';
import { holdsPatient, type ConflictRecord, type OutboxItem, type Vault } from '../vault/index.js';
import {
  combinationProvenance,
  recordedAgainProvenance,
  upstreamSettlementProvenance,
  type DocumentationAuthor,
} from './documentation-builders.js';
import { CLIENT_ID_SYSTEM, SyncError } from '../sync/index.js';
import { keyOf, refuseUnretracting, withdrawnRecordsOf, type WithdrawnRecord } from './withdrawn-records.js';

export type ConflictChoice = 'keep-hub' | 'resend-local';

/**
 * Writes the audit entries of a settlement (told the new outbox entry's id, or null, and the records
 * it creates, `Type/id`: a reading recorded again), inside the settlement's vault transaction: if it
 * fails, the conflict stays as it was.
 */
export type AuditSettlement = (resentAs: string | null, created?: readonly string[]) => void;

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
  const items = upstreamSettlementItems(vault, record, choice, held);
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

/** A conflict with the EHR's documentation, settled: written again on the hub's tagged version (If-Match on it), tagged withheld or not. */
function upstreamSettlementItems(vault: Vault, record: ConflictRecord, choice: ConflictChoice, held: boolean): OutboxItem[] {
  return record.local.items.map((item) => {
    const { resourceType, id } = item.resource;
    const current = held && isSupportedResourceType(resourceType) ? vault.resources.versionOf(resourceType, id) : null;
    const base = current?.versionId ?? item.baseVersion;
    const settled = settledForm(item.resource, choice, record.errorCode);
    const resource = { ...settled, meta: { ...(settled.meta ?? {}), ...(base === null ? {} : { versionId: base }) } } as Resource & {
      id: string;
    };
    return { operation: base === null ? 'create' : 'update', resource, baseVersion: base };
  });
}

function conflictRecord(vault: Vault, conflictId: string): ConflictRecord {
  const record = vault.conflicts.get(conflictId);
  if (record === null)
    throw new SyncError('CONFLICT_NOT_FOUND', 'That conflict was already settled, or never existed on this workstation.');
  return record;
}

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
 * A combined reading's or dose's notes, rebuilt whatever the window sent (shared/vital-signs
 * combinedNotes, combinedDoseNotes): a reading's correction note follows the value the combination
 * holds, and every note of both versions stays; a colleague's note of this workstation's version is
 * carried in the combiner's name, quoting whose it was.
 */
function withCombinedNotes(
  local: Resource,
  record: ConflictRecord,
  resource: Resource & { id: string },
  combiner: Combiner,
): Resource & { id: string } {
  const hub = record.hub.find((held) => keyOf(held) === keyOf(resource));
  let note: Annotation[];
  if (resource.resourceType === 'Observation' && local.resourceType === 'Observation')
    note = combinedNotes(local, hub?.resourceType === 'Observation' ? hub : null, resource, combiner);
  else if (resource.resourceType === 'MedicationAdministration' && local.resourceType === 'MedicationAdministration')
    note = combinedDoseNotes(local, hub?.resourceType === 'MedicationAdministration' ? hub : null, combiner);
  else return resource;
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
 * The id (and client id) of `local`, a reading of a withdrawn record, recorded again: a name-based
 * UUID of the withdrawn record's type and id and of the reading itself (code, value, time of
 * measurement, patient, stay: all but its id, versions, marks, status, notes and who), so every
 * retry, a Record again offered again after a colleague settled first (the same record, its version
 * since changed), and another workstation's Record again of the same value name the same new record,
 * which the hub's conditional create matches (ifNoneExist on the client id). The hub holds it once.
 */
export function recordedAgainId(local: Observation): string {
  const {
    id,
    meta: _meta,
    identifier: _identifier,
    note: _note,
    performer: _performer,
    status: _status,
    contained: _contained,
    ...reading
  } = local;
  const named = canonicalJson(JSON.parse(JSON.stringify({ recordedAgain: `Observation/${id ?? ''}`, reading })) as JsonValue);
  const digest = createHash('sha256').update(named).digest();
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Who documented this workstation's version: the author of its Provenance, else its performer. */
function documenterOf(record: ConflictRecord, local: Observation): { reference?: string; display?: string } | null {
  const agent = record.local.provenance?.agent.find((held) => held.who.reference?.startsWith('Practitioner/') === true)?.who;
  const who = agent ?? local.performer?.[0] ?? null;
  if (who === null || (who.reference === undefined && who.display === undefined)) return null;
  return {
    ...(who.reference === undefined ? {} : { reference: who.reference }),
    ...(who.display === undefined ? {} : { display: who.display }),
  };
}

/**
 * A vital sign of this workstation's version, as a new entry: the same reading (code, value, time of
 * measurement, patient and stay), its id and client id recordedAgainId, status final, recorded by the
 * settler, with a note saying why and whose value it was, then each note of this workstation's version
 * the withdrawn one lacks (her correction's reason, her remark), in the settler's name quoting whose it
 * was (shared/vital-signs inCombinersName; a note naming nobody was the documenter's). The withdrawn
 * record keeps its own notes.
 */
function recordedAgain(
  { local, withdrawn }: { local: Observation; withdrawn: Resource | null },
  record: ConflictRecord,
  settler: Combiner,
  inEhr: boolean,
): Observation & { id: string } {
  const { id: _id, meta: _meta, identifier, note, performer: _performer, contained: _contained, ...reading } = local;
  const { reference, display } = settler.author;
  const authorReference = display === undefined ? { reference } : { reference, display };
  const id = recordedAgainId(local);
  const where = inEhr ? " in the hospital's EHR" : '';
  const documenter = documenterOf(record, local);
  const by = documenter === null ? '' : ` by ${documenter.display ?? documenter.reference}`;
  const kept = (withdrawn as { note?: Annotation[] } | null)?.note ?? [];
  const hers = (note ?? [])
    .filter((n) => !kept.some((held) => sameJson(held as unknown as JsonValue, n as unknown as JsonValue)))
    .map((n) => (noteAuthorOf(n) === null && documenter?.reference !== undefined ? { ...n, authorReference: documenter } : n))
    .map((n) => inCombinersName(n, { ...settler, act: 'recorded again as a new entry by' }));
  return {
    ...reading,
    id,
    identifier: [...(identifier ?? []).filter((held) => held.system !== CLIENT_ID_SYSTEM), { system: CLIENT_ID_SYSTEM, value: id }],
    status: 'final',
    performer: [authorReference],
    note: [
      {
        authorReference,
        time: settler.at,
        text: `Recorded again as a new entry: this value was documented${by} as a change of an entry that was marked entered in error${where} meanwhile; that entry stays withdrawn.`,
      },
      ...hers,
    ],
  };
}

/**
 * Settles a conflict whose record was withdrawn as entered in error meanwhile (at the hub, or in the
 * EHR) the one way that keeps both: the withdrawal is accepted and each vital sign of this
 * workstation's version whose record was withdrawn (withdrawnRecordsOf; only those) is recorded again
 * as a new entry (recordedAgain: a create whose client id the reading itself names), in one durable
 * vault transaction with the audit entries (the settlement, and the creation of each new reading). A
 * conflict at the hub is dropped here as "keep the hub's version" (its other changes with it, as that
 * choice does); a conflict with the EHR is kept from the EHR (the hub takes in its withdrawal), and
 * that settlement goes in the same outbox entry as the new readings, under one Provenance naming
 * `author`: one transaction at the hub, so a colleague's earlier settlement (412) lets neither through.
 * Returns the new entry's id. Refused (nothing changed) when the conflict holds no such vital sign: a
 * dose is recorded again through the five rights, on the MAR.
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
  const readings = withdrawnRecordsOf(record).filter(
    (withdrawn): withdrawn is WithdrawnRecord & { local: Observation } =>
      withdrawn.local.resourceType === 'Observation' && withdrawn.local.status !== 'entered-in-error',
  );
  if (readings.length === 0)
    throw new SyncError(
      'INVALID_DOCUMENTATION',
      'Recording again as a new entry is offered for a vital sign whose entry was marked entered in error meanwhile; this conflict holds none. Nothing was changed.',
    );
  const iso = now.toISOString();
  const settler: Combiner = { author, at: iso };
  const observations = readings.map(
    (reading) => validateResource(recordedAgain(reading, record, settler, inEhr)) as Observation & { id: string },
  );
  const held = holdsPatient(vault.resources, record.patientId);
  const settlement = inEhr ? upstreamSettlementItems(vault, record, 'keep-hub', held) : [];
  const provenance = validateResource(
    recordedAgainProvenance(
      { patientId: record.patientId, encounterId: null, author, now: iso, newId },
      observations,
      settlement.map((item) => item.resource),
      downtime,
    ),
  ) as ReturnType<typeof recordedAgainProvenance>;
  const entryId = newId();
  const items: OutboxItem[] = [
    ...observations.map((resource): OutboxItem => ({ operation: 'create', resource, baseVersion: null })),
    ...settlement,
  ];
  vault.transaction(
    () => {
      if (held) {
        for (const item of items) vault.resources.upsert(item.resource);
        vault.resources.upsert(provenance);
      }
      vault.outbox.add({ entryId, patientId: record.patientId, items, provenance, createdAt: iso });
      vault.conflicts.remove(conflictId);
      audit?.(
        entryId,
        observations.map((observation) => `Observation/${observation.id}`),
      );
    },
    { durable: true },
  );
  return entryId;
}
