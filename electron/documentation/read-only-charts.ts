// Whether a patient's chart may be documented from this workstation, as every save enforces it and
// the chart summary reports it (shared/access readOnlyReasonOf): only a chart this workstation's
// chart cache holds; an emergency copy of a patient on another ward (break-the-glass, in memory)
// is for reading.
import { readOnlyReasonOf, type ReadOnlyChartReason } from '../../shared/access/index.js';
import type { ResourceStore } from '../vault/index.js';

/** Why nothing can be documented for `patientId` here (the chart cache does not hold them), or null when it can. */
export function readOnlyReasonFor(cache: Pick<ResourceStore, 'read'>, patientId: string): ReadOnlyChartReason | null {
  return readOnlyReasonOf({ inChartCache: cache.read('Patient', patientId) !== null });
}
