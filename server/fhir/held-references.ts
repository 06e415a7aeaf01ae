// A workstation's documentation names only records the hub holds. Each literal reference a write
// adds (`Encounter/{id}`, `MedicationRequest/{id}`, … of a type the hub stores; a reference the hub's
// version already held is not judged again) must name a resource the hub holds, live or deleted: a
// deleted record is still the one the documentation was made on (a stay merged away, an order the
// EHR withdrew: docs/UPSTREAM.md keeps such references as written). One the hub never held is
// refused with 422 REFERENCE_NOT_FOUND, naming the element, never the id sent. A record created in
// the same transaction is held by then (the journal is judged before the transaction commits), so
// entry order does not matter. Not judged here:
// - `Patient/…`: the access policy has already refused a patient who is not on the device's ward
//   (403 OUT_OF_SCOPE, the same answer whether or not they exist);
// - `Practitioner/…`: a hub user is `Practitioner/{user id}` (performer, author), an account of the
//   identity room rather than a stored Practitioner;
// - contained (`#…`), absolute and `urn:` references, and types the hub does not store;
// - the integration principals' writes (the ADT feed, the EHR's mirror, demo seeding), which never
//   reach the write policy: the EHR may send its records in any order.
import type { Resource } from '../../shared/fhir/index.js';
import { isSupportedResourceType } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { FhirError } from './fhir-error.js';
import { readCurrent } from './store/index.js';

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

/**
 * Refuses (422 REFERENCE_NOT_FOUND) a write whose new literal references name a record the hub never
 * held. `before` is the hub's version the write replaces (its references are not judged again);
 * `held` memoizes the lookups of one request.
 */
export async function requireHeldReferences(
  tx: SqlDatabase,
  next: Resource,
  before: Resource | null,
  held: Map<string, Promise<boolean>>,
): Promise<void> {
  const already = new Set(before === null ? [] : heldReferenceCandidates(before).map((ref) => `${ref.type}/${ref.id}`));
  for (const ref of heldReferenceCandidates(next)) {
    const key = `${ref.type}/${ref.id}`;
    if (already.has(key)) continue;
    let known = held.get(key);
    if (known === undefined) {
      known = readCurrent(tx, ref.type, ref.id).then((stored) => stored !== null);
      held.set(key, known);
    }
    if (!(await known)) {
      throw new FhirError(
        422,
        'REFERENCE_NOT_FOUND',
        'not-found',
        `${ref.path} names a ${ref.type} the hub does not hold; documentation names only the patient's records the hub sent (resynchronise the workstation if this repeats). Nothing was stored.`,
        ref.path,
      );
    }
  }
}
