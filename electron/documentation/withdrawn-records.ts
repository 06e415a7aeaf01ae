// A conflict's records that were withdrawn as entered in error meanwhile, and that this workstation's
// version would bring back: the hub's version withdrawn, the EHR's copy withdrawn in a conflict with
// the EHR, or a change the hub refused as such without showing its version. Entered in error is final
// (shared/fhir withdrawalUndoneBy, the one rule the hub applies too): the conflicts screen lists them
// (conflict:list `withdrawn`) and offers no way to bring them back, and a settlement that would is
// refused here before anything is sent.
import { RETRACTED_IN_EHR_MESSAGE, RETRACTED_IS_FINAL_MESSAGE, withdrawalUndoneBy, type Resource } from '../../shared/fhir/index.js';
import type { ConflictRecord } from '../vault/index.js';
import { SyncError } from '../sync/index.js';

/** A record's key in a conflict (type/id): the same record in this workstation's and the hub's version. */
export const keyOf = (resource: { resourceType: string; id?: string | undefined }): string =>
  `${resource.resourceType}/${resource.id ?? ''}`;

/** A record of a conflict withdrawn as entered in error meanwhile (the hub's version, or the EHR's copy), which this workstation's version would bring back. */
export interface WithdrawnRecord {
  /** The withdrawn version as the conflict holds it; null when the hub refused the change as such without showing it. */
  readonly withdrawn: Resource | null;
  /** This workstation's version of the same record. */
  readonly local: Resource;
  /** Why it may not be sent over the withdrawal (shared/fhir). */
  readonly refusal: string;
}

/** The documentation a withdrawal (entered in error) applies to. */
const WITHDRAWABLE = new Set(['Observation', 'MedicationAdministration', 'DocumentReference']);

/** The hub refused this change because it would bring back a record the hub holds withdrawn (it did not show it: the patient left the ward). */
const refusedAsRetracted = (record: ConflictRecord): boolean => record.reason === 'rejected' && record.errorCode === 'RETRACTED_RECORD';

/**
 * The records of a conflict that were withdrawn as entered in error meanwhile and that this
 * workstation's version would bring back (shared/fhir withdrawalUndoneBy): at the hub, or, for a
 * conflict with the EHR, in the EHR (its copy the conflict holds); or, when the hub refused the
 * change as such (422 RETRACTED_RECORD) without showing its version, each record the change updated.
 * Empty when none: every way out is open.
 */
export function withdrawnRecordsOf(record: ConflictRecord): WithdrawnRecord[] {
  const upstream = record.reason === 'upstream-conflict';
  return record.local.items.flatMap((item): WithdrawnRecord[] => {
    const withdrawn = shownVersionOf(record, item.resource);
    if (withdrawn === null) {
      const refused = refusedAsRetracted(record) && item.operation === 'update' && WITHDRAWABLE.has(item.resource.resourceType);
      return refused ? [{ withdrawn: null, local: item.resource, refusal: RETRACTED_IS_FINAL_MESSAGE }] : [];
    }
    const refusal = withdrawalUndoneBy(withdrawn, item.resource);
    if (refusal === null) return [];
    return [{ withdrawn, local: item.resource, refusal: upstream ? RETRACTED_IN_EHR_MESSAGE : refusal }];
  });
}

/**
 * The other version the conflict shows of `resource`: the hub's (same type and id), or, for a conflict
 * with the EHR, the EHR's copy of the same documentation (same type; it carries the EHR's id).
 */
function shownVersionOf(record: ConflictRecord, resource: Resource): Resource | null {
  if (record.reason === 'upstream-conflict') return record.hub.find((held) => held.resourceType === resource.resourceType) ?? null;
  return record.hub.find((held) => keyOf(held) === keyOf(resource)) ?? null;
}

/**
 * Refuses a settlement that would bring back a record withdrawn as entered in error meanwhile, at the
 * hub or in the EHR (shared/fhir withdrawalUndoneBy; the hub refuses it too, 422 RETRACTED_RECORD):
 * the withdrawal stands, and the user is told to record the value again as a new entry.
 */
export function refuseUnretracting(record: ConflictRecord, sent: readonly Resource[]): void {
  if (refusedAsRetracted(record)) throw new SyncError('RETRACTED_RECORD', `${RETRACTED_IS_FINAL_MESSAGE} Nothing was sent.`);
  const upstream = record.reason === 'upstream-conflict';
  for (const resource of sent) {
    const withdrawn = shownVersionOf(record, resource);
    const refusal = withdrawn === null ? null : withdrawalUndoneBy(withdrawn, resource);
    if (refusal !== null) throw new SyncError('RETRACTED_RECORD', `${upstream ? RETRACTED_IN_EHR_MESSAGE : refusal} Nothing was sent.`);
  }
}
