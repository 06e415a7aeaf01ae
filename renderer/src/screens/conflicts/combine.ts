// The combination the user made of a conflict's two versions: for each local resource, the hub's
// version with the fields the user chose from this workstation's version (the hub's meta, so its
// versionId, is kept); a resource the hub does not have is sent as documented here. A combination
// that changes the hub's reading or note text carries the mark of a correction (the hub refuses an
// unmarked one, shared/fhir correction-marks): the user chose this workstation's value over it.
// A reading's notes are not chosen: the combined version keeps both versions' notes, a correction
// note rebuilt to follow the chosen value (shared/vital-signs combinedNotes; the host rebuilds them
// again whatever is sent).
import { unmarkedCorrection, type Observation } from '../../../../shared/fhir/index.js';
import { combinedNotes } from '../../../../shared/vital-signs/index.js';
import { differingFields, pairResources, type ResourceJson } from './field-diff.js';

/** The mark a combined version needs when it changes the hub's content; a dose is never re-marked. */
function markedAsCorrection(hub: ResourceJson, result: ResourceJson): ResourceJson {
  const typed = (resource: ResourceJson) => resource as unknown as { readonly resourceType: string };
  if (unmarkedCorrection(typed(hub), typed(result)) === null) return result;
  if (result.resourceType === 'Observation') return { ...result, status: 'corrected' };
  if (result.resourceType === 'DocumentReference') return { ...result, docStatus: 'amended' };
  return result;
}

export type FieldChoice = 'mine' | 'hub';

/** Choices per resource key ("Observation/abc") and field. */
export type CombineChoices = Readonly<Record<string, Readonly<Record<string, FieldChoice>>>>;

/** The choices when the user has not picked yet: this workstation's value for every differing field. */
export function defaultChoices(local: readonly ResourceJson[], hub: readonly ResourceJson[]): Record<string, Record<string, FieldChoice>> {
  const choices: Record<string, Record<string, FieldChoice>> = {};
  for (const pair of pairResources(local, hub)) {
    const fields = differingFields(pair);
    if (fields.length > 0) choices[pair.key] = Object.fromEntries(fields.map((field) => [field, 'mine' as const]));
  }
  return choices;
}

/** The resources to send with conflict:resolve choice "combine": exactly the local resources, combined. */
export function combinedResources(local: readonly ResourceJson[], hub: readonly ResourceJson[], choices: CombineChoices): ResourceJson[] {
  const combined: ResourceJson[] = [];
  for (const pair of pairResources(local, hub)) {
    if (pair.local === null) continue;
    if (pair.hub === null) {
      combined.push(structuredClone(pair.local));
      continue;
    }
    const result = structuredClone(pair.hub);
    for (const field of differingFields(pair)) {
      if ((choices[pair.key]?.[field] ?? 'mine') !== 'mine') continue;
      if (pair.local[field] === undefined) delete result[field];
      else result[field] = structuredClone(pair.local[field]);
    }
    combined.push(withNotes(pair.local, pair.hub, markedAsCorrection(pair.hub, result)));
  }
  return combined;
}

/** A combined reading with the notes of both versions (a correction note following its value). */
function withNotes(local: ResourceJson, hub: ResourceJson, result: ResourceJson): ResourceJson {
  if (result.resourceType !== 'Observation') return result;
  const asObservation = (resource: ResourceJson) => resource as unknown as Observation;
  const note = combinedNotes(asObservation(local), asObservation(hub), asObservation(result));
  const { note: _chosen, ...rest } = result;
  return note.length === 0 ? rest : { ...rest, note };
}
