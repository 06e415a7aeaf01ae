// A conflict in plain words: what was documented and why it did not go through.
import type { ConflictViewData } from '../../../../shared/contract/index.js';

const KIND: Readonly<Record<string, string>> = {
  Observation: 'Vital signs',
  MedicationAdministration: 'Medication administration',
  DocumentReference: 'Note',
  Provenance: 'Record of who documented',
};

/** "Vital signs", "Medication administration", … from the local resources. */
export function conflictKind(conflict: Pick<ConflictViewData, 'local' | 'hub'>): string {
  const types = [...new Set([...conflict.local, ...conflict.hub].map((r) => String(r.resourceType)))].filter((t) => t !== 'Provenance');
  const names = types.map((t) => KIND[t] ?? t);
  return names.length === 0 ? 'Documentation' : names.join(' and ');
}

export function conflictReasonText(conflict: Pick<ConflictViewData, 'reason' | 'errorCode'>): string {
  if (conflict.reason === 'version-conflict') {
    return 'Someone changed this on the hub after it was documented here. Nothing has been overwritten: choose which version to keep, or combine them.';
  }
  return `The hub did not accept this documentation${conflict.errorCode === null ? '' : ` (${conflict.errorCode})`}. Keep the hub's version, send yours again, or combine them.`;
}

export function resourceName(resourceType: string): string {
  return KIND[resourceType] ?? resourceType;
}
