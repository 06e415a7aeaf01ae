// One stay at a time, whichever path brought a patient's stays: the ADT feed or the upstream
// mirror of the EHR. A stay is an Encounter `in-progress` (what the workstations' census lists, one
// row each). The feed's own stays are kept to one by refusing what would open a second (an admit,
// a cancel of a discharge, a merge of two records each in a stay: AE 205, adt-apply.ts). The EHR's
// Encounters the mirror holds are matched to the feed's visits by visit number where a mapping
// says how (visit-match.ts); one the feed's stay does not match (another number, or none mapped) is
// the EHR's record of the stay the feed already holds, or of one the feed has ended or never sent:
// while the patient has a stay the feed admitted, such an EHR Encounter is kept off the hub's
// wards (the mirror's `Location/ward-…` placement removed), so the census lists the patient once,
// at the feed's bed. The feed is the source of the census, as it is of a matched stay's status and
// locations (docs/INTEGRATION.md "One stay, and beds", docs/UPSTREAM.md "One stay").
import type { Encounter } from '../../../shared/fhir/index.js';
import type { FeedResource, FeedWriter } from '../../fhir/index.js';
import { admittedByFeed } from './visit-match.js';

/** The hub's ward Locations (`Location/ward-{code}`), which the mirror adds to an EHR Encounter. */
const HUB_WARD = /^Location\/ward-/;

/** An Encounter the mirror took from the EHR (it names its upstream version) that the feed has not admitted. */
export function isEhrOnlyEncounter(encounter: Encounter): boolean {
  return typeof encounter.meta?.source === 'string' && !admittedByFeed(encounter);
}

/** True when the Encounter is at one of the hub's wards now (a place not completed): on that ward's census. */
export function onHubWard(encounter: Encounter): boolean {
  return (encounter.location ?? []).some((entry) => entry.status !== 'completed' && HUB_WARD.test(entry.location?.reference ?? ''));
}

/** The Encounter without its places at the hub's wards: on no ward's census. */
export function offHubWards(encounter: Encounter): Encounter {
  const location = (encounter.location ?? []).filter((entry) => !HUB_WARD.test(entry.location?.reference ?? ''));
  const { location: _all, ...rest } = encounter;
  return location.length === 0 ? rest : { ...rest, location };
}

/** The patient's stays in progress that the feed admitted. */
export async function feedStaysOf(writer: FeedWriter, patientId: string): Promise<FeedResource<Encounter>[]> {
  const stays = await writer.findOfPatient<Encounter>('Encounter', patientId, ['in-progress']);
  return stays.filter((item) => admittedByFeed(item.resource));
}

/**
 * While the patient has a stay the feed admitted, takes the EHR's other in-progress Encounters off
 * the hub's wards (a new version each, `meta.source` kept: the mirror does not write the same EHR
 * version back). Returns how many were taken off.
 */
export async function keepOneStay(writer: FeedWriter, patientId: string): Promise<number> {
  const stays = await writer.findOfPatient<Encounter>('Encounter', patientId, ['in-progress']);
  if (!stays.some((item) => admittedByFeed(item.resource))) return 0;
  let moved = 0;
  for (const item of stays) {
    if (!isEhrOnlyEncounter(item.resource) || !onHubWard(item.resource)) continue;
    await writer.put(offHubWards(item.resource));
    moved++;
  }
  return moved;
}
