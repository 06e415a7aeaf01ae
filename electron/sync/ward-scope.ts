// What belongs to this workstation's ward: the ward's Location id (`ward-{ward}`), and whether a
// Location lies on the ward (the ward itself, or below it through partOf: room, bed).
import { referenceId, type Resource } from '../../shared/fhir/index.js';

export function wardLocationId(ward: string): string {
  return `ward-${ward}`;
}

const MAX_DEPTH = 6;

/** True when `locationId` is the ward's Location or lies under it; `readLocation` finds parents. */
export function isOnWard(locationId: string, wardId: string, readLocation: (id: string) => Resource | null): boolean {
  let current: string | undefined = locationId;
  for (let depth = 0; current !== undefined && depth < MAX_DEPTH; depth += 1) {
    if (current === wardId) return true;
    const location = readLocation(current);
    if (location === null || location.resourceType !== 'Location') return false;
    current = referenceId(location.partOf?.reference, 'Location');
  }
  return false;
}
