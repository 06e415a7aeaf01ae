// A workstation's documentation names only records the hub holds for its own patient, over TLS on
// both storage engines: an Observation whose encounter, or a dose whose order, the hub never held is
// refused with 422 REFERENCE_NOT_FOUND (from a signed-in nurse, and from the outbox's transaction
// naming her), naming the element and not the id, and nothing is stored; so is one naming another
// patient's stay or order, of this ward or of another, with the very same answer (status, code and
// text), so the answer tells no record of another patient from one that does not exist; a reference
// to a record created in the same transaction is judged the same way, whatever the entry order. A
// patient the hub does not hold is refused as one off the ward is (403 OUT_OF_SCOPE, the same answer
// whether or not they exist). A stay the hub deleted (merged away, withdrawn by the EHR) is still a
// record it held, and the nurse's own `Practitioner/{user id}` is her account, not a stored
// Practitioner: both are taken. Documentation made on a patient the ADT feed then merged into another
// (A40), naming the merged-away patient's stay, order and a stay deleted before the merge, is taken
// when the outbox resends it.
import { randomUUID } from 'node:crypto';
import { Hl7Message } from '@medplum/core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, MedicationAdministration, MedicationRequest, Observation, Patient } from '../../shared/fhir/index.js';
import { MRN_SYSTEM } from '../../shared/fhir/index.js';
import { hubErrorCode } from '../../shared/auth/index.js';
import { deleteResources } from '../../server/fhir/index.js';
import { addFeed, receiveAdtMessage } from '../../server/integration/index.js';
import { adtMessage } from '../support/hl7-sender.js';
import { hl7Calendar } from '../support/hl7-time.js';
import { wardNurseSession } from '../support/ward-nurse-session.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, encounter, observation, outboxUpload, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

describe.each<HubEngine>(['sqlite', 'postgres'])('references to records the hub does not hold, on %s', (engine) => {
  let hub: TestHub;
  let device: TestDevice;
  let nurse: TestDevice;
  let nurseId: string;
  let onA: AdmittedPatient;
  let neighbour: AdmittedPatient;
  let offWard: AdmittedPatient;
  let staleStay: AdmittedPatient;
  const orderId = `mr-${randomUUID()}`;
  const neighbourOrderId = `mr-${randomUUID()}`;
  const offWardOrderId = `mr-${randomUUID()}`;

  function order(id: string, patientId: string): MedicationRequest {
    return {
      resourceType: 'MedicationRequest',
      id,
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: '197361' }] },
      subject: { reference: `Patient/${patientId}` },
    };
  }

  /** How many resources of any type but Patient and Encounter the hub holds (live) for `patientId`, read from its store. */
  async function stored(patientId: string): Promise<number> {
    const rows = await hub.db.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM fhir_resources WHERE patient_id = $1 AND res_type NOT IN ('Patient', 'Encounter', 'MedicationRequest') AND deleted = 0`,
      [patientId],
    );
    return Number(rows[0]!.n);
  }

  /** The status and the OperationOutcome of a refusal, to compare two answers whole. */
  async function answerOf(response: Response): Promise<{ status: number; body: unknown }> {
    return { status: response.status, body: await response.json() };
  }

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

  /** The ADT feed merges `priorId`'s record into `survivorId`'s (A40 at `when`): its live records are re-keyed. */
  async function mergeByAdt(survivorId: string, priorId: string, when: string): Promise<void> {
    const mrnOf = async (patientId: string): Promise<string> => {
      const patient = (await (await nurse.fetch(`/fhir/Patient/${patientId}`)).json()) as Patient;
      return patient.identifier!.find((identifier) => identifier.system === MRN_SYSTEM)!.value!;
    };
    const { secret } = await addFeed(hub.db, { name: `ehr-${randomUUID()}`, application: 'EHR', facility: 'GENERAL' }, new Date());
    const merge = adtMessage({
      secret,
      controlId: `MRG${randomUUID().slice(0, 8)}`,
      event: 'A40',
      at: when,
      mrn: await mrnOf(survivorId),
      priorMrn: await mrnOf(priorId),
    });
    const answer = await receiveAdtMessage(
      { db: hub.db, logger: pino({ level: 'silent' }), clock: () => new Date() },
      Hl7Message.parse(merge.replaceAll('\n', '\r')),
    );
    expect(answer.outcome, answer.ack.toString()).toBe('applied');
  }

  beforeAll(async () => {
    hub = await startHub({ engine, rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
    await seedWard(hub.db, 'a');
    await seedWard(hub.db, 'b');
    onA = await admitPatient(hub.db, 'a', { extra: (id) => [order(orderId, id)] });
    neighbour = await admitPatient(hub.db, 'a', { extra: (id) => [order(neighbourOrderId, id)] });
    offWard = await admitPatient(hub.db, 'b', { extra: (id) => [order(offWardOrderId, id)] });
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

  it("refuses documentation naming another patient's stay, of this ward or another, with the answer a missing stay gets, storing nothing", async () => {
    const onStay = (encounterId: string): Observation => ({
      ...observation(onA.patientId),
      encounter: { reference: `Encounter/${encounterId}` },
    });
    const outbox = (resource: Observation) => outboxUpload([resource], { userId: nurseId, recorded: new Date().toISOString() });
    const missingStay = onStay(`e-${randomUUID()}`);
    const missing = await answerOf(await nurse.fetch('/fhir/Observation', { body: missingStay }));
    expect(missing.status).toBe(422);
    expect(hubErrorCode(missing.body as never)).toBe('REFERENCE_NOT_FOUND');
    const missingFromOutbox = await answerOf(await device.fetch('/fhir', { body: outbox(missingStay) }));
    expect(missingFromOutbox.status).toBe(422);
    const before = await Promise.all([onA, neighbour, offWard].map((p) => stored(p.patientId)));
    for (const other of [neighbour, offWard]) {
      const fromSession = await answerOf(await nurse.fetch('/fhir/Observation', { body: onStay(other.encounterId) }));
      expect(fromSession).toEqual(missing);
      expect(JSON.stringify(fromSession.body)).not.toContain(other.encounterId);
      expect(await answerOf(await device.fetch('/fhir', { body: outbox(onStay(other.encounterId)) }))).toEqual(missingFromOutbox);
    }
    expect(await Promise.all([onA, neighbour, offWard].map((p) => stored(p.patientId)))).toEqual(before);
  });

  it("refuses a dose given on another patient's order, of this ward or another, with the answer a missing order gets", async () => {
    const missing = await answerOf(
      await nurse.fetch('/fhir/MedicationAdministration', { body: administration(onA.patientId, `mr-${randomUUID()}`) }),
    );
    expect(missing.status).toBe(422);
    expect(hubErrorCode(missing.body as never)).toBe('REFERENCE_NOT_FOUND');
    const before = await Promise.all([onA, offWard].map((p) => stored(p.patientId)));
    for (const otherOrder of [neighbourOrderId, offWardOrderId]) {
      const answer = await answerOf(
        await nurse.fetch('/fhir/MedicationAdministration', { body: administration(onA.patientId, otherOrder) }),
      );
      expect(answer).toEqual(missing);
    }
    // The neighbour's own dose on the neighbour's order is taken.
    expect(
      (await nurse.fetch('/fhir/MedicationAdministration', { body: administration(neighbour.patientId, neighbourOrderId) })).status,
    ).toBe(201);
    expect(await Promise.all([onA, offWard].map((p) => stored(p.patientId)))).toEqual(before);
  });

  it('judges a reference to a record created in the same transaction by its patient, whatever the entry order', async () => {
    /** Two new readings of patient A, the second derived from the first, which is `firstOf`'s: in that order or reversed. */
    const transaction = (firstOf: AdmittedPatient, reversed: boolean): Record<string, unknown> => {
      const first = `urn:uuid:${randomUUID()}`;
      const entries = [
        {
          fullUrl: first,
          resource: observation(firstOf.patientId, { identifier: randomUUID() }),
          request: { method: 'POST', url: 'Observation' },
        },
        {
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: { ...observation(onA.patientId, { identifier: randomUUID() }), derivedFrom: [{ reference: first }] },
          request: { method: 'POST', url: 'Observation' },
        },
      ];
      return { resourceType: 'Bundle', type: 'transaction', entry: reversed ? entries.reverse() : entries };
    };
    const before = await Promise.all([onA, neighbour].map((p) => stored(p.patientId)));
    for (const reversed of [false, true]) {
      await expectRefused(await nurse.fetch('/fhir', { body: transaction(neighbour, reversed) }), 422, 'REFERENCE_NOT_FOUND');
    }
    expect(await Promise.all([onA, neighbour].map((p) => stored(p.patientId)))).toEqual(before);
    for (const reversed of [false, true]) {
      expect((await nurse.fetch('/fhir', { body: transaction(onA, reversed) })).status).toBe(200);
    }
    expect(await stored(neighbour.patientId)).toBe(before[1]);
    // Four readings and the hub's Provenance of each transaction.
    expect(await stored(onA.patientId)).toBe(before[0]! + 6);
  });

  it("refuses an outbox Provenance filed on one patient that covers another patient's documentation", async () => {
    const upload = outboxUpload([observation(neighbour.patientId, { identifier: randomUUID() })], {
      userId: nurseId,
      recorded: new Date().toISOString(),
    }) as { entry: { resource: { resourceType: string; target?: { reference: string }[] } }[] };
    const provenance = upload.entry.find((entry) => entry.resource.resourceType === 'Provenance')!.resource;
    provenance.target = [
      ...provenance.target!.filter((t) => !t.reference.startsWith('Patient/')),
      { reference: `Patient/${onA.patientId}` },
    ];
    const before = await Promise.all([onA, neighbour].map((p) => stored(p.patientId)));
    await expectRefused(await device.fetch('/fhir', { body: upload }), 422, 'REFERENCE_NOT_FOUND');
    expect(await Promise.all([onA, neighbour].map((p) => stored(p.patientId)))).toEqual(before);
  });

  it('refuses a patient the hub never held as one off the ward (403 OUT_OF_SCOPE)', async () => {
    await expectRefused(await nurse.fetch('/fhir/Observation', { body: observation(`p-${randomUUID()}`) }), 403, 'OUT_OF_SCOPE');
  });

  it("takes documentation made before an A40 merge, naming the merged-away patient's stay, order and a stay deleted before it", async () => {
    const at = hl7Calendar();
    const oldStay = `e-${randomUUID()}`;
    const priorOrder = `mr-${randomUUID()}`;
    const survivor = await admitPatient(hub.db, 'a');
    const prior = await admitPatient(hub.db, 'a', {
      extra: (id) => [order(priorOrder, id), encounter(oldStay, id, 'a', 'finished', 2)],
    });
    await deleteResources(hub.db, [{ type: 'Encounter', id: oldStay }], new Date());
    // Recorded on the prior record while the workstation could not reach the hub.
    const recorded = new Date().toISOString();
    const made = [
      { ...observation(prior.patientId), encounter: { reference: `Encounter/${prior.encounterId}` } },
      { ...observation(prior.patientId), encounter: { reference: `Encounter/${oldStay}` } },
      administration(prior.patientId, priorOrder),
    ];
    // The ADT feed merges the prior record into the survivor: its live records are re-keyed, the deleted stay stays the prior's.
    await mergeByAdt(survivor.patientId, prior.patientId, at('090000'));
    // The outbox resends it after the downtime: taken, on the survivor.
    for (const resource of made) {
      const uploaded = await device.fetch('/fhir', { body: outboxUpload([resource], { userId: nurseId, recorded }) });
      expect(uploaded.status, JSON.stringify(await uploaded.clone().json())).toBe(200);
    }
    expect(await stored(prior.patientId)).toBe(0);
    expect(await documented(survivor.patientId)).toBe(3);
    // Each with its Provenance, on the survivor.
    expect(await stored(survivor.patientId)).toBe(6);
  });

  it('answers a retry of documentation delivered before an A40 merge (its answer lost) as delivered, storing it once on the survivor', async () => {
    const at = hl7Calendar();
    const priorOrder = `mr-${randomUUID()}`;
    const survivor = await admitPatient(hub.db, 'a');
    const prior = await admitPatient(hub.db, 'a', { extra: (id) => [order(priorOrder, id)] });
    const recorded = new Date().toISOString();
    const uploads = [
      { ...observation(prior.patientId), encounter: { reference: `Encounter/${prior.encounterId}` } },
      administration(prior.patientId, priorOrder),
    ].map((resource) => outboxUpload([resource], { userId: nurseId, recorded }));
    for (const upload of uploads) {
      const delivered = await device.fetch('/fhir', { body: upload });
      expect(delivered.status, JSON.stringify(await delivered.clone().json())).toBe(200);
    }
    // The answers were lost; the ADT feed merges the prior record into the survivor before the retry.
    await mergeByAdt(survivor.patientId, prior.patientId, at('090000'));
    for (const upload of uploads) {
      const again = await device.fetch('/fhir', { body: upload });
      expect(again.status, JSON.stringify(await again.clone().json())).toBe(200);
    }
    expect(await stored(prior.patientId)).toBe(0);
    expect(await documented(survivor.patientId)).toBe(2);
    expect(await stored(survivor.patientId)).toBe(4);
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
