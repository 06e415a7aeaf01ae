import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { careEndMs, dateUpperBoundMs, isInCareWindow } from './index.js';

const START = Date.parse('2026-01-01T00:00:00Z');
const subject = { reference: 'Patient/p1' };
const OLD = '2025-06-01T10:00:00Z';
const RECENT = '2026-01-05T10:00:00Z';

const r = (resource: Record<string, unknown>): Resource => resource as unknown as Resource;

describe('the care window', () => {
  it('leaves out observations, administrations, notes and provenance whose care ended before the start', () => {
    for (const resource of [
      r({ resourceType: 'Observation', status: 'final', code: {}, subject, effectiveDateTime: OLD }),
      r({ resourceType: 'Observation', status: 'final', code: {}, subject, effectivePeriod: { start: '2025-05-01T00:00:00Z', end: OLD } }),
      r({ resourceType: 'MedicationAdministration', status: 'completed', subject, effectiveDateTime: OLD }),
      r({ resourceType: 'DocumentReference', status: 'current', subject, date: OLD }),
      r({ resourceType: 'Provenance', target: [subject], recorded: OLD }),
      r({ resourceType: 'Encounter', status: 'finished', subject, period: { start: '2025-05-01T00:00:00Z', end: OLD } }),
      r({
        resourceType: 'Condition',
        subject,
        clinicalStatus: { coding: [{ code: 'resolved' }] },
        onsetDateTime: '2019',
        abatementDateTime: '2019-06',
        recordedDate: OLD,
      }),
      r({ resourceType: 'MedicationRequest', status: 'stopped', intent: 'order', subject, authoredOn: OLD }),
    ]) {
      expect(isInCareWindow(resource, START), resource.resourceType).toBe(false);
    }
  });

  it('keeps what happened at or after the start', () => {
    for (const resource of [
      r({ resourceType: 'Observation', status: 'final', code: {}, subject, effectiveDateTime: RECENT }),
      r({ resourceType: 'Observation', status: 'final', code: {}, subject, effectiveDateTime: '2026-01-01T00:00:00Z' }),
      // Drawn before the start, resulted after it: new information within the window.
      r({
        resourceType: 'Observation',
        status: 'final',
        code: {},
        subject,
        effectiveDateTime: '2025-12-31T22:00:00Z',
        issued: '2026-01-01T01:00:00Z',
      }),
      r({ resourceType: 'MedicationAdministration', status: 'completed', subject, effectiveDateTime: RECENT }),
      r({ resourceType: 'DocumentReference', status: 'current', subject, date: RECENT }),
      r({
        resourceType: 'Condition',
        subject,
        clinicalStatus: { coding: [{ code: 'resolved' }] },
        onsetDateTime: '2019',
        recordedDate: RECENT,
      }),
      r({
        resourceType: 'MedicationRequest',
        status: 'completed',
        intent: 'order',
        subject,
        authoredOn: OLD,
        dispenseRequest: { validityPeriod: { end: RECENT } },
      }),
    ]) {
      expect(isInCareWindow(resource, START), resource.resourceType).toBe(true);
    }
  });

  it('always keeps the patient, allergies, flags, active problems and standing orders, however old', () => {
    for (const resource of [
      r({ resourceType: 'Patient', id: 'p1' }),
      r({ resourceType: 'AllergyIntolerance', patient: subject, recordedDate: '2001-02-03' }),
      r({ resourceType: 'Flag', status: 'inactive', code: {}, subject, period: { start: '2001-01-01', end: '2002-01-01' } }),
      r({
        resourceType: 'Condition',
        subject,
        clinicalStatus: { coding: [{ code: 'active' }] },
        onsetDateTime: '1990',
        recordedDate: '1990-04-02',
      }),
      r({ resourceType: 'Condition', subject, clinicalStatus: { coding: [{ code: 'relapse' }] }, recordedDate: OLD }),
      r({ resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject, authoredOn: '2010-01-01' }),
      r({ resourceType: 'MedicationRequest', status: 'on-hold', intent: 'order', subject, authoredOn: OLD }),
    ]) {
      expect(isInCareWindow(resource, START), resource.resourceType).toBe(true);
    }
  });

  it('keeps an encounter still open, and anything without a clinical date', () => {
    expect(
      isInCareWindow(r({ resourceType: 'Encounter', status: 'in-progress', subject, period: { start: '2020-01-01T00:00:00Z' } }), START),
    ).toBe(true);
    expect(isInCareWindow(r({ resourceType: 'Observation', status: 'final', code: {}, subject }), START)).toBe(true);
    expect(isInCareWindow(r({ resourceType: 'Location', id: 'ward-a' }), START)).toBe(true);
    expect(
      careEndMs(r({ resourceType: 'Observation', status: 'final', code: {}, subject, effectiveDateTime: 'not a date' })),
    ).toBeUndefined();
  });

  it('reads a partial date as the end of its year, month or day', () => {
    expect(dateUpperBoundMs('2025')).toBe(Date.parse('2026-01-01T00:00:00Z') - 1);
    expect(dateUpperBoundMs('2025-12')).toBe(Date.parse('2026-01-01T00:00:00Z') - 1);
    expect(dateUpperBoundMs('2025-12-31')).toBe(Date.parse('2026-01-01T00:00:00Z') - 1);
    expect(dateUpperBoundMs('2025-12-31T23:00:00+02:00')).toBe(Date.parse('2025-12-31T21:00:00Z'));
    expect(isInCareWindow(r({ resourceType: 'DocumentReference', status: 'current', subject, date: '2025-12-31' }), START)).toBe(false);
    expect(isInCareWindow(r({ resourceType: 'DocumentReference', status: 'current', subject, date: '2026-01' }), START)).toBe(true);
  });
});
