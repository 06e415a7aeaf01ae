// One Encounter per stay, whichever path brought it first. With `--upstream-visit-system
// AUTHORITY=SYSTEM`, an EHR Encounter numbered `SYSTEM|V` is the ADT feed's visit V of AUTHORITY:
// its hub form carries the feed's visit number (upstream-resource.ts), so
// - EHR first: the feed's admit (and its later events) find the EHR's Encounter and are applied to
//   it (server/integration/adt visit-match.ts);
// - feed first: when the mirror writes an EHR Encounter whose visit number an Encounter the feed
//   admitted already carries, for the same patient, the feed's Encounter is merged into the EHR's in
//   the same transaction as the page: the EHR's Encounter takes the feed's visit number, status,
//   class, period and locations, what referred to the feed's Encounter (documentation, orders) is
//   re-pointed at it, and the feed's Encounter is deleted (a tombstone; workstations drop it).
// From then on the feed is the source of the stay's status and locations, and each new EHR version
// adds the rest (`keepFeedVisit`). The EHR's id and version stay in the id and `meta.source`, so a
// re-pull writes nothing.
import type { Logger } from 'pino';
import type { Encounter, Resource } from '../../../shared/fhir/index.js';
import type { FeedWriter } from '../../fhir/index.js';
import { repointed } from '../adt/patient-merge.js';
import { admittedByFeed, VISIT_NUMBER_SYSTEM, withFeedVisit } from '../adt/visit-match.js';
import { isFromUpstream } from './upstream-resource.js';

/** What the mirror writes for a new EHR version of an Encounter the hub holds: the feed's part kept. */
export function keepFeedVisit(incoming: Resource, current: Resource): Resource {
  if (incoming.resourceType !== 'Encounter' || current.resourceType !== 'Encounter' || !admittedByFeed(current)) return incoming;
  return withFeedVisit(incoming, current);
}

function derivedNumbers(encounter: Encounter): { system: string; value: string }[] {
  return (encounter.identifier ?? []).flatMap((i) =>
    i.use === 'secondary' && i.system?.startsWith(`${VISIT_NUMBER_SYSTEM}:`) && i.value ? [{ system: i.system, value: i.value }] : [],
  );
}

function isHeldHere(item: Resource, encounterRef: string): boolean {
  return JSON.stringify(item).includes(`"reference":${JSON.stringify(encounterRef)}`);
}

/**
 * Merges the feed's Encounters into the EHR Encounters (ids) that carry their visit number; returns
 * how many were merged. A visit number the feed holds for another patient is left as is (logged):
 * the feed's next event for it is refused until IT resolves it.
 */
export async function matchFeedVisits(feed: FeedWriter, encounterIds: Iterable<string>, baseUrl: string, logger: Logger): Promise<number> {
  let merged = 0;
  for (const id of new Set(encounterIds)) {
    const ehr = await feed.read<Encounter>('Encounter', id);
    if (ehr === null || !isFromUpstream(baseUrl, ehr.resource) || admittedByFeed(ehr.resource)) continue;
    for (const number of derivedNumbers(ehr.resource)) {
      const visits = (await feed.findByIdentifier<Encounter>('Encounter', number.system, number.value, 10)).filter(
        (other) => other.resource.id !== id && !isFromUpstream(baseUrl, other.resource) && admittedByFeed(other.resource),
      );
      const visit = visits[0];
      if (visit === undefined) continue;
      const patientRef = ehr.resource.subject?.reference;
      if (visits.length > 1 || patientRef === undefined || visit.resource.subject?.reference !== patientRef) {
        logger.warn(
          { event: 'upstream.visit_mismatch', encounter: id },
          "the EHR's encounter carries a visit number the ADT feed holds for another patient; not matched",
        );
        continue;
      }
      const feedRef = `Encounter/${visit.resource.id!}`;
      await feed.put(withFeedVisit(ehr.resource, visit.resource));
      for (const item of await feed.compartment(patientRef.replace(/^Patient\//, ''))) {
        if (item.resource.resourceType === 'Patient' || `${item.resource.resourceType}/${item.resource.id}` === feedRef) continue;
        if (isHeldHere(item.resource, feedRef)) await feed.put(repointed(item.resource, feedRef, `Encounter/${id}`) as Resource);
      }
      await feed.remove('Encounter', visit.resource.id!);
      merged++;
      break;
    }
  }
  return merged;
}

/** The Encounters the hub holds for these patients (to match after their records were merged). */
export async function heldEncounters(feed: FeedWriter, patientIds: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const patientId of new Set(patientIds)) {
    const rows = await feed.tx.query<{ res_id: string }>(
      `SELECT res_id FROM fhir_resources WHERE patient_id = $1 AND res_type = 'Encounter' AND deleted = 0`,
      [patientId],
    );
    ids.push(...rows.map((row) => row.res_id));
  }
  return ids;
}
