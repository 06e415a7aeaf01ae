import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { endOfChain, replacedBy } from './index.js';

const links = (next: Record<string, string>) => async (id: string) => next[id] ?? null;
const same = (id: string) => id;

describe('endOfChain', () => {
  it('follows a chain of any length to the record with no next, and stops at once when there is none', async () => {
    const next: Record<string, string> = {};
    for (let k = 0; k < 50; k++) next[`p${k}`] = `p${k + 1}`;
    expect(await endOfChain('p0', same, links(next))).toBe('p50');
    expect(await endOfChain('p50', same, links(next))).toBe('p50');
    expect(await endOfChain('alone', same, links(next))).toBe('alone');
  });

  it('has no end for a chain that comes back to a record it passed (a cycle, a record pointing at itself)', async () => {
    expect(await endOfChain('a', same, links({ a: 'b', b: 'c', c: 'a' }))).toBeNull();
    expect(await endOfChain('x', same, links({ x: 'a', a: 'b', b: 'a' }))).toBeNull();
    expect(await endOfChain('self', same, links({ self: 'self' }))).toBeNull();
  });
});

describe('replacedBy', () => {
  const patient = (reference: string, type: 'replaced-by' | 'replaces' = 'replaced-by'): Patient => ({
    resourceType: 'Patient',
    link: [{ other: { reference }, type }],
  });

  it('reads the Patient a merged-away record was merged into', () => {
    expect(replacedBy(patient('Patient/p-2'))).toBe('p-2');
    expect(replacedBy({ resourceType: 'Patient' })).toBeNull();
    expect(replacedBy(patient('Patient/p-2', 'replaces'))).toBeNull();
  });

  it('follows nothing but a plain reference to a Patient id', () => {
    for (const reference of ['Practitioner/p-2', 'Patient/', 'Patient/a/b', 'https://ehr.example/Patient/p-2', 'Patient/a b']) {
      expect(replacedBy(patient(reference))).toBeNull();
    }
  });
});
