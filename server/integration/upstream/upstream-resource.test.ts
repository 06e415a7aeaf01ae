import { describe, expect, it } from 'vitest';
import type { Encounter, Patient } from '../../../shared/fhir/index.js';
import { parseUpstreamWard } from './upstream-config.js';
import { retryAfterMs, outcomeSummary } from './upstream-client.js';
import { hubFormOf, isFromUpstream } from './upstream-resource.js';

const BASE = 'https://ehr.example/fhir/R4';
const WARDS = [{ ward: '4north', location: 'Location/loc-4n' }];

describe('an upstream resource as the hub stores it', () => {
  it('names the upstream version it came from and keeps only the standard meta', () => {
    const patient: Patient = {
      resourceType: 'Patient',
      id: 'p1',
      meta: {
        versionId: '7',
        lastUpdated: '2026-01-01T00:00:00Z',
        security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }],
        ...({ project: 'x', author: { reference: 'Practitioner/y' } } as object),
      },
    };
    const stored = hubFormOf(patient, BASE, WARDS)!;
    expect(stored.meta).toEqual({ source: `${BASE}/Patient/p1/_history/7`, security: patient.meta!.security });
    expect(isFromUpstream(BASE, stored)).toBe(true);
    expect(isFromUpstream(BASE, { ...stored, meta: { source: 'https://other.example/fhir/Patient/p1' } })).toBe(false);
  });

  it("places an Encounter at a mapped upstream Location on the hub's ward, and takes no ward from upstream itself", () => {
    const encounter: Encounter = {
      resourceType: 'Encounter',
      id: 'e1',
      status: 'in-progress',
      class: { code: 'IMP' },
      location: [
        { location: { reference: `${BASE}/Location/loc-4n` }, status: 'active' },
        { location: { reference: 'Location/ward-icu' } },
      ],
    };
    const stored = hubFormOf(encounter, BASE, WARDS) as Encounter;
    expect(stored.location!.map((l) => l.location.reference)).toEqual([`${BASE}/Location/loc-4n`, 'Location/ward-4north']);
    const left = hubFormOf(
      { ...encounter, location: [{ location: { reference: 'Location/loc-4n' }, status: 'completed' }] },
      BASE,
      WARDS,
    ) as Encounter;
    expect(left.location!.map((l) => l.location.reference)).toEqual(['Location/loc-4n']);
  });

  it('leaves out types the hub does not keep', () => {
    expect(hubFormOf({ resourceType: 'Claim', id: 'c1' } as never, BASE, WARDS)).toBeNull();
  });
});

describe('upstream answers and options', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it("summarises a refusal from the upstream's OperationOutcome, bounded", () => {
    const body = Buffer.from(
      JSON.stringify({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'duplicate', diagnostics: 'x'.repeat(1000) }],
      }),
    );
    const summary = outcomeSummary(412, body);
    expect(summary.startsWith('HTTP 412 duplicate: xxx')).toBe(true);
    expect(summary.length).toBe(300);
    expect(outcomeSummary(400, Buffer.from('not json'))).toBe('HTTP 400');
  });

  it('reads --upstream-ward WARD=Location/ID and refuses anything else', () => {
    expect(parseUpstreamWard('4north=Location/abc-1')).toEqual({ ward: '4north', location: 'Location/abc-1' });
    expect(parseUpstreamWard('4north=abc-1')).toEqual({ ward: '4north', location: 'Location/abc-1' });
    expect(() => parseUpstreamWard('4north')).toThrow(/WARD=Location\/ID/);
    expect(() => parseUpstreamWard('4 north=Location/x')).toThrow(/WARD=Location\/ID/);
  });
});
