import { describe, expect, it } from 'vitest';
import { combinedResources, defaultChoices } from './combine.js';
import { sameJson } from '../../../../shared/json/index.js';
import { differingFields, fieldRows, pairResources, shownRows } from './field-diff.js';
import { fieldText, rowText } from './field-text.js';

const local = {
  resourceType: 'Observation',
  id: 'obs-1',
  meta: { versionId: '1' },
  status: 'final',
  code: { text: 'Heart rate' },
  effectiveDateTime: '2026-03-12T10:00:00Z',
  valueQuantity: { value: 88, unit: '/min' },
  note: [{ text: 'after walking' }],
};
const hub = {
  resourceType: 'Observation',
  id: 'obs-1',
  meta: { versionId: '3', lastUpdated: '2026-03-12T11:00:00Z' },
  status: 'amended',
  code: { text: 'Heart rate' },
  effectiveDateTime: '2026-03-12T10:00:00Z',
  valueQuantity: { unit: '/min', value: 92 },
};

describe('the side-by-side view of a conflict', () => {
  it('pairs each resource with the hub version of it', () => {
    const pairs = pairResources([local], [hub, { resourceType: 'Provenance', id: 'p1' }]);
    expect(pairs.map((p) => [p.key, p.local !== null, p.hub !== null])).toEqual([
      ['Observation/obs-1', true, true],
      ['Provenance/p1', false, true],
    ]);
  });

  it('shows an observation in clinical reading order (what, value, time, status, note), marking what differs', () => {
    const rows = fieldRows(pairResources([local], [hub])[0]!);
    expect(rows.slice(0, 5).map((r) => [r.label, r.differs])).toEqual([
      ['What was recorded', false],
      ['Value', true],
      ['Time', false],
      ['Status', true],
      ['Note', true],
    ]);
    expect(rows.find((r) => r.field === 'note')?.differs).toBe(true);
    expect(rows.some((r) => r.field === 'meta' || r.field === 'id')).toBe(false);
  });

  it('compares values whatever their key order; a reading’s notes are shown, never chosen between', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(differingFields(pairResources([local], [hub])[0]!)).toEqual(['valueQuantity', 'status']);
  });

  it('shows links to other records (patient, admission, identifiers) only where the versions differ', () => {
    const linked = { subject: { reference: 'Patient/p-1' }, encounter: { reference: 'Encounter/e-1' }, identifier: [{ value: 'x' }] };
    const same = shownRows(pairResources([{ ...local, ...linked }], [{ ...hub, ...linked }])[0]!);
    expect(same.map((r) => r.field)).not.toContain('subject');
    expect(same.map((r) => r.field)).not.toContain('encounter');
    expect(same.map((r) => r.field)).not.toContain('identifier');
    const moved = shownRows(
      pairResources([{ ...local, ...linked }], [{ ...hub, ...linked, encounter: { reference: 'Encounter/e-2' } }])[0]!,
    );
    expect(moved.find((r) => r.field === 'encounter')).toMatchObject({ label: 'Admission', differs: true });
    // Still compared, so a combination can take either.
    expect(
      differingFields(pairResources([{ ...local, ...linked }], [{ ...hub, ...linked, encounter: { reference: 'Encounter/e-2' } }])[0]!),
    ).toContain('encounter');
  });

  it('writes statuses in words and never a record id for a link without a name', () => {
    expect(rowText('status', 'entered-in-error')).toBe('Entered in error');
    expect(rowText('status', 'final')).toBe('Final');
    expect(rowText('performer', [{ reference: 'Practitioner/u-1', display: 'Nina Okafor' }])).toBe('Nina Okafor');
    expect(rowText('performer', [{ reference: 'Practitioner/u-1' }])).toBe('(not named in the record)');
  });

  it('writes field values in plain words', () => {
    expect(fieldText({ value: 92, unit: '/min' })).toBe('92 /min');
    expect(fieldText({ coding: [{ code: 'x', display: 'Systolic' }] })).toBe('Systolic');
    expect(fieldText([{ code: { text: 'Systolic' }, valueQuantity: { value: 120, unit: 'mm[Hg]' } }])).toBe('Systolic: 120 mmHg');
    expect(fieldText(undefined)).toBe('(not recorded)');
  });
});

describe('combining both versions', () => {
  it("takes the chosen fields from each version and keeps the hub's version id", () => {
    const choices = defaultChoices([local], [hub]);
    expect(choices).toEqual({ 'Observation/obs-1': { valueQuantity: 'mine', status: 'mine' } });
    const [combined] = combinedResources([local], [hub], { 'Observation/obs-1': { valueQuantity: 'mine', status: 'hub' } });
    expect(combined).toEqual({ ...hub, valueQuantity: local.valueQuantity, note: local.note });
    expect((combined!.meta as { versionId: string }).versionId).toBe('3');
  });

  it('drops a field the user took from the version that lacks it, but keeps the notes of both versions', () => {
    const flagged = { ...hub, interpretation: [{ text: 'High' }] };
    const [combined] = combinedResources([local], [flagged], { 'Observation/obs-1': { interpretation: 'mine', valueQuantity: 'hub' } });
    expect(combined).not.toHaveProperty('interpretation');
    expect(combined!.note).toEqual(local.note);
  });

  it('sends a resource the hub does not have as documented here, and nothing the hub alone has', () => {
    const combined = combinedResources([local], [{ resourceType: 'Provenance', id: 'p1' }], {});
    expect(combined).toEqual([local]);
  });
});
