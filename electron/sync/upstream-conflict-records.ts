// Conflicts with the hospital's EHR, as the sync learns of them (docs/UPSTREAM.md). The hub, before
// sending documentation on to the EHR, finds it contradicted (the order changed, the stay ended) and
// writes a version of it tagged with the conflict and holding the EHR's resource. A workstation that
// applies such a version lists a conflict for it (one per resource, the same id on every workstation
// of the ward); applying a later version without the tag (a user's decision, here or at another
// workstation) removes it. The hub stays the authority: the conflict is there while its newest
// version says so.
import { createHash } from 'node:crypto';
import { patientIdOf, upstreamConflictOfVersion, withoutUpstreamMarks, type Resource } from '../../shared/fhir/index.js';
import type { NewConflict } from '../vault/index.js';
import { clientIdOf } from './client-identifier.js';

/** The types the hub sends on to the EHR, so the only ones an upstream conflict can hold. */
const SENT_UPSTREAM = new Set(['Observation', 'MedicationAdministration']);

/** Whether a version of this resource can carry (or settle) an upstream conflict: documentation made on a workstation. */
export function mayCarryUpstreamConflict(resource: Resource): boolean {
  return SENT_UPSTREAM.has(resource.resourceType) && clientIdOf(resource) !== undefined;
}

/** The conflict id of a resource's upstream conflict: the same on every workstation. */
export function upstreamConflictId(type: string, id: string): string {
  return `upstream-${createHash('sha256').update(`${type}/${id}`).digest('hex').slice(0, 40)}`;
}

/** The conflict a hub version records, or null when it records none. */
export function upstreamConflictRecord(resource: Resource, version: number): NewConflict | null {
  const code = upstreamConflictOfVersion(resource);
  const patientId = patientIdOf(resource);
  if (code === null || typeof resource.id !== 'string' || patientId === undefined || !mayCarryUpstreamConflict(resource)) return null;
  const conflictId = upstreamConflictId(resource.resourceType, resource.id);
  const documented = withoutUpstreamMarks(resource) as Resource & { id: string };
  // The EHR's resource the hub put beside the documentation: the order, the stay, or the EHR's own
  // copy of this documentation (changed or marked in error there since the hub sent it).
  const ehr = ((resource as { contained?: Resource[] }).contained ?? []).filter(
    (contained) =>
      contained.resourceType === 'MedicationRequest' ||
      contained.resourceType === 'Encounter' ||
      contained.resourceType === resource.resourceType,
  );
  const detectedAt = resource.meta?.lastUpdated ?? new Date(0).toISOString();
  return {
    conflictId,
    entryId: conflictId,
    patientId,
    reason: 'upstream-conflict',
    errorCode: code,
    local: {
      entryId: conflictId,
      patientId,
      items: [{ operation: 'update', resource: documented, baseVersion: String(version) }],
      provenance: null,
      createdAt: detectedAt,
    },
    hub: ehr,
    detectedAt,
  };
}
