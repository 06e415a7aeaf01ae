// A workstation's documentation names only records the hub holds, over TLS on both storage engines:
// an Observation whose encounter, or a dose whose order, the hub never held is refused with 422
// REFERENCE_NOT_FOUND (from a signed-in nurse, and from the outbox's transaction naming her), naming
// the element and not the id, and nothing is stored; a patient the hub does not hold is refused as
// one off the ward is (403 OUT_OF_SCOPE, the same answer whether or not they exist). A stay the hub
// deleted (merged away, withdrawn by the EHR) is still a record it held, and the nurse's own
// `Practitioner/{user id}` is her account, not a stored Practitioner: both are taken.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, MedicationAdministration, Observation } from '../../shared/fhir/index.js';
import { hubErrorCode } from '../../shared/auth/index.js';
import { deleteResources } from '../../server/fhir/index.js';
import { wardNurseSession } from '../support/ward-nurse-session.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, observation, outboxUpload, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

describe.each<HubEngine>(['sqlite', 'postgres'])('references to records the hub does not hold, on %s', (engine) => {
  let hub: TestHub;
  let device: TestDevice;
  let nurse: TestDevice;
  let nurseId: string;
  let onA: AdmittedPatient;
  let staleStay: AdmittedPatient;
  const orderId = `mr-${randomUUID()}`;

  /** How many Observations and MedicationAdministrations the hub holds for `patientId`. */
  async function documented(patientId: string): Promise<number> {
    let count = 0;
    for (const type of ['Observation', 'MedicationAdministration']) {
      const bundle = (await (await nurse.fetch(`/fhir/${type}?patient=${patientId}`)).json()) as Bundle;
      count += bundle.entry?.length ?? 0;
    }
    return count;
  }

  async function expectRefused(response: Response, status: number, code: string, secret?: string): Promise<void> {
    const outcome = (await response.json()) as { resourceType: string; issue: { diagnostics?: string; expression?: string[] }[] };
    expect(response.status, JSON.stringify(outcome)).toBe(status);
    expect(hubErrorCode(outcome)).toBe(code);
    if (secret !== undefined) expect(JSON.stringify(outcome)).not.toContain(secret);
  }

  function administration(patientId: string, requestId: string): MedicationAdministration {
    return {
      resourceType: 'MedicationAdministration',
      status: 'completed',
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: '197361' }] },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: new Date().toISOString(),
      request: { reference: `MedicationRequest/${requestId}` },
    };
  }

  beforeAll(async () => {
    hub = await startHub({ engine, rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
    await seedWard(hub.db, 'a');
    onA = await admitPatient(hub.db, 'a', {
      extra: (id) => [
        {
          resourceType: 'MedicationRequest',
          id: orderId,
          status: 'active',
          intent: 'order',
          medicationCodeableConcept: { coding: [{ system: RXNORM, code: '197361' }] },
          subject: { reference: `Patient/${id}` },
        },
      ],
    });
    staleStay = await admitPatient(hub.db, 'a');
    ({ userId: nurseId, device, nurse } = await wardNurseSession(hub, 'a', 'nurse.a', PASSWORD));
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('refuses an Observation on a stay the hub never held, from a session and from the outbox (422), storing nothing', async () => {
    const missing = `e-${randomUUID()}`;
    const onMissingStay: Observation = { ...observation(onA.patientId), encounter: { reference: `Encounter/${missing}` } };
    await expectRefused(await nurse.fetch('/fhir/Observation', { body: onMissingStay }), 422, 'REFERENCE_NOT_FOUND', missing);
    const upload = outboxUpload([onMissingStay], { userId: nurseId, recorded: new Date().toISOString() });
    await expectRefused(await device.fetch('/fhir', { body: upload }), 422, 'REFERENCE_NOT_FOUND', missing);
    expect(await documented(onA.patientId)).toBe(0);
  });

  it('refuses a dose given on an order the hub never held (422), and takes it on the order it holds', async () => {
    const missing = `mr-${randomUUID()}`;
    const response = await nurse.fetch('/fhir/MedicationAdministration', { body: administration(onA.patientId, missing) });
    await expectRefused(response, 422, 'REFERENCE_NOT_FOUND', missing);
    expect(await documented(onA.patientId)).toBe(0);
    const given = await nurse.fetch('/fhir/MedicationAdministration', { body: administration(onA.patientId, orderId) });
    expect(given.status).toBe(201);
  });

  it('refuses a patient the hub never held as one off the ward (403 OUT_OF_SCOPE)', async () => {
    await expectRefused(await nurse.fetch('/fhir/Observation', { body: observation(`p-${randomUUID()}`) }), 403, 'OUT_OF_SCOPE');
  });

  it('takes documentation on the patient’s stay, on a stay the hub deleted, and with the nurse as performer', async () => {
    const onStay: Observation = {
      ...observation(onA.patientId),
      encounter: { reference: `Encounter/${onA.encounterId}` },
      performer: [{ reference: `Practitioner/${nurseId}` }],
    };
    expect((await nurse.fetch('/fhir/Observation', { body: onStay })).status).toBe(201);
    await deleteResources(hub.db, [{ type: 'Encounter', id: staleStay.encounterId }], new Date());
    const onDeletedStay: Observation = {
      ...observation(staleStay.patientId, { identifier: randomUUID() }),
      encounter: { reference: `Encounter/${staleStay.encounterId}` },
    };
    const upload = outboxUpload([onDeletedStay], { userId: nurseId, recorded: new Date().toISOString() });
    const uploaded = await device.fetch('/fhir', { body: upload });
    expect(uploaded.status).toBe(200);
    // The patient's only stay is gone, so the ward no longer reads them: the transaction's answer says it was created.
    const answer = (await uploaded.json()) as Bundle;
    expect(answer.entry?.[0]?.response?.status).toMatch(/^201/);
    expect(answer.entry?.[0]?.response?.location).toMatch(/\/fhir\/Observation\//);
  });
});
