// Conditional references in transactions, with a FHIR client nobody here wrote (fhir-kit-client):
// `Practitioner?identifier=…` is resolved to the one Practitioner it matches, and the transaction
// is refused with 412 (nothing stored) when it matches none or more than one, whatever the order of
// the entries. A plain create, an update and a batch entry resolve them the same way, so no write
// stores a reference that points nowhere. Synthetic data only.
import { Agent } from 'undici';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Observation, Practitioner } from '../../shared/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, USER_TOKEN_HEADER, type TestHub } from '../support/hub-harness.js';
import { admitPatient, feedResources, observation, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

const STAFF = 'urn:wardline:staff';

function practitioner(id: string, staffNumber: string): Practitioner {
  return { resourceType: 'Practitioner', id, identifier: [{ system: STAFF, value: staffNumber }], name: [{ family: 'Refington' }] };
}

describe('conditional references in a transaction (fhir-kit-client)', () => {
  let hub: TestHub;
  let admitted: AdmittedPatient;
  let dispatcher: Agent;
  let client: Client;
  let nurseRef = '';

  const transaction = (entries: Observation[]): Bundle =>
    ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: entries.map((resource) => ({ resource, request: { method: 'POST', url: 'Observation' } })),
    }) as Bundle;

  const performedBy = (staffNumber: string, value: number): Observation => ({
    ...observation(admitted.patientId, { value }),
    performer: [{ reference: `Practitioner?identifier=${STAFF}|${staffNumber}` }],
  });

  const storedObservations = async (): Promise<number> =>
    Number((await hub.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM fhir_resources WHERE res_type = 'Observation'`))[0]!.n);

  beforeAll(async () => {
    hub = await startHub({ engine: 'sqlite' });
    await seedWard(hub.db, 'a');
    admitted = await admitPatient(hub.db, 'a');
    const { userId } = await addUser(
      hub.db,
      { username: 'cond.nurse', password: 'correct horse battery', role: 'nurse', wards: ['a'], mfa: false },
      new Date(Date.now() - 86_400_000),
    );
    // The one match is the signed-in user's own Practitioner: documentation names its recorder only.
    nurseRef = `Practitioner/${userId}`;
    await feedResources(hub.db, [practitioner(userId, 'S10001'), practitioner('pr-twin-1', 'S20002'), practitioner('pr-twin-2', 'S20002')]);
    const device = await hub.enrollDevice('a');
    const userToken = await device.login('cond.nurse', 'correct horse battery');
    dispatcher = new Agent({ connect: { ca: hub.caPem } });
    client = new Client({
      baseUrl: hub.fhirUrl,
      bearerToken: await device.accessToken(),
      customHeaders: { [USER_TOKEN_HEADER]: userToken },
      requestOptions: { dispatcher },
    });
  });

  afterAll(async () => {
    await dispatcher?.close();
    await hub?.stop();
  });

  it('resolves a reference that matches one resource, and stores it as Type/id', async () => {
    const answer = (await client.transaction({ body: transaction([performedBy('S10001', 71)]) as never })) as unknown as Bundle;
    const location = answer.entry?.[0]?.response?.location ?? '';
    const id = /Observation\/([^/]+)\//.exec(location)?.[1];
    const stored = (await client.read({ resourceType: 'Observation', id: id! })) as unknown as Observation;
    expect(stored.performer).toEqual([{ reference: nurseRef }]);
  });

  it('refuses the whole transaction with 412 when a reference matches nothing, whatever the entry order', async () => {
    const before = await storedObservations();
    for (const entries of [
      [performedBy('S10001', 72), performedBy('S99999', 73)],
      [performedBy('S99999', 73), performedBy('S10001', 72)],
    ]) {
      await expect(client.transaction({ body: transaction(entries) as never })).rejects.toMatchObject({
        response: { status: 412, data: { issue: [{ details: { coding: [{ code: 'CONDITIONAL_REFERENCE_NO_MATCH' }] } }] } },
      });
    }
    expect(await storedObservations()).toBe(before);
  });

  it('refuses the whole transaction with 412 when a reference matches more than one resource', async () => {
    const before = await storedObservations();
    await expect(
      client.transaction({ body: transaction([performedBy('S10001', 74), performedBy('S20002', 75)]) as never }),
    ).rejects.toMatchObject({
      response: { status: 412, data: { issue: [{ details: { coding: [{ code: 'MULTIPLE_MATCHES' }] } }] } },
    });
    expect(await storedObservations()).toBe(before);
  });

  it('resolves them in a plain create, an update and a batch entry too, refusing (412) only the write that matches none or several', async () => {
    const created = (await client.create({
      resourceType: 'Observation',
      body: performedBy('S10001', 76) as never,
    })) as unknown as Observation;
    expect(created.performer).toEqual([{ reference: nurseRef }]);
    const before = await storedObservations();
    await expect(client.create({ resourceType: 'Observation', body: performedBy('S99999', 77) as never })).rejects.toMatchObject({
      response: { status: 412, data: { issue: [{ details: { coding: [{ code: 'CONDITIONAL_REFERENCE_NO_MATCH' }] } }] } },
    });
    await expect(
      client.update({
        resourceType: 'Observation',
        id: created.id!,
        body: { ...created, ...performedBy('S20002', 78), id: created.id } as never,
      }),
    ).rejects.toMatchObject({
      response: { status: 412, data: { issue: [{ details: { coding: [{ code: 'MULTIPLE_MATCHES' }] } }] } },
    });
    const unchanged = (await client.read({ resourceType: 'Observation', id: created.id! })) as unknown as Observation;
    expect(unchanged.meta?.versionId).toBe(created.meta?.versionId);
    expect(await storedObservations()).toBe(before);
    const batch = (await client.batch({
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [performedBy('S99999', 79), performedBy('S10001', 80)].map((resource) => ({
          resource,
          request: { method: 'POST', url: 'Observation' },
        })),
      } as never,
    })) as unknown as Bundle;
    expect(batch.entry?.map((entry) => entry.response?.status)).toEqual(['412', '201 Created']);
    expect(await storedObservations()).toBe(before + 1);
    const stored = await hub.db.query<{ content: string }>(
      `SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = 'Observation'`,
    );
    expect(stored.map((row) => row.content).filter((content) => content.includes('Practitioner?'))).toEqual([]);
  });
});
