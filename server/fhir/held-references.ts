// A workstation's documentation names only records the hub holds for its own patient. Each literal
// reference a write adds (`Encounter/{id}`, `MedicationRequest/{id}`, … of a type the hub stores; a
// reference the hub's version already held is not judged again) must name a resource the hub holds,
// live or deleted, and when that record belongs to a patient (shared/fhir PATIENT_OWNED_TYPES: a stay,
// an order, another reading, a note…) it must be the patient of the resource written: a vital sign
// filed on one patient's chart cannot name another patient's stay, nor a dose given to one patient
// another patient's order. Patients are compared as they stand now (surviving-references.ts): the
// hub keeps a record's patient on its row, also on a deletion's tombstone, and a merge re-keys the
// live records of the merged-away patient to the survivor and leaves the merged-away Patient with a
// `replaced-by` link, so both sides are followed to their survivor. Documentation made before a
// merge (resent from the outbox after a downtime) names the merged-away patient, its stay (re-keyed
// since, or deleted: a deleted record is still the one the documentation was made on, docs/UPSTREAM.md
// keeps such references as written) and is taken.
//
// Anything else is refused with 422 REFERENCE_NOT_FOUND, naming the element and the type, never the
// id sent: one answer, the same status, code and text, whether the hub never held the record or holds
// it for another patient (of this ward or of one the device cannot read), so the answer reveals no
// record the device may not read. A record created in the same transaction is held by then (the
// journal is judged before the transaction commits), so entry order does not matter. Not judged here:
// - `Patient/…`: the access policy has already refused a patient who is not on the device's ward
//   (403 OUT_OF_SCOPE, the same answer whether or not they exist);
// - `Practitioner/…`: a hub user is `Practitioner/{user id}` (performer, author), an account of the
//   identity room rather than a stored Practitioner;
// - contained (`#…`), absolute and `urn:` references, and types the hub does not store;
// - the integration principals' writes (the ADT feed, the EHR's mirror, demo seeding), which never
//   reach the write policy: the EHR may send its records in any order.
import type { Resource } from '../../shared/fhir/index.js';
import { isPatientOwnedType, isSupportedResourceType, patientIdOf } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { FhirError } from './fhir-error.js';
import { readCurrent } from './store/index.js';
import { survivingPatient } from './surviving-references.js';

const LITERAL = /^([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[1-9]\d{0,8})?$/;
const NOT_JUDGED: readonly string[] = ['Patient', 'Practitioner', 'AuditEvent'];

interface NamedReference {
  readonly type: string;
  readonly id: string;
  /** Where it is, e.g. `Observation.encounter`. */
  readonly path: string;
}

function literalReferences(value: unknown, path: string, found: NamedReference[]): void {
  if (Array.isArray(value)) {
    for (const item of value) literalReferences(item, path, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, member] of Object.entries(value)) {
    if (key === 'contained') continue;
    if (key === 'reference' && typeof member === 'string') {
      const match = LITERAL.exec(member);
      if (match && isSupportedResourceType(match[1]!) && !NOT_JUDGED.includes(match[1]!)) {
        found.push({ type: match[1]!, id: match[2]!, path });
      }
      continue;
    }
    literalReferences(member, `${path}.${key}`, found);
  }
}

/** The `Type/id` of every literal reference the hub could hold, with where it is. */
export function heldReferenceCandidates(resource: Resource): NamedReference[] {
  const found: NamedReference[] = [];
  literalReferences(resource, resource.resourceType, found);
  return found;
}

/** What the hub holds under a `Type/id`: nothing, or a record and the patient that stands for its own now. */
type Holding = { readonly held: false } | { readonly held: true; readonly patient: string | null };

/** The look-ups of one request, each asked of the database once. */
export class HeldRecords {
  readonly #holdings = new Map<string, Promise<Holding>>();
  readonly #survivors = new Map<string, Promise<string>>();

  constructor(private readonly tx: SqlDatabase) {}

  /** The patient that stands for `patientId` now (itself unless merged away). */
  survivor(patientId: string): Promise<string> {
    let survivor = this.#survivors.get(patientId);
    if (survivor === undefined) {
      survivor = survivingPatient(this.tx, patientId);
      this.#survivors.set(patientId, survivor);
    }
    return survivor;
  }

  holding(type: string, id: string): Promise<Holding> {
    const key = `${type}/${id}`;
    let holding = this.#holdings.get(key);
    if (holding === undefined) {
      holding = this.#lookUp(type, id);
      this.#holdings.set(key, holding);
    }
    return holding;
  }

  async #lookUp(type: string, id: string): Promise<Holding> {
    const stored = await readCurrent(this.tx, type, id);
    if (stored === null) return { held: false };
    return { held: true, patient: stored.patientId === null ? null : await this.survivor(stored.patientId) };
  }
}

/**
 * The patient (as it stands now) a write's references must belong to: its own. A Provenance that
 * names no Patient takes the patient of the documentation it targets (the writes of its own request,
 * each judged on its patient already); anything else without a patient names no patient's records.
 */
async function patientOfWrite(records: HeldRecords, next: Resource): Promise<string | null> {
  const own = patientIdOf(next);
  if (own !== undefined) return records.survivor(own);
  if (next.resourceType !== 'Provenance') return null;
  for (const target of next.target ?? []) {
    const match = LITERAL.exec(target.reference ?? '');
    if (match === null || !isPatientOwnedType(match[1]!)) continue;
    const holding = await records.holding(match[1]!, match[2]!);
    if (holding.held) return holding.patient;
  }
  return null;
}

/**
 * Refuses (422 REFERENCE_NOT_FOUND) a write whose new literal references name a record the hub never
 * held, or one of another patient than the written resource's. `before` is the hub's version the
 * write replaces (its references are not judged again).
 */
export async function requireHeldReferences(records: HeldRecords, next: Resource, before: Resource | null): Promise<void> {
  const already = new Set(before === null ? [] : heldReferenceCandidates(before).map((ref) => `${ref.type}/${ref.id}`));
  let ownPatient: Promise<string | null> | undefined;
  for (const ref of heldReferenceCandidates(next)) {
    if (already.has(`${ref.type}/${ref.id}`)) continue;
    const holding = await records.holding(ref.type, ref.id);
    const taken =
      holding.held &&
      (!isPatientOwnedType(ref.type) ||
        (holding.patient !== null && holding.patient === (await (ownPatient ??= patientOfWrite(records, next)))));
    if (!taken) {
      // One answer for a record the hub never held and one of another patient: it names no record.
      throw new FhirError(
        422,
        'REFERENCE_NOT_FOUND',
        'not-found',
        `${ref.path} names a ${ref.type} the hub does not hold for this patient; documentation names only its own patient's records the hub sent (resynchronise the workstation if this repeats). Nothing was stored.`,
        ref.path,
      );
    }
  }
}
