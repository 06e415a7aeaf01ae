// A FHIR client nobody here wrote (fhir-kit-client) talks to the hub: it trusts the hub's CA via a
// fetch dispatcher and sends the device token as its bearer token; it reads, searches, follows next
// pages and reads the CapabilityStatement.
import { Agent } from 'undici';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Patient } from '../../shared/fhir/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, observation, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

describe('fhir-kit-client against the hub', () => {
  let hub: TestHub;
  let device: TestDevice;
  let admitted: AdmittedPatient;
  let dispatcher: Agent;
  let client: Client;

  beforeAll(async () => {
    hub = await startHub({ engine: 'sqlite' });
    await seedWard(hub.db, 'a');
    admitted = await admitPatient(hub.db, 'a', {
      extra: (id) => Array.from({ length: 7 }, (_, i) => observation(id, { id: `kit-${i}-${id.slice(2, 10)}`, value: 60 + i })),
    });
    device = await hub.enrollDevice('a');
    dispatcher = new Agent({ connect: { ca: hub.caPem } });
    client = new Client({ baseUrl: hub.fhirUrl, bearerToken: await device.accessToken(), requestOptions: { dispatcher } });
  });

  afterAll(async () => {
    await dispatcher?.close();
    await hub?.stop();
  });

  it('reads the CapabilityStatement', async () => {
    const statement = (await client.capabilityStatement()) as unknown as { fhirVersion: string };
    expect(statement.fhirVersion).toBe('4.0.1');
  });

  it('reads a patient and searches the census', async () => {
    const patient = (await client.read({ resourceType: 'Patient', id: admitted.patientId })) as unknown as Patient;
    expect(patient.id).toBe(admitted.patientId);
    const census = (await client.search({
      resourceType: 'Encounter',
      searchParams: { location: 'Location/ward-a', status: 'in-progress', _include: 'Encounter:patient' },
    })) as unknown as Bundle;
    expect(census.entry?.map((e) => e.resource?.resourceType).sort()).toEqual(['Encounter', 'Patient']);
  });

  it('follows next pages of a search', async () => {
    const first = (await client.search({
      resourceType: 'Observation',
      searchParams: { patient: admitted.patientId, _count: 3 },
    })) as unknown as Bundle;
    const ids = (first.entry ?? []).map((e) => e.resource!.id);
    let page: Bundle | undefined = first;
    while (page) {
      page = (await client.nextPage({ bundle: page as never })) as unknown as Bundle | undefined;
      if (!page) break;
      ids.push(...(page.entry ?? []).map((e) => e.resource!.id));
    }
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });

  it('sees a refusal as the hub sends it (401 without a token)', async () => {
    const anonymous = new Client({ baseUrl: hub.fhirUrl, requestOptions: { dispatcher } });
    await expect(anonymous.read({ resourceType: 'Patient', id: admitted.patientId })).rejects.toMatchObject({ response: { status: 401 } });
  });
});
