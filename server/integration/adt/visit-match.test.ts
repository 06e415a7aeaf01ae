import { describe, expect, it } from 'vitest';
import type { Encounter } from '../../../shared/fhir/index.js';
import { parseUpstreamVisitSystem } from '../upstream/upstream-config.js';
import { hubFormOf } from '../upstream/upstream-resource.js';
import { adoptedByFeed, admittedByFeed, visitNumberSystem, withFeedVisit } from './visit-match.js';

const BASE = 'https://ehr.example/fhir/R4';
const WARDS = [{ ward: '4north', location: 'Location/loc-4n' }];
const EHR_VISITS = 'http://hospital.example/visit-number';

const ehrEncounter: Encounter = {
  resourceType: 'Encounter',
  id: 'e1',
  meta: { versionId: '3' },
  identifier: [{ system: EHR_VISITS, value: 'V42' }],
  status: 'finished',
  class: { code: 'AMB' },
  subject: { reference: 'Patient/p1' },
  period: { start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' },
  location: [{ location: { reference: 'Location/loc-4n' }, status: 'completed' }],
  reasonCode: [{ text: 'Pneumonia' }],
};

const feedEncounter: Encounter = {
  resourceType: 'Encounter',
  id: 'adt-1',
  identifier: [{ use: 'official', system: visitNumberSystem('GENERAL'), value: 'V42' }],
  status: 'in-progress',
  class: { code: 'IMP' },
  subject: { reference: 'Patient/p1' },
  period: { start: '2026-12-01T08:00:00.000Z' },
  location: [{ location: { reference: 'Location/ward-4north-room-7-bed-1' }, status: 'active' }],
};

describe("one Encounter per stay: the ADT feed's visit number and the EHR's", () => {
  it("gives an EHR Encounter numbered in a mapped system the feed's visit number, as derived (not admitted by the feed)", () => {
    const stored = hubFormOf(ehrEncounter, BASE, WARDS, undefined, [{ system: EHR_VISITS, authority: 'GENERAL' }]) as Encounter;
    expect(stored.identifier).toContainEqual({ use: 'secondary', system: 'urn:wardline:visit-number:GENERAL', value: 'V42' });
    expect(admittedByFeed(stored)).toBe(false);
    const unmapped = hubFormOf(ehrEncounter, BASE, WARDS, undefined, [{ system: 'http://other.example/visits', authority: 'GENERAL' }]);
    expect((unmapped as Encounter).identifier).toEqual(ehrEncounter.identifier);
  });

  it("keeps the feed's status, class, period and locations and the EHR's details and meta", () => {
    const merged = withFeedVisit({ ...ehrEncounter, meta: { source: `${BASE}/Encounter/e1/_history/3` } }, feedEncounter);
    expect(merged).toMatchObject({
      id: 'e1',
      status: 'in-progress',
      class: { code: 'IMP' },
      period: { start: '2026-12-01T08:00:00.000Z' },
      location: feedEncounter.location,
      reasonCode: [{ text: 'Pneumonia' }],
      meta: { source: `${BASE}/Encounter/e1/_history/3` },
    });
    expect(merged.identifier).toEqual([feedEncounter.identifier![0], ehrEncounter.identifier![0]]);
    expect(admittedByFeed(merged)).toBe(true);
  });

  it('lets the feed take over an EHR visit it never admitted', () => {
    const stored = hubFormOf(ehrEncounter, BASE, WARDS, undefined, [{ system: EHR_VISITS, authority: 'GENERAL' }]) as Encounter;
    expect(admittedByFeed(adoptedByFeed(stored))).toBe(true);
  });

  it('reads --upstream-visit-system AUTHORITY=SYSTEM and refuses anything else', () => {
    expect(parseUpstreamVisitSystem(`GENERAL=${EHR_VISITS}`)).toEqual({ authority: 'GENERAL', system: EHR_VISITS });
    expect(parseUpstreamVisitSystem('urn:oid:1.2.3=urn:oid:1.2.3.4')).toEqual({ authority: 'urn:oid:1.2.3', system: 'urn:oid:1.2.3.4' });
    for (const bad of [EHR_VISITS, '=http://x.example', 'GENERAL=', 'GENERAL=not a uri']) {
      expect(() => parseUpstreamVisitSystem(bad)).toThrow(/AUTHORITY=SYSTEM/);
    }
  });
});
