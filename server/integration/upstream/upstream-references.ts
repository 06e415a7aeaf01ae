// Documentation goes to the EHR on the EHR's records. A workstation documents on the patient and stay
// it holds; when the ADT feed admitted them before the mirror matched them to the EHR's (by MRN, and
// by a mapped visit number), those are the hub's records, which the EHR does not know: an EHR that
// checks references refuses the documentation, and then every later version of it. So, at send time:
// - references to records the hub merged away (the feed's patient merged into the EHR's, the feed's
//   stay merged into the EHR's Encounter) are followed to the records that stand for them now
//   (server/fhir surviving-references), which carry the EHR's ids;
// - a Patient reference, or an Encounter reference whose visit a mapped `--upstream-visit-system`
//   lets the mirror match, that still names a hub-only record holds the documentation (shown by
//   `upstream status` with the reason) until the mirror matches it, then it is sent once;
// - an Encounter the mirror can never match (its visit authority is mapped to no EHR system) is left
//   out of the copy sent (Observation.encounter, MedicationAdministration.context): the documentation
//   reaches the EHR's patient without it rather than not at all;
// - a reference to a hub user (`Practitioner/{user id}`: performer, Provenance agent.who), which the
//   EHR does not hold, becomes a logical reference it can accept and resolve by identifier:
//   `{ type: 'Practitioner', identifier: { system: WARDLINE_USER_SYSTEM, value: user id }, display:
//   username }` (the system the hub's audit trail names users by). Any other Practitioner reference
//   is sent as written.
import { WARDLINE_USER_SYSTEM, type Encounter, type Resource } from '../../../shared/fhir/index.js';
import { contentText, followMergedRecords, readCurrent } from '../../fhir/index.js';
import { usernamesOf } from '../../identity/index.js';
import type { SqlDatabase } from '../../storage/index.js';
import { VISIT_NUMBER_SYSTEM, visitNumberSystem } from '../adt/visit-match.js';
import type { UpstreamVisitSystem } from './upstream-config.js';
import { isFromUpstream } from './upstream-resource.js';

export type UpstreamForm = { readonly kind: 'ready'; readonly resource: Resource } | { readonly kind: 'held'; readonly reason: string };

const NAMED = /^(Patient|Encounter)\/([A-Za-z0-9\-.]{1,64})$/;
const PRACTITIONER = /^Practitioner\/([A-Za-z0-9\-.]{1,64})$/;

/** The ids of `Practitioner/{id}` references (outside contained resources). */
function practitionerIds(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) practitionerIds(item, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, member] of Object.entries(value)) {
    if (key === 'contained') continue;
    if (key === 'reference' && typeof member === 'string') {
      const id = PRACTITIONER.exec(member)?.[1];
      if (id !== undefined) found.add(id);
    } else practitionerIds(member, found);
  }
}

/** `value` with each reference to a hub user replaced by a logical reference (its identifier in the hub's user system). */
function withLogicalUsers(value: unknown, users: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => withLogicalUsers(item, users));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const id = typeof record.reference === 'string' ? PRACTITIONER.exec(record.reference)?.[1] : undefined;
  const username = id === undefined ? undefined : users.get(id);
  if (id !== undefined && username !== undefined) {
    const { reference: _reference, display: _display, identifier: _identifier, ...rest } = record;
    return { ...rest, type: 'Practitioner', identifier: { system: WARDLINE_USER_SYSTEM, value: id }, display: username };
  }
  const result: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(record)) result[key] = key === 'contained' ? member : withLogicalUsers(member, users);
  return result;
}

/** The resource with its references to hub users made logical (the EHR does not hold the hub's users). */
async function onEhrPractitioners(db: SqlDatabase, resource: Resource): Promise<Resource> {
  const ids = new Set<string>();
  practitionerIds(resource, ids);
  if (ids.size === 0) return resource;
  const users = await usernamesOf(db, [...ids]);
  return users.size === 0 ? resource : (withLogicalUsers(resource, users) as Resource);
}

function namedReferences(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) namedReferences(item, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, member] of Object.entries(value)) {
    if (key === 'contained') continue;
    if (key === 'reference' && typeof member === 'string') {
      if (NAMED.test(member)) found.add(member);
    } else namedReferences(member, found);
  }
}

/** The field of documentation that names its stay (the only place a stay is left out). */
function stayField(resource: Resource): 'encounter' | 'context' | null {
  if (resource.resourceType === 'Observation') return 'encounter';
  if (resource.resourceType === 'MedicationAdministration') return 'context';
  return null;
}

/** True when the mirror can match this hub-only Encounter to the EHR's (its visit authority is mapped). */
function isMatchable(encounter: Encounter, visitSystems: readonly UpstreamVisitSystem[]): boolean {
  return (encounter.identifier ?? []).some(
    (identifier) =>
      identifier.system?.startsWith(`${VISIT_NUMBER_SYSTEM}:`) === true &&
      visitSystems.some((mapped) => visitNumberSystem(mapped.authority) === identifier.system),
  );
}

/** The resource as the EHR should receive it (references on the EHR's records), or why it is held. */
export async function onEhrRecords(
  db: SqlDatabase,
  resource: Resource,
  baseUrl: string,
  visitSystems: readonly UpstreamVisitSystem[],
): Promise<UpstreamForm> {
  const copy = structuredClone(resource);
  await followMergedRecords(db, copy);
  const named = new Set<string>();
  namedReferences(copy, named);
  for (const reference of named) {
    const [, type, id] = NAMED.exec(reference)!;
    const stored = await readCurrent(db, type!, id!);
    const text = stored === null || stored.deleted ? null : contentText(stored);
    const held = text === null ? null : (JSON.parse(text) as Resource);
    // A record the hub does not hold (any more) is not the hub's to translate: sent as written.
    if (held === null || isFromUpstream(baseUrl, held)) continue;
    if (type === 'Patient') {
      return {
        kind: 'held',
        reason:
          `held: its patient (${reference}) is known to the hub only from the ADT feed; it is sent once the mirror ` +
          "matches them to the EHR's patient (same MRN, on a mirrored ward)",
      };
    }
    const field = stayField(copy);
    const record = copy as unknown as Record<string, { reference?: string } | undefined>;
    if (!isMatchable(held as Encounter, visitSystems) && field !== null && record[field]?.reference === reference) {
      delete record[field];
      continue;
    }
    return {
      kind: 'held',
      reason:
        `held: its stay (${reference}) is known to the hub only from the ADT feed; it is sent once the mirror ` +
        "matches it to the EHR's encounter (same visit number)",
    };
  }
  return { kind: 'ready', resource: await onEhrPractitioners(db, copy) };
}
