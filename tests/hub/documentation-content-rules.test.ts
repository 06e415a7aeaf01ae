// The hub enforces again what the workstation enforces, over TLS, for an enrolled device and a
// signed-in nurse: a vital sign out of its physiological range, in another unit than its code's, or
// without a value is refused with 422 in a POST, a PUT, a transaction entry and a batch entry; a
// change to recorded documentation without If-Match is refused with 428; a changed reading that
// keeps "final" (or a dose edited in place) is refused with 422. Each refusal changes nothing and
// echoes no value. The workstation's own correction and retraction, built by its amend and outbox
// code, are still taken; so is a retraction of an implausible record the EHR sent.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedicationAdministration, Observation, Resource } from '../../shared/fhir/index.js';
import { hubErrorCode } from '../../shared/auth/index.js';
import { addUser } from '../../server/identity/index.js';
import { amendedResource, documentationProvenance } from '../../electron/documentation/test-helpers.js';
import { outboxBundle } from '../../electron/sync/test-helpers.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, observation, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;
const TEST_SYSTEM = 'urn:wardline:test:vitals-rules';

let hub: TestHub;
let device: TestDevice;
let nurseSession: TestDevice;
let onA: AdmittedPatient;
let nurse: string;
const heartRate = `obs-${randomUUID()}`;
const forAmend = `obs-${randomUUID()}`;
const forRetraction = `obs-${randomUUID()}`;
const ehrImplausible = `obs-${randomUUID()}`;
const dose = `ma-${randomUUID()}`;

function administration(patientId: string, id: string): MedicationAdministration {
  return {
    resourceType: 'MedicationAdministration',
    id,
    status: 'completed',
    medicationCodeableConcept: {
      coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361' }],
      text: 'Amlodipine 5 mg',
    },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2024-01-02T09:00:00Z',
    dosage: { dose: { value: 5, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } },
  };
}

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
  await seedWard(hub.db, 'a');
  onA = await admitPatient(hub.db, 'a', {
    extra: (id) => [
      observation(id, { id: heartRate, value: 79 }),
      observation(id, { id: forAmend, value: 80 }),
      observation(id, { id: forRetraction, value: 81 }),
      // What the EHR holds is the EHR's: the mirror and the feeds store it as sent, implausible or not.
      observation(id, { id: ehrImplausible, value: 999 }),
      administration(id, dose),
    ],
  });
  device = await hub.enrollDevice('a');
  const since = new Date(Date.now() - 2 * DAY);
  nurse = (await addUser(hub.db, { username: 'nurse.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false }, since)).userId;
  nurseSession = await device.signedIn('nurse.a', PASSWORD);
});

afterAll(async () => {
  await hub?.stop();
});

async function hubCopy<T extends Resource = Observation>(id: string, type = 'Observation'): Promise<T> {
  const response = await device.fetch(`/fhir/${type}/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

async function storedWithIdentifier(value: string): Promise<number> {
  const response = await device.fetch(`/fhir/Observation?identifier=${encodeURIComponent(`${TEST_SYSTEM}|${value}`)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { entry?: unknown[] }).entry?.length ?? 0;
}

/** A new heart rate of patient A, as a workstation would send it, with `change` applied. */
function newReading(tag: string, change: Partial<Observation> = {}): Observation {
  const { id: _id, ...body } = observation(onA.patientId);
  return { ...body, identifier: [{ system: TEST_SYSTEM, value: tag }], ...change };
}

/** The refusal: status, stable code, an OperationOutcome that does not echo `secret`. */
async function expectRefused(response: Response, status: number, code: string, secret: string): Promise<void> {
  expect(response.status).toBe(status);
  const outcome = (await response.json()) as { resourceType: string; issue: { diagnostics?: string }[] };
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(hubErrorCode(outcome)).toBe(code);
  expect(outcome.issue[0]?.diagnostics).toMatch(/Nothing was stored\.$/);
  expect(JSON.stringify(outcome)).not.toContain(secret);
}

/** The outbox's transaction: `entries` plus a Provenance naming the nurse for each written resource. */
function outboxTransaction(entries: Record<string, unknown>[], targets: string[]): Record<string, unknown> {
  const provenanceId = randomUUID();
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      ...entries,
      {
        fullUrl: `Provenance/${provenanceId}`,
        resource: {
          resourceType: 'Provenance',
          id: provenanceId,
          target: [...targets.map((reference) => ({ reference })), { reference: `Patient/${onA.patientId}` }],
          recorded: new Date().toISOString(),
          agent: [{ who: { reference: `Practitioner/${nurse}` } }],
        },
        request: { method: 'PUT', url: `Provenance/${provenanceId}` },
      },
    ],
  };
}

describe('vital signs the workstation would refuse', () => {
  it('are refused in a POST: out of range, in another unit, without a value; nothing is stored', async () => {
    const outOfRange = await nurseSession.fetch('/fhir/Observation', {
      body: newReading('post-999', { valueQuantity: { value: 999, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } }),
    });
    await expectRefused(outOfRange, 422, 'IMPLAUSIBLE_VITAL_SIGN', '999');
    const kilograms = await nurseSession.fetch('/fhir/Observation', {
      body: newReading('post-kg', { valueQuantity: { value: 75, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' } }),
    });
    await expectRefused(kilograms, 422, 'IMPLAUSIBLE_VITAL_SIGN', '75');
    const { valueQuantity: _value, ...noValue } = newReading('post-none');
    const missing = await nurseSession.fetch('/fhir/Observation', { body: noValue });
    await expectRefused(missing, 422, 'IMPLAUSIBLE_VITAL_SIGN', 'post-none');
    for (const tag of ['post-999', 'post-kg', 'post-none']) expect(await storedWithIdentifier(tag)).toBe(0);

    const plausible = await nurseSession.fetch('/fhir/Observation', { body: newReading('post-72') });
    expect(plausible.status).toBe(201);
  });

  it('is refused in a PUT with If-Match, even marked corrected, and the reading stays as it was', async () => {
    const before = await hubCopy(heartRate);
    for (const valueQuantity of [
      { ...before.valueQuantity!, value: 999 },
      { value: -5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    ]) {
      const put = await nurseSession.fetch(`/fhir/Observation/${heartRate}`, {
        method: 'PUT',
        body: { ...before, status: 'corrected', valueQuantity },
        headers: { 'if-match': `W/"${before.meta!.versionId}"` },
      });
      await expectRefused(put, 422, 'IMPLAUSIBLE_VITAL_SIGN', String(valueQuantity.value));
    }
    expect(await hubCopy(heartRate)).toEqual(before);
  });

  it('is refused as a transaction entry (the whole transaction is not applied) and as a batch entry (that entry alone)', async () => {
    const good = `urn:uuid:${randomUUID()}`;
    const bad = `urn:uuid:${randomUUID()}`;
    const transaction = outboxTransaction(
      [
        { fullUrl: good, resource: newReading('tx-good'), request: { method: 'POST', url: 'Observation' } },
        {
          fullUrl: bad,
          resource: newReading('tx-bad', {
            valueQuantity: { value: 400, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
          }),
          request: { method: 'POST', url: 'Observation' },
        },
      ],
      [good, bad],
    );
    const refused = await device.fetch('/fhir', { body: transaction });
    await expectRefused(refused, 422, 'IMPLAUSIBLE_VITAL_SIGN', '400');
    expect(await storedWithIdentifier('tx-good')).toBe(0);
    expect(await storedWithIdentifier('tx-bad')).toBe(0);

    const batch = await nurseSession.fetch('/fhir', {
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { resource: newReading('batch-good'), request: { method: 'POST', url: 'Observation' } },
          {
            resource: newReading('batch-bad', {
              valueQuantity: { value: 72, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
            }),
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      },
    });
    expect(batch.status).toBe(200);
    const answers = ((await batch.json()) as { entry: { response: { status: string; outcome?: unknown } }[] }).entry;
    expect(answers[0]!.response.status).toMatch(/^201/);
    expect(answers[1]!.response.status).toBe('422');
    expect(hubErrorCode(answers[1]!.response.outcome)).toBe('IMPLAUSIBLE_VITAL_SIGN');
    expect(await storedWithIdentifier('batch-good')).toBe(1);
    expect(await storedWithIdentifier('batch-bad')).toBe(0);
  });
});

describe('changes to recorded documentation', () => {
  it('are refused without If-Match (428), alone or in the outbox’s transaction, and nothing changes', async () => {
    const before = await hubCopy(heartRate);
    const changed = { ...before, status: 'corrected', valueQuantity: { ...before.valueQuantity!, value: 91 } };
    const put = await nurseSession.fetch(`/fhir/Observation/${heartRate}`, { method: 'PUT', body: changed });
    await expectRefused(put, 428, 'PRECONDITION_REQUIRED', '91');
    const inTransaction = await device.fetch('/fhir', {
      body: outboxTransaction(
        [{ fullUrl: `Observation/${heartRate}`, resource: changed, request: { method: 'PUT', url: `Observation/${heartRate}` } }],
        [`Observation/${heartRate}`],
      ),
    });
    await expectRefused(inTransaction, 428, 'PRECONDITION_REQUIRED', '91');
    // A deletion is refused whatever it names (405: nothing recorded is deleted on request).
    const deleted = await nurseSession.fetch(`/fhir/Observation/${heartRate}`, { method: 'DELETE' });
    await expectRefused(deleted, 405, 'DELETE_NOT_ALLOWED', '79');
    expect(await hubCopy(heartRate)).toEqual(before);
  });

  it('refuses a changed reading that keeps "final", and a dose edited in place, with 422', async () => {
    const before = await hubCopy(heartRate);
    const put = await nurseSession.fetch(`/fhir/Observation/${heartRate}`, {
      method: 'PUT',
      body: { ...before, valueQuantity: { ...before.valueQuantity!, value: 92 } },
      headers: { 'if-match': `W/"${before.meta!.versionId}"` },
    });
    await expectRefused(put, 422, 'UNMARKED_CORRECTION', '92');
    expect(await hubCopy(heartRate)).toEqual(before);

    const given = await hubCopy<MedicationAdministration>(dose, 'MedicationAdministration');
    const edited = await nurseSession.fetch(`/fhir/MedicationAdministration/${dose}`, {
      method: 'PUT',
      body: { ...given, dosage: { dose: { ...given.dosage!.dose!, value: 50 } } },
      headers: { 'if-match': `W/"${given.meta!.versionId}"` },
    });
    await expectRefused(edited, 422, 'UNMARKED_CORRECTION', '50');
    expect(await hubCopy(dose, 'MedicationAdministration')).toEqual(given);
  });

  it('takes the workstation’s own correction and retraction, as its amend and outbox build them', async () => {
    const author = { reference: `Practitioner/${nurse}`, display: 'nurse.a' };
    const now = new Date().toISOString();
    const send = async (resource: Resource & { id: string }, baseVersion: string): Promise<Response> => {
      const provenance = documentationProvenance(
        { patientId: onA.patientId, encounterId: onA.encounterId, author, now, newId: randomUUID },
        [resource],
        'UPDATE',
        false,
      );
      const { bundle } = outboxBundle([
        {
          entryId: randomUUID(),
          patientId: onA.patientId,
          items: [{ operation: 'update', resource, baseVersion }],
          provenance,
          createdAt: now,
          seq: 1,
          attempts: 0,
          lastError: null,
        },
      ]);
      return device.fetch('/fhir', { body: bundle });
    };

    const cached = await hubCopy(forAmend);
    const corrected = amendedResource(
      cached,
      {
        patientId: onA.patientId,
        resourceType: 'Observation',
        id: forAmend,
        versionId: cached.meta!.versionId!,
        reason: 'wrong-value',
        action: 'correct',
        values: { value: 84 },
      },
      author,
      now,
    ) as Observation & { id: string };
    const taken = await send(corrected, cached.meta!.versionId!);
    expect(taken.status).toBe(200);
    const after = await hubCopy(forAmend);
    expect(after).toMatchObject({ status: 'corrected', valueQuantity: { value: 84 } });

    // The same entry again (an answer lost on the way): 412, which the outbox settles as delivered.
    expect((await send(corrected, cached.meta!.versionId!)).status).toBe(412);
    expect(await hubCopy(forAmend)).toEqual(after);

    for (const id of [forRetraction, ehrImplausible]) {
      const held = await hubCopy(id);
      const retracted = amendedResource(
        held,
        {
          patientId: onA.patientId,
          resourceType: 'Observation',
          id,
          versionId: held.meta!.versionId!,
          reason: 'wrong-patient',
          action: 'entered-in-error',
        },
        author,
        now,
      ) as Observation & { id: string };
      expect((await send(retracted, held.meta!.versionId!)).status).toBe(200);
      expect((await hubCopy(id)).status).toBe('entered-in-error');
    }

    const given = await hubCopy<MedicationAdministration>(dose, 'MedicationAdministration');
    const withdrawn = amendedResource(
      given,
      {
        patientId: onA.patientId,
        resourceType: 'MedicationAdministration',
        id: dose,
        versionId: given.meta!.versionId!,
        reason: 'duplicate',
        action: 'entered-in-error',
      },
      author,
      now,
    ) as MedicationAdministration & { id: string };
    expect((await send(withdrawn, given.meta!.versionId!)).status).toBe(200);
    expect((await hubCopy<MedicationAdministration>(dose, 'MedicationAdministration')).status).toBe('entered-in-error');
  });

  it('keeps a record withdrawn as entered in error withdrawn: a later correction or dose is refused (422), a note is taken', async () => {
    // Runs after the retractions above: forRetraction and the dose are entered in error at the hub.
    const withdrawn = await hubCopy(forRetraction);
    expect(withdrawn.status).toBe('entered-in-error');
    const ifMatch = { 'if-match': `W/"${withdrawn.meta!.versionId}"` };
    for (const body of [
      { ...withdrawn, status: 'corrected', valueQuantity: { ...withdrawn.valueQuantity!, value: 93 } },
      { ...withdrawn, status: 'final' },
      { ...withdrawn, valueQuantity: { ...withdrawn.valueQuantity!, value: 94 } },
    ]) {
      const put = await nurseSession.fetch(`/fhir/Observation/${forRetraction}`, { method: 'PUT', body, headers: ifMatch });
      await expectRefused(put, 422, 'RETRACTED_RECORD', String(body.valueQuantity?.value ?? 'x-none'));
    }
    // The same through the outbox's transaction: nothing of it is applied.
    const inTransaction = await device.fetch('/fhir', {
      body: outboxTransaction(
        [
          {
            fullUrl: `Observation/${forRetraction}`,
            resource: { ...withdrawn, status: 'corrected', valueQuantity: { ...withdrawn.valueQuantity!, value: 95 } },
            request: { method: 'PUT', url: `Observation/${forRetraction}`, ifMatch: `W/"${withdrawn.meta!.versionId}"` },
          },
        ],
        [`Observation/${forRetraction}`],
      ),
    });
    await expectRefused(inTransaction, 422, 'RETRACTED_RECORD', '95');
    expect(await hubCopy(forRetraction)).toEqual(withdrawn);

    const given = await hubCopy<MedicationAdministration>(dose, 'MedicationAdministration');
    const revived = await nurseSession.fetch(`/fhir/MedicationAdministration/${dose}`, {
      method: 'PUT',
      body: { ...given, status: 'completed' },
      headers: { 'if-match': `W/"${given.meta!.versionId}"` },
    });
    await expectRefused(revived, 422, 'RETRACTED_RECORD', 'completed-x');
    expect(await hubCopy(dose, 'MedicationAdministration')).toEqual(given);

    // A note on the withdrawn record is still taken; it stays withdrawn.
    const noted = await nurseSession.fetch(`/fhir/Observation/${forRetraction}`, {
      method: 'PUT',
      body: { ...withdrawn, note: [...(withdrawn.note ?? []), { text: 'Belongs to the patient in bed 14.' }] },
      headers: ifMatch,
    });
    expect(noted.status).toBe(200);
    expect(await hubCopy(forRetraction)).toMatchObject({ status: 'entered-in-error', valueQuantity: withdrawn.valueQuantity });
  });
});
