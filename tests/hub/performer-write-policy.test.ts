// Who documentation names as having done it, at the hub over TLS: a reading's performer, a dose's
// performer.actor and a note's author name the user who records the write (the signed-in user, or
// the author of the outbox upload's Provenance), never a colleague, by reference or by the name shown
// (display). A POST, a PUT, a transaction entry and a batch entry naming anyone else are refused with
// 422 PERFORMER_NOT_RECORDER, store nothing and echo no name. The workstation's own uploads are
// taken: downtime documentation sent by the device alone after the nurse's session ended, and a
// colleague's correction, which keeps the original performer (the corrector is named by the
// Provenance). The EHR's copies (integration principals) are not judged. Synthetic data only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubErrorCode } from '../../shared/auth/index.js';
import { WARDLINE_USER_SYSTEM, type MedicationRequest, type Observation, type Resource } from '../../shared/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import {
  amendedResource,
  clinicalNote,
  documentationProvenance,
  medicationAdministration,
  vitalSignObservations,
} from '../../electron/documentation/test-helpers.js';
import { outboxBundle } from '../../electron/sync/test-helpers.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, feedResources, observation, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;
const HOUR = 3_600_000;

let hub: TestHub;
let device: TestDevice;
let greta: TestDevice;
let onA: AdmittedPatient;
let rania = '';
let gretaId = '';
let physician = '';
const order = `mr-${randomUUID()}`;
const byRania = `obs-${randomUUID()}`;

function medicationRequest(patientId: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: order,
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: {
      coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361' }],
      text: 'Amlodipine 5 mg',
    },
    subject: { reference: `Patient/${patientId}` },
  };
}

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
  await seedWard(hub.db, 'a');
  const since = new Date(Date.now() - 2 * DAY);
  rania = (await addUser(hub.db, { username: 'rania.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false }, since)).userId;
  gretaId = (await addUser(hub.db, { username: 'greta.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false }, since)).userId;
  physician = (await addUser(hub.db, { username: 'doctor.a', password: PASSWORD, role: 'physician', wards: ['a'], mfa: false }, since))
    .userId;
  // The EHR's copy names whom it names: the integration principals are not judged.
  onA = await admitPatient(hub.db, 'a', {
    extra: (id) => [
      medicationRequest(id),
      { ...observation(id, { id: byRania, value: 72 }), performer: [{ reference: `Practitioner/${rania}`, display: 'rania.a' }] },
    ],
  });
  device = await hub.enrollDevice('a');
  greta = await device.signedIn('greta.a', PASSWORD);
});

afterAll(async () => {
  await hub?.stop();
});

const author = (userId: string, display: string) => ({ reference: `Practitioner/${userId}`, display });

function context(who: { reference: string; display: string }, now = new Date().toISOString()) {
  return { patientId: onA.patientId, encounterId: onA.encounterId, author: who, now, newId: randomUUID };
}

/** A reading, a dose and a note as the workstation builds them, in the name of `who`. */
function documentation(who: { reference: string; display: string }, now?: string): (Resource & { id: string })[] {
  const ctx = context(who, now);
  return [
    ...vitalSignObservations(ctx, { heartRate: 71 }),
    medicationAdministration(ctx, medicationRequest(onA.patientId), { medicationRequestId: order, given: true }),
    clinicalNote(ctx, { text: 'Settled overnight.' }),
  ] as (Resource & { id: string })[];
}

async function held(resource: Resource & { id: string }): Promise<number> {
  const identifier = (resource as { identifier?: { system: string; value: string }[] }).identifier![0]!;
  const response = await device.fetch(
    `/fhir/${resource.resourceType}?identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`,
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { entry?: unknown[] }).entry?.length ?? 0;
}

async function expectNotRecorder(response: Response): Promise<void> {
  expect(response.status).toBe(422);
  const text = await response.text();
  expect(hubErrorCode(JSON.parse(text))).toBe('PERFORMER_NOT_RECORDER');
  expect(text).toMatch(/Nothing was stored\./);
  for (const secret of [rania, physician, 'rania.a', 'doctor.a', 'Rania']) expect(text).not.toContain(secret);
}

/** The outbox's transaction of `resources` (creates, or updates on `baseVersion`), with the Provenance of `who`. */
function upload(resources: (Resource & { id: string })[], who: { reference: string; display: string }, now: string, baseVersion?: string) {
  const provenance = documentationProvenance(context(who, now), resources, baseVersion === undefined ? 'CREATE' : 'UPDATE');
  return outboxBundle([
    {
      entryId: randomUUID(),
      patientId: onA.patientId,
      items: resources.map((resource) =>
        baseVersion === undefined
          ? { operation: 'create' as const, resource, baseVersion: null }
          : { operation: 'update' as const, resource, baseVersion },
      ),
      provenance,
      createdAt: now,
      seq: 1,
      attempts: 0,
      lastError: null,
    },
  ]).bundle;
}

describe('who documentation names as having done it', () => {
  it("refuses a signed-in user's reading, dose or note in a colleague's name or under a colleague's display (422), storing nothing", async () => {
    for (const who of [
      author(rania, 'rania.a'),
      author(gretaId, 'Rania Eklund, RN'),
      { reference: `Practitioner/${physician}`, display: 'greta.a' },
    ]) {
      for (const resource of documentation(who)) {
        const { id: _id, ...body } = resource;
        await expectNotRecorder(await greta.fetch(`/fhir/${resource.resourceType}`, { method: 'POST', body }));
        expect(await held(resource), resource.resourceType).toBe(0);
      }
    }
    for (const resource of documentation(author(gretaId, 'greta.a'))) {
      const { id: _id, ...body } = resource;
      expect((await greta.fetch(`/fhir/${resource.resourceType}`, { method: 'POST', body })).status, resource.resourceType).toBe(201);
      expect(await held(resource)).toBe(1);
    }
  });

  it('takes a colleague’s correction that keeps the original performer, and refuses one that names a third user', async () => {
    const cached = (await (await device.fetch(`/fhir/Observation/${byRania}`)).json()) as Observation;
    const version = cached.meta!.versionId!;
    const renamed: Observation = { ...cached, status: 'corrected', performer: [{ reference: `Practitioner/${physician}` }] };
    const refused = await greta.fetch(`/fhir/Observation/${byRania}`, {
      method: 'PUT',
      body: renamed,
      headers: { 'if-match': `W/"${version}"` },
    });
    await expectNotRecorder(refused);
    expect(((await (await device.fetch(`/fhir/Observation/${byRania}`)).json()) as Observation).meta?.versionId).toBe(version);

    const corrected = amendedResource(
      cached,
      {
        patientId: onA.patientId,
        resourceType: 'Observation',
        id: byRania,
        versionId: version,
        reason: 'wrong-value',
        action: 'correct',
        values: { value: 74 },
      },
      author(gretaId, 'greta.a'),
      new Date().toISOString(),
    ) as Observation;
    const taken = await greta.fetch(`/fhir/Observation/${byRania}`, {
      method: 'PUT',
      body: corrected,
      headers: { 'if-match': `W/"${version}"` },
    });
    expect(taken.status).toBe(200);
    expect(((await (await device.fetch(`/fhir/Observation/${byRania}`)).json()) as Observation).performer).toEqual([
      { reference: `Practitioner/${rania}`, display: 'rania.a' },
    ]);
  });

  it('refuses a correction whose note is written in a colleague’s name, by reference or as a plain name, and keeps the notes a version held', async () => {
    const cached = (await (await device.fetch(`/fhir/Observation/${byRania}`)).json()) as Observation;
    const version = cached.meta!.versionId!;
    const put = (body: Observation) =>
      greta.fetch(`/fhir/Observation/${byRania}`, { method: 'PUT', body, headers: { 'if-match': `W/"${version}"` } });
    const time = new Date().toISOString();
    for (const note of [
      { authorReference: { reference: `Practitioner/${physician}` }, time, text: 'Reason: wrong value.' },
      { authorReference: { reference: `Practitioner/${gretaId}`, display: 'doctor.a' }, time, text: 'Reason: wrong value.' },
      { authorString: 'doctor.a', time, text: 'Reason: wrong value.' },
    ]) {
      await expectNotRecorder(await put({ ...cached, status: 'corrected', note: [...(cached.note ?? []), note] }));
    }
    expect(((await (await device.fetch(`/fhir/Observation/${byRania}`)).json()) as Observation).meta?.versionId).toBe(version);
    // Her own note, beside every note the version held (a colleague's among them), is taken.
    const own = { authorReference: { reference: `Practitioner/${gretaId}`, display: 'greta.a' }, time, text: 'Reason: wrong value.' };
    expect(cached.note?.some((note) => note.authorReference !== undefined)).toBe(true);
    expect((await put({ ...cached, status: 'corrected', note: [...(cached.note ?? []), own] })).status).toBe(200);
  });

  it('takes downtime documentation the device uploads alone after the nurse signed out, and refuses an upload naming someone other than its Provenance’s author', async () => {
    const threeHoursAgo = new Date(Date.now() - 3 * HOUR).toISOString();
    const mine = documentation(author(rania, 'rania.a'), threeHoursAgo);
    expect((await device.fetch('/fhir', { body: upload(mine, author(rania, 'rania.a'), threeHoursAgo) })).status).toBe(200);
    for (const resource of mine) expect(await held(resource), resource.resourceType).toBe(1);

    const hers = documentation(author(rania, 'rania.a'), threeHoursAgo);
    await expectNotRecorder(await device.fetch('/fhir', { body: upload(hers, author(gretaId, 'greta.a'), threeHoursAgo) }));
    for (const resource of hers) expect(await held(resource), resource.resourceType).toBe(0);
  });

  it('takes a colleague’s correction from the outbox (the Provenance names the colleague, the performer stays)', async () => {
    const cached = (await (await device.fetch(`/fhir/Observation/${byRania}`)).json()) as Observation & { id: string };
    const version = cached.meta!.versionId!;
    const now = new Date().toISOString();
    const retracted = amendedResource(
      cached,
      {
        patientId: onA.patientId,
        resourceType: 'Observation',
        id: byRania,
        versionId: version,
        reason: 'wrong-patient',
        action: 'entered-in-error',
      },
      author(gretaId, 'greta.a'),
      now,
    ) as Observation & { id: string };
    expect((await device.fetch('/fhir', { body: upload([retracted], author(gretaId, 'greta.a'), now, version) })).status).toBe(200);
    const after = (await (await device.fetch(`/fhir/Observation/${byRania}`)).json()) as Observation;
    expect(after.status).toBe('entered-in-error');
    expect(after.performer).toEqual([{ reference: `Practitioner/${rania}`, display: 'rania.a' }]);
  });

  it('takes a colleague’s correction kept over the EHR’s later version, which names the performer by her user identifier', async () => {
    const id = `obs-${randomUUID()}`;
    await feedResources(hub.db, [
      { ...observation(onA.patientId, { id, value: 77 }), performer: [{ reference: `Practitioner/${rania}`, display: 'rania.a' }] },
    ]);
    const seen = (await (await device.fetch(`/fhir/Observation/${id}`)).json()) as Observation & { id: string };
    // The EHR's version comes back with the performer in the form the hub sent it out.
    const { meta: _meta, ...content } = seen;
    await feedResources(hub.db, [
      {
        ...content,
        status: 'corrected',
        valueQuantity: { ...seen.valueQuantity!, value: 78 },
        performer: [{ type: 'Practitioner', identifier: { system: WARDLINE_USER_SYSTEM, value: rania }, display: 'rania.a' }],
      } as Observation,
    ]);
    const ehrs = (await (await device.fetch(`/fhir/Observation/${id}`)).json()) as Observation;
    // Greta's correction, made on the version she saw, kept over the EHR's ("Keep my version").
    const now = new Date().toISOString();
    const hers = amendedResource(
      seen,
      {
        patientId: onA.patientId,
        resourceType: 'Observation',
        id,
        versionId: seen.meta!.versionId!,
        reason: 'wrong-value',
        action: 'correct',
        values: { value: 70 },
      },
      author(gretaId, 'greta.a'),
      now,
    ) as Observation & { id: string };
    const kept = await device.fetch('/fhir', { body: upload([hers], author(gretaId, 'greta.a'), now, ehrs.meta!.versionId!) });
    expect(kept.status, await kept.clone().text()).toBe(200);
    // The identifier names only its own user: in a third user's name it is refused as before.
    const renamed = { ...hers, performer: [{ reference: `Practitioner/${physician}` }] } as Observation & { id: string };
    const current = (await (await device.fetch(`/fhir/Observation/${id}`)).json()) as Observation;
    await expectNotRecorder(
      await device.fetch('/fhir', { body: upload([renamed], author(gretaId, 'greta.a'), now, current.meta!.versionId!) }),
    );
  });

  it('refuses only the batch entry in a colleague’s name', async () => {
    const [theirs] = documentation(author(rania, 'rania.a')) as [Observation & { id: string }];
    const [own] = documentation(author(gretaId, 'greta.a')) as [Observation & { id: string }];
    const batch = await greta.fetch('/fhir', {
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [theirs, own].map(({ id: _id, ...resource }) => ({ resource, request: { method: 'POST', url: 'Observation' } })),
      },
    });
    expect(batch.status).toBe(200);
    const answer = (await batch.json()) as { entry: { response: { status: string; outcome?: unknown } }[] };
    expect(answer.entry.map((entry) => entry.response.status)).toEqual(['422', '201 Created']);
    expect(hubErrorCode(answer.entry[0]!.response.outcome as never)).toBe('PERFORMER_NOT_RECORDER');
    expect(JSON.stringify(answer)).not.toContain(rania);
    expect(await held(theirs)).toBe(0);
    expect(await held(own)).toBe(1);
  });
});
