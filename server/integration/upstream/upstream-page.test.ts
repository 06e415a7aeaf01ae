// A chart page read for the mirror (on its page worker) gives the hub's thread what reading it there
// gave: each resource's hub form, prepared for the store as the store prepares it, the validation's
// refusal with its path, the resources the hub does not keep marked, the care window and the
// upstream's lastUpdated; through a real structured clone, as the worker sends it.
import { describe, expect, it } from 'vitest';
import { isInCareWindow, type Resource } from '../../../shared/fhir/index.js';
import { prepareContent } from '../../fhir/index.js';
import { hubFormOf } from './upstream-resource.js';
import { readUpstreamPage, UpstreamPage } from './upstream-page.js';

const BASE = 'https://ehr.example/fhir/R4';
const SETTINGS = { baseUrl: BASE, wards: [{ ward: '4north', location: 'Location/loc-4n' }], visitSystems: [] };

const resources: Resource[] = [
  {
    resourceType: 'Patient',
    id: 'p1',
    meta: {
      versionId: '3',
      lastUpdated: '2026-12-01T10:00:00Z',
      security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }],
    },
    identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: 'MRN-9' }],
    name: [{ family: 'Łukasiewicz' }],
  } as Resource,
  {
    resourceType: 'Encounter',
    id: 'e1',
    meta: { versionId: '1' },
    status: 'in-progress',
    class: { code: 'IMP' },
    subject: { reference: 'Patient/p1' },
    period: { start: '2026-11-30T10:00:00Z' },
    location: [{ location: { reference: `${BASE}/Location/loc-4n` }, status: 'active' }],
  } as Resource,
  {
    resourceType: 'Observation',
    id: 'o-old',
    meta: { lastUpdated: '2026-12-02T10:00:00Z' },
    status: 'final',
    code: { text: 'Heart rate' },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2025-01-01T10:00:00Z',
  } as Resource,
  // Invalid for the hub: a status R4 does not have.
  {
    resourceType: 'Observation',
    id: 'o-bad',
    status: 'guessed',
    code: { text: 'x' },
    subject: { reference: 'Patient/p1' },
  } as unknown as Resource,
  // A type the hub does not keep.
  { resourceType: 'Claim', id: 'c1' } as unknown as Resource,
];

function pageOf(bundle: unknown): UpstreamPage {
  const body = Buffer.from(JSON.stringify(bundle));
  // As the worker sends it: a structured clone.
  return new UpstreamPage(structuredClone(readUpstreamPage(body, SETTINGS)), body);
}

describe('a chart page read for the mirror', () => {
  it("gives each resource's hub form, prepared as the store prepares it, and what the decisions need", () => {
    const page = pageOf({
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'next', url: `${BASE}/Observation?page=2` }],
      entry: [
        ...resources.map((resource) => ({ resource, search: { mode: 'match' } })),
        { resource: resources[0], search: { mode: 'include' } },
      ],
    });
    expect(page.columns.next).toBe(`${BASE}/Observation?page=2`);
    expect(page.size).toBe(resources.length);
    const windowStart = Date.parse('2026-11-01T00:00:00Z');
    for (const [index, resource] of resources.entries()) {
      expect(page.key(index)).toBe(`${resource.resourceType}/${resource.id}`);
      expect(page.lastUpdatedMs(index)).toBe(Date.parse(resource.meta?.lastUpdated ?? ''));
      const hubForm = hubFormOf(resource, BASE, SETTINGS.wards);
      expect(page.isKept(index)).toBe(hubForm !== null);
      if (hubForm === null) continue;
      expect(page.isInCareWindow(index, windowStart)).toBe(isInCareWindow(hubForm, windowStart));
      const read = page.resource(index, BASE);
      expect(read.source).toBe(hubForm.meta?.source);
      expect(read.resource()).toEqual(hubForm);
      if (resource.id === 'o-bad') {
        expect(read.content).toBeNull();
        expect(read.invalidPath).toContain('status');
      } else {
        expect(read.content).toEqual(prepareContent(hubForm));
      }
    }
    expect(page.patientId(1)).toBe('p1');
    expect(page.isInCareWindow(2, windowStart)).toBe(false);
  });

  it('says when the answer is not a Bundle', () => {
    expect(readUpstreamPage(Buffer.from('{"resourceType":"OperationOutcome"}'), SETTINGS)).toMatchObject({ notBundle: true, count: 0 });
    expect(readUpstreamPage(Buffer.from('not json'), SETTINGS)).toMatchObject({ notBundle: true, count: 0 });
  });
});
