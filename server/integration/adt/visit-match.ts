// One Encounter per hospital stay, whichever path brought it first: the ADT feed's visit (PV1-19,
// keyed by its assigning authority) and the EHR's Encounter for the same stay. The visit-number
// identifier systems live here; the upstream mirror gives an EHR Encounter the feed's visit number
// (as a `secondary` identifier) when the EHR's visit-number system is mapped to the feed's authority
// (docs/UPSTREAM.md). An Encounter the feed has admitted carries its visit number as written by the
// feed (not `secondary`): from then on the feed is the source of its status, class, period and
// locations, and the EHR's versions add the rest.
import type { Encounter } from '../../../shared/fhir/index.js';

/**
 * Encounter.identifier.system of a visit number (PV1-19) is this, then `:` and its assigning
 * authority (percent-encoded): the same number from two authorities is two visits. Visits stored
 * before visit numbers were scoped carry this system alone; they are still found for the events that
 * follow an admit.
 */
export const VISIT_NUMBER_SYSTEM = 'urn:wardline:visit-number';

/** The identifier system of the visit numbers one authority assigns. */
export function visitNumberSystem(authority: string): string {
  return `${VISIT_NUMBER_SYSTEM}:${encodeURIComponent(authority)}`;
}

type Identifier = NonNullable<Encounter['identifier']>[number];

function isVisitNumber(identifier: Identifier): boolean {
  const system = identifier.system ?? '';
  return system === VISIT_NUMBER_SYSTEM || system.startsWith(`${VISIT_NUMBER_SYSTEM}:`);
}

/** The feed's visit number as the mirror derives it from the EHR's (not written by the feed). */
export function derivedVisitNumber(authority: string, value: string): Identifier {
  return { use: 'secondary', system: visitNumberSystem(authority), value };
}

/** True when the ADT feed holds this Encounter's visit (it carries a visit number the feed wrote). */
export function admittedByFeed(encounter: Encounter): boolean {
  return (encounter.identifier ?? []).some((identifier) => isVisitNumber(identifier) && identifier.use !== 'secondary');
}

/** The Encounter without the visit numbers the mirror derived (kept are the EHR's and the feed's own). */
export function withoutDerivedVisitNumbers(encounter: Encounter): Encounter {
  const identifier = (encounter.identifier ?? []).filter((i) => !(isVisitNumber(i) && i.use === 'secondary'));
  const { identifier: _all, ...rest } = encounter;
  return identifier.length === 0 ? rest : { ...rest, identifier };
}

/**
 * The EHR's Encounter for a stay the feed holds: the feed's visit number first, then the EHR's own
 * identifiers; status, class, period and locations as the feed set them (`feed`); the rest (reason,
 * participants, service provider, diagnoses…) and `meta` the EHR's (`ehr`).
 */
export function withFeedVisit(ehr: Encounter, feed: Encounter): Encounter {
  const feedNumbers = (feed.identifier ?? []).filter((i) => isVisitNumber(i) && i.use !== 'secondary');
  const ehrOwn = (ehr.identifier ?? []).filter((i) => !isVisitNumber(i));
  const { location: _ehrLocation, period: _ehrPeriod, identifier: _ids, ...rest } = ehr;
  return {
    ...rest,
    identifier: [...feedNumbers, ...ehrOwn],
    status: feed.status,
    class: feed.class,
    ...(feed.period ? { period: feed.period } : {}),
    ...(feed.location ? { location: feed.location } : {}),
  };
}

/**
 * The EHR's Encounter taken over by the feed (an A02, A03… for a visit the feed has not admitted
 * but the EHR's Encounter carries): its derived visit number becomes the feed's.
 */
export function adoptedByFeed(encounter: Encounter): Encounter {
  if (admittedByFeed(encounter)) return encounter;
  const identifier = (encounter.identifier ?? []).map((i) =>
    isVisitNumber(i) && i.use === 'secondary' ? { ...i, use: 'official' as const } : i,
  );
  return { ...encounter, identifier };
}
