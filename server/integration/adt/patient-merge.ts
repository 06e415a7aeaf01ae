// Merging one patient record into another at the hub, in a feed's write transaction: every resource
// of the merged-away record's compartment (Encounters, Observations, orders…) gets a new version
// whose references to it point at the survivor; the merged-away Patient is kept, inactive, with a
// `replaced-by` link (and the survivor a `replaces` link when asked). Used by the A40 merge and by
// the upstream mirror when an EHR patient is the one the ADT feed admitted (same MRN). The
// survivor inherits the newest event time applied to either record (the per-patient order).
// Documentation held from the EHR for a record it did not know (upstream/held-entries.ts) is woken
// in the same transaction, whichever path merged: it may now name the EHR's patient.
import type { Patient, Resource } from '../../../shared/fhir/index.js';
import type { FeedResource, FeedWriter } from '../../fhir/index.js';
import { wakeHeldEntries } from '../upstream/held-entries.js';

/** Points every reference `from` (e.g. `Patient/{id}`) in a resource at `to`. */
export function repointed(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((item) => repointed(item, from, to));
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = key === 'reference' && item === from ? to : repointed(item, from, to);
  }
  return result;
}

export interface MergeOptions {
  /** Also write the survivor's `replaces` link (a new version of the survivor). */
  readonly linkSurvivor: boolean;
}

/** Merges `prior` into `survivor` (both live, neither merged already). */
export async function mergePatientRecords(
  writer: FeedWriter,
  prior: FeedResource<Patient>,
  survivor: FeedResource<Patient>,
  options: MergeOptions,
): Promise<void> {
  const priorId = prior.resource.id!;
  const survivorId = survivor.resource.id!;
  for (const item of await writer.compartment(priorId)) {
    if (item.resource.resourceType === 'Patient') continue;
    await writer.put(repointed(item.resource, `Patient/${priorId}`, `Patient/${survivorId}`) as Resource);
  }
  await writer.put({
    ...prior.resource,
    active: false,
    link: [...(prior.resource.link ?? []), { other: { reference: `Patient/${survivorId}` }, type: 'replaced-by' }],
  });
  if (options.linkSurvivor) {
    await writer.put({
      ...survivor.resource,
      link: [...(survivor.resource.link ?? []), { other: { reference: `Patient/${priorId}` }, type: 'replaces' }],
    });
  }
  // The survivor's events keep their order after the prior's.
  const rows = await writer.tx.query<{ last_event_ms: number }>('SELECT last_event_ms FROM adt_patient_order WHERE patient_id = $1', [
    priorId,
  ]);
  if (rows[0]) {
    await writer.tx.execute(
      `INSERT INTO adt_patient_order (patient_id, last_event_ms) VALUES ($1, $2)
       ON CONFLICT (patient_id) DO UPDATE SET last_event_ms = CASE WHEN excluded.last_event_ms > adt_patient_order.last_event_ms
         THEN excluded.last_event_ms ELSE adt_patient_order.last_event_ms END`,
      [survivorId, Number(rows[0].last_event_ms)],
    );
  }
  // Documentation held for the merged-away record may now go on the survivor's (the EHR's) records.
  await wakeHeldEntries(writer.tx);
}
