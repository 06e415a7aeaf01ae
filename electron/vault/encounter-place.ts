// Where an encounter is: its current bed and ward, resolved through the Location hierarchy
// (bed → room → ward via Location.partOf) of the cached Location resources.
import { array, conceptCodeOf, isObject, referencedId, text, type Json } from './chart-format.js';

export type LocationReader = (id: string) => Json | null;

const MAX_DEPTH = 5;

function physicalType(location: Json | null): string | null {
  return location === null ? null : conceptCodeOf(location.physicalType);
}

/** The encounter's current location entries (active, or without a status), newest last. */
function currentLocations(encounter: Json): Json[] {
  return array(encounter.location).filter((entry) => entry.status === undefined || entry.status === 'active');
}

/** The location ids from `id` up through its partOf chain (itself first). */
function lineage(id: string, readLocation: LocationReader): string[] {
  const ids = [id];
  let current = readLocation(id);
  while (current !== null && ids.length < MAX_DEPTH) {
    const parent = referencedId(current.partOf, 'Location');
    if (parent === null || ids.includes(parent)) break;
    ids.push(parent);
    current = readLocation(parent);
  }
  return ids;
}

export interface EncounterPlace {
  readonly bed: string | null;
  readonly ward: string | null;
  /** Every Location id the encounter is currently in, with their ancestors. */
  readonly locationIds: ReadonlySet<string>;
}

export function encounterPlace(encounter: Json, readLocation: LocationReader): EncounterPlace {
  const locationIds = new Set<string>();
  let bed: string | null = null;
  let ward: string | null = null;
  for (const entry of currentLocations(encounter)) {
    const id = referencedId(entry.location, 'Location');
    if (id === null) continue;
    for (const ancestor of lineage(id, readLocation)) {
      locationIds.add(ancestor);
      const location = readLocation(ancestor);
      const kind = physicalType(location) ?? conceptCodeOf(entry.physicalType);
      const label = text(location?.name) ?? (isObject(entry.location) ? text(entry.location.display) : null) ?? ancestor;
      if (kind === 'bd' && bed === null) bed = label;
      if (kind === 'wa' && ward === null) ward = ancestor;
    }
  }
  return { bed, ward, locationIds };
}
