// A conflict in plain words: what was documented and why it did not go through.
import type { ConflictViewData, WithdrawnRecordData } from '../../../../shared/contract/index.js';
import { formatDateTime } from '../../../../shared/display/index.js';
import { isUpstreamConflictCode, UPSTREAM_CONFLICT_REASONS } from '../../../../shared/fhir/index.js';

const KIND: Readonly<Record<string, string>> = {
  Observation: 'Vital signs',
  MedicationAdministration: 'Medication administration',
  DocumentReference: 'Note',
  Provenance: 'Record of who documented',
  Encounter: 'Hospital stay',
  MedicationRequest: 'Medication order',
};

/** "Vital signs", "Medication administration", … from the local resources. */
export function conflictKind(conflict: Pick<ConflictViewData, 'local' | 'hub' | 'reason'>): string {
  // A conflict with the EHR is about what was documented here; the EHR's resources are why.
  const shown = conflict.reason === 'upstream-conflict' ? conflict.local : [...conflict.local, ...conflict.hub];
  const types = [...new Set(shown.map((r) => String(r.resourceType)))].filter((t) => t !== 'Provenance');
  const names = types.map((t) => KIND[t] ?? t);
  return names.length === 0 ? 'Documentation' : names.join(' and ');
}

/** Why the conflict arose and what to do; `combinable` false: combining is not offered (the hub's version cannot be shown). */
export function conflictReasonText(conflict: Pick<ConflictViewData, 'reason' | 'errorCode'>, combinable = true): string {
  if (conflict.reason === 'upstream-conflict') {
    const why = isUpstreamConflictCode(conflict.errorCode) ? UPSTREAM_CONFLICT_REASONS[conflict.errorCode] : 'the EHR disagrees with it';
    return `The hospital's EHR contradicts this documentation: ${why}. The hub keeps it, but has not sent it to the EHR. Send it to the EHR anyway, or keep it out of the EHR if the EHR is right.`;
  }
  if (conflict.reason === 'version-conflict') {
    return `Someone changed this on the hub after it was documented here. Nothing has been overwritten: choose which version to keep${combinable ? ', or combine them' : ''}.`;
  }
  return `The hub did not accept this documentation${conflict.errorCode === null ? '' : ` (${conflict.errorCode})`}. Keep the hub's version, send yours again, or combine them.`;
}

export function resourceName(resourceType: string): string {
  return KIND[resourceType] ?? resourceType;
}

const WITHDRAWN_KIND: Readonly<Record<string, string>> = {
  Observation: 'vital sign',
  MedicationAdministration: 'dose',
  DocumentReference: 'note',
};

/**
 * A record marked entered in error meanwhile, in clinical words: where, by whom and when (as far as
 * the withdrawn version says), and its note: "This vital sign was marked entered in error at the hub
 * by paul on 07 Dec 2026, 10:02, after your change was documented here. Its note: “…”"
 */
export function withdrawnText(withdrawn: WithdrawnRecordData): string {
  const where = withdrawn.inEhr ? " in the hospital's EHR" : ' at the hub';
  const by = withdrawn.by === null ? '' : ` by ${withdrawn.by}`;
  const at = withdrawn.at === null ? '' : ` on ${formatDateTime(withdrawn.at)}`;
  const note = withdrawn.note === null ? '' : ` Its note: “${withdrawn.note}”`;
  const what = WITHDRAWN_KIND[withdrawn.resourceType] ?? 'entry';
  return `This ${what} was marked entered in error${where}${by}${at}, after your change was documented here.${note}`;
}
