// Corrections at the hub over TLS, as a workstation sends them: marking a vital sign entered in error
// is an update with If-Match on the version the nurse saw. A device token alone (nobody named) or a
// role that does not document vital signs is refused and nothing changes; a nurse named by the
// upload's Provenance, or signed in herself, may do it; an update on a version that is no longer the
// hub's is refused with 412 and keeps the newer one. A correction never moves the record to another
// patient, not even one on the same ward, nor by putting a deleted record (the EHR deleted it) back
// on another patient. Nothing recorded is deleted on request: a DELETE, plain, in the outbox's
// transaction with its Provenance or in a batch, with or without If-Match, is refused with 405
// DELETE_NOT_ALLOWED (never 412 or 428, which the workstation treats as a conflict or its own
// fault) and every version stays.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../../shared/fhir/index.js';
import { hubCurrentVersion, hubErrorCode } from '../../shared/auth/index.js';
import { deleteResources } from '../../server/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, encounter, feedResources, observation, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;

let hub: TestHub;
let device: TestDevice;
let onA: AdmittedPatient;
let otherOnA: AdmittedPatient;
let vital: string;
let forCorrection: string;
let deletedThenMoved: string;
let deletedThenUploaded: string;
let nurse: string;
let physician: string;

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
  await seedWard(hub.db, 'a');
  vital = `obs-${randomUUID()}`;
  forCorrection = `obs-${randomUUID()}`;
  deletedThenMoved = `obs-${randomUUID()}`;
  deletedThenUploaded = `obs-${randomUUID()}`;
  onA = await admitPatient(hub.db, 'a', {
    extra: (id) => [
      observation(id, { id: vital }),
      observation(id, { id: forCorrection }),
      observation(id, { id: deletedThenMoved }),
      observation(id, { id: deletedThenUploaded }),
    ],
  });
  otherOnA = await admitPatient(hub.db, 'a');
  device = await hub.enrollDevice('a');
  const since = new Date(Date.now() - 2 * DAY);
  nurse = (await addUser(hub.db, { username: 'nurse.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false }, since)).userId;
  physician = (await addUser(hub.db, { username: 'doctor.a', password: PASSWORD, role: 'physician', wards: ['a'], mfa: false }, since))
    .userId;
});

afterAll(async () => {
  await hub?.stop();
});

async function hubCopy(id = vital): Promise<Observation> {
  const response = await device.fetch(`/fhir/Observation/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Observation;
}

/** The hub's versions of an Observation, newest first (its `_history`). */
async function historyOf(id: string): Promise<{ versionId: string; subject: string | undefined; method: string | undefined }[]> {
  const response = await device.fetch(`/fhir/Observation/${id}/_history`);
  expect(response.status).toBe(200);
  const bundle = (await response.json()) as { entry?: { resource?: Observation; request?: { method?: string } }[] };
  return (bundle.entry ?? []).map((entry) => ({
    versionId: entry.resource?.meta?.versionId ?? '',
    subject: entry.resource?.subject?.reference,
    method: entry.request?.method,
  }));
}

/** The outbox's shape of a transaction for one write of Observation `id` (a PUT of `resource`, or a DELETE), with its Provenance. */
function upload(id: string, write: { resource: Observation } | 'DELETE', author: string, version = '1'): Record<string, unknown> {
  const provenanceId = randomUUID();
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      write === 'DELETE'
        ? { request: { method: 'DELETE', url: `Observation/${id}`, ifMatch: `W/"${version}"` } }
        : { fullUrl: `Observation/${id}`, resource: write.resource, request: { method: 'PUT', url: `Observation/${id}` } },
      {
        fullUrl: `Provenance/${provenanceId}`,
        resource: {
          resourceType: 'Provenance',
          id: provenanceId,
          target: [{ reference: `Observation/${id}` }],
          recorded: new Date().toISOString(),
          agent: [{ who: { reference: `Practitioner/${author}` } }],
        },
        request: { method: 'PUT', url: `Provenance/${provenanceId}` },
      },
    ],
  };
}

/** The outbox's transaction: the retraction (PUT with If-Match) and the Provenance naming who made it. */
function retraction(version: string, author: string, target = { id: vital, patientId: onA.patientId }): Record<string, unknown> {
  const provenanceId = randomUUID();
  const { id: vital, patientId } = target;
  const changed: Observation = {
    ...observation(patientId, { id: vital }),
    status: 'entered-in-error',
    note: [{ text: 'Entered in error.' }],
  };
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: `Observation/${vital}`,
        resource: changed,
        request: { method: 'PUT', url: `Observation/${vital}`, ifMatch: `W/"${version}"` },
      },
      {
        fullUrl: `Provenance/${provenanceId}`,
        resource: {
          resourceType: 'Provenance',
          id: provenanceId,
          target: [{ reference: `Observation/${vital}` }, { reference: `Patient/${patientId}` }],
          recorded: new Date().toISOString(),
          activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' }] },
          agent: [{ who: { reference: `Practitioner/${author}` } }],
        },
        request: { method: 'PUT', url: `Provenance/${provenanceId}` },
      },
    ],
  };
}

describe('a correction at the hub', () => {
  it('is refused to a device alone and to a role that does not document vital signs, changing nothing', async () => {
    const before = await hubCopy();
    const alone = await device.fetch(`/fhir/Observation/${vital}`, {
      method: 'PUT',
      body: { ...before, status: 'entered-in-error' },
      headers: { 'if-match': `W/"${before.meta!.versionId}"` },
    });
    expect(alone.status).toBe(403);
    expect(hubErrorCode(await alone.json())).toBe('RECORDER_REQUIRED');
    const byPhysician = await device.fetch('/fhir', { body: retraction(before.meta!.versionId!, physician) });
    expect(byPhysician.status).toBe(403);
    expect(hubErrorCode(await byPhysician.json())).toBe('FORBIDDEN');
    expect(await hubCopy()).toEqual(before);
  });

  it('takes a nurse’s retraction on the version she saw, and refuses the same version again with 412', async () => {
    const before = await hubCopy();
    const taken = await device.fetch('/fhir', { body: retraction(before.meta!.versionId!, nurse) });
    expect(taken.status).toBe(200);
    const after = await hubCopy();
    expect(after.status).toBe('entered-in-error');
    expect(Number(after.meta!.versionId)).toBe(Number(before.meta!.versionId) + 1);

    const stale = await device.fetch('/fhir', { body: retraction(before.meta!.versionId!, nurse) });
    expect(stale.status).toBe(412);
    expect(await hubCopy()).toEqual(after);
  });

  it('names in a 412 only the version number, and only of a record the device may still change (its patient left the ward); another ward’s gets 403 with none', async () => {
    // Review 11 #1: the device no longer reads the chart of a patient who left, so the 412 is how it
    // learns the version to settle its conflict on. Nothing of the content comes with it: the device
    // reads that one record by id (late-documentation.test.ts), and nothing else of the chart.
    const leftVital = `obs-${randomUUID()}`;
    const left = await admitPatient(hub.db, 'a', { extra: (id) => [observation(id, { id: leftVital })] });
    await feedResources(hub.db, [{ ...observation(left.patientId, { id: leftVital }), note: [{ text: 'rechecked by a colleague' }] }]);
    const discharged = encounter(left.encounterId, left.patientId, 'a', 'finished');
    await feedResources(hub.db, [discharged]);
    expect((await device.fetch(`/fhir/Patient/${left.patientId}`)).status).toBe(403);

    const stale = await device.fetch('/fhir', { body: retraction('1', nurse, { id: leftVital, patientId: left.patientId }) });
    expect(stale.status).toBe(412);
    const outcome: unknown = await stale.json();
    expect(hubCurrentVersion(outcome)).toEqual({ resourceType: 'Observation', id: leftVital, versionId: '2' });
    expect(JSON.stringify(outcome)).not.toContain('rechecked');
    const settled = await device.fetch('/fhir', { body: retraction('2', nurse, { id: leftVital, patientId: left.patientId }) });
    expect(settled.status).toBe(200);

    // Another ward's record: refused before its version is compared, and no version named.
    await seedWard(hub.db, 'b');
    const elsewhereVital = `obs-${randomUUID()}`;
    const elsewhere = await admitPatient(hub.db, 'b', { extra: (id) => [observation(id, { id: elsewhereVital })] });
    await feedResources(hub.db, [observation(elsewhere.patientId, { id: elsewhereVital, value: 99 })]);
    const foreign = await device.fetch('/fhir', { body: retraction('1', nurse, { id: elsewhereVital, patientId: elsewhere.patientId }) });
    expect(foreign.status).toBe(403);
    const refusal: unknown = await foreign.json();
    expect(hubErrorCode(refusal)).toBe('OUT_OF_SCOPE');
    expect(hubCurrentVersion(refusal)).toBeUndefined();
    expect(JSON.stringify(refusal)).not.toMatch(/version 2/);
  });

  it('refuses a “correction” that moves the record to another patient of the ward, in a session or from the outbox, changing nothing', async () => {
    const signedIn = await device.signedIn('nurse.a', PASSWORD);
    const before = await hubCopy();
    const moved = { ...before, status: 'corrected', subject: { reference: `Patient/${otherOnA.patientId}` } };
    const put = await signedIn.fetch(`/fhir/Observation/${vital}`, {
      method: 'PUT',
      body: moved,
      headers: { 'if-match': `W/"${before.meta!.versionId}"` },
    });
    expect(put.status).toBe(403);
    expect(hubErrorCode(await put.json())).toBe('FORBIDDEN');
    const bundle = retraction(before.meta!.versionId!, nurse) as { entry: { resource: Record<string, unknown> }[] };
    bundle.entry[0]!.resource.subject = { reference: `Patient/${otherOnA.patientId}` };
    const uploaded = await device.fetch('/fhir', { body: bundle });
    expect(uploaded.status).toBe(403);
    expect(hubErrorCode(await uploaded.json())).toBe('FORBIDDEN');
    expect(await hubCopy()).toEqual(before);
  });

  it('takes a signed-in nurse’s correction with If-Match, and refuses a stale one with 412', async () => {
    // A reading not withdrawn (the one above is entered in error now, which is final).
    const signedIn = await device.signedIn('nurse.a', PASSWORD);
    const before = await hubCopy(forCorrection);
    const corrected = { ...before, status: 'corrected', valueQuantity: { ...before.valueQuantity!, value: 64 } };
    const taken = await signedIn.fetch(`/fhir/Observation/${forCorrection}`, {
      method: 'PUT',
      body: corrected,
      headers: { 'if-match': `W/"${before.meta!.versionId}"` },
    });
    expect(taken.status).toBe(200);
    const stale = await signedIn.fetch(`/fhir/Observation/${forCorrection}`, {
      method: 'PUT',
      body: { ...corrected, valueQuantity: { ...before.valueQuantity!, value: 65 } },
      headers: { 'if-match': `W/"${before.meta!.versionId}"` },
    });
    expect(stale.status).toBe(412);
    const after = await hubCopy(forCorrection);
    expect(after.valueQuantity?.value).toBe(64);
    expect(after.status).toBe('corrected');
  });

  it('refuses putting a record the EHR deleted back on another patient of the ward (PUT without If-Match), changing nothing', async () => {
    const signedIn = await device.signedIn('nurse.a', PASSWORD);
    const before = await hubCopy(deletedThenMoved);
    // The EHR deleted it (the mirror's deletion sweep writes the tombstone, docs/UPSTREAM.md).
    await deleteResources(hub.db, [{ type: 'Observation', id: deletedThenMoved }], new Date());
    const history = await historyOf(deletedThenMoved);

    const { meta: _meta, ...content } = before;
    const moved = { ...content, subject: { reference: `Patient/${otherOnA.patientId}` } };
    const put = await signedIn.fetch(`/fhir/Observation/${deletedThenMoved}`, { method: 'PUT', body: moved });
    expect(put.status).toBe(403);
    expect(hubErrorCode(await put.json())).toBe('FORBIDDEN');
    expect((await device.fetch(`/fhir/Observation/${deletedThenMoved}`)).status).toBe(410);
    expect(await historyOf(deletedThenMoved)).toEqual(history);
    const onOther = await device.fetch(`/fhir/Observation?subject=Patient/${otherOnA.patientId}`);
    const found = (await onOther.json()) as { entry?: { resource?: Observation }[] };
    expect((found.entry ?? []).map((entry) => entry.resource?.id)).not.toContain(deletedThenMoved);

    // Put back on its own patient, it is taken: the rule is about the patient, not the deletion.
    const restored = await signedIn.fetch(`/fhir/Observation/${deletedThenMoved}`, { method: 'PUT', body: content });
    expect(restored.status).toBe(201);
    expect((await hubCopy(deletedThenMoved)).subject?.reference).toBe(`Patient/${onA.patientId}`);
  });

  it('refuses the same move uploaded by the outbox (a device naming a nurse of the ward), and a DELETE and PUT in one transaction, changing nothing', async () => {
    const before = await hubCopy(deletedThenUploaded);
    const { meta: _meta, ...content } = before;
    const moved = { ...content, subject: { reference: `Patient/${otherOnA.patientId}` } };

    const both = await device.fetch('/fhir', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { request: { method: 'DELETE', url: `Observation/${deletedThenUploaded}` } },
          {
            fullUrl: `Observation/${deletedThenUploaded}`,
            resource: moved,
            request: { method: 'PUT', url: `Observation/${deletedThenUploaded}` },
          },
        ],
      },
    });
    expect(both.status).toBe(400);
    expect(await hubCopy(deletedThenUploaded)).toEqual(before);

    await deleteResources(hub.db, [{ type: 'Observation', id: deletedThenUploaded }], new Date());
    const history = await historyOf(deletedThenUploaded);
    const put = await device.fetch('/fhir', { body: upload(deletedThenUploaded, { resource: moved }, nurse) });
    expect(put.status).toBe(403);
    expect(hubErrorCode(await put.json())).toBe('FORBIDDEN');
    expect((await device.fetch(`/fhir/Observation/${deletedThenUploaded}`)).status).toBe(410);
    expect(await historyOf(deletedThenUploaded)).toEqual(history);
  });
});

describe('a deletion at the hub', () => {
  async function expectNotDeleted(response: Response, id: string, history: Awaited<ReturnType<typeof historyOf>>): Promise<void> {
    expect(response.status).toBe(405);
    expect(hubErrorCode(await response.json())).toBe('DELETE_NOT_ALLOWED');
    expect((await device.fetch(`/fhir/Observation/${id}`)).status).toBe(200);
    expect(await historyOf(id)).toEqual(history);
  }

  it('is refused to a signed-in nurse with If-Match on the current version, and without it (405, not 428), keeping every version', async () => {
    const signedIn = await device.signedIn('nurse.a', PASSWORD);
    const before = await hubCopy();
    const history = await historyOf(vital);
    const named = await signedIn.fetch(`/fhir/Observation/${vital}`, {
      method: 'DELETE',
      headers: { 'if-match': `W/"${before.meta!.versionId}"` },
    });
    await expectNotDeleted(named, vital, history);
    await expectNotDeleted(await signedIn.fetch(`/fhir/Observation/${vital}`, { method: 'DELETE' }), vital, history);
    expect(await hubCopy()).toEqual(before);
  });

  it('is refused in the outbox’s transaction with a Provenance naming a nurse, and as a batch entry, keeping every version', async () => {
    const before = await hubCopy();
    const history = await historyOf(vital);
    await expectNotDeleted(await device.fetch('/fhir', { body: upload(vital, 'DELETE', nurse, before.meta!.versionId!) }), vital, history);
    const batch = await device.fetch('/fhir', {
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [{ request: { method: 'DELETE', url: `Observation/${vital}`, ifMatch: `W/"${before.meta!.versionId}"` } }],
      },
    });
    expect(batch.status).toBe(200);
    const answer = (await batch.json()) as { entry: { response: { status: string } }[] };
    expect(answer.entry[0]!.response.status).toMatch(/^405/);
    expect(await historyOf(vital)).toEqual(history);
    expect(await hubCopy()).toEqual(before);
  });

  it('is not offered in the CapabilityStatement for any type', async () => {
    const statement = (await (await hub.fetch('/fhir/metadata')).json()) as {
      rest: { resource: { type: string; interaction: { code: string }[] }[] }[];
    };
    const deletable = statement.rest[0]!.resource.filter((resource) => resource.interaction.some((i) => i.code === 'delete'));
    expect(deletable.map((resource) => resource.type)).toEqual([]);
  });
});
