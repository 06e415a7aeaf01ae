// Ward scope, as a workstation of another ward would try to break it: ward A's device gets nothing
// of ward B's patients by read, vread, search, _include, history or $everything, and cannot write
// for them. Breaking the glass needs a signed-in user and a reason, and is recorded (ids only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, BundleEntry, Observation } from '../../shared/fhir/index.js';
import { hubErrorCode } from '../../shared/auth/index.js';
import { followOnWards } from '../../server/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, USER_TOKEN_HEADER, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import {
  admitPatient,
  encounter,
  feedResources,
  observation,
  outboxUpload,
  seedWard,
  type AdmittedPatient,
} from '../support/hub-fixtures.js';

async function bundle(response: Response): Promise<Bundle> {
  expect(response.status).toBe(200);
  return (await response.json()) as Bundle;
}

function referencesPatient(entry: BundleEntry, patientId: string): boolean {
  return JSON.stringify(entry).includes(patientId);
}

describe.each<HubEngine>(['sqlite', 'postgres'])('ward scope on %s', (engine) => {
  let hub: TestHub;
  let deviceA: TestDevice;
  let deviceB: TestDevice;
  let onA: AdmittedPatient;
  let onB: AdmittedPatient;
  let obsB: string;
  let checkpoint: string;
  let nurseA: string;

  beforeAll(async () => {
    hub = await startHub({ engine, rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
    await seedWard(hub.db, 'a');
    await seedWard(hub.db, 'b');
    deviceA = await hub.enrollDevice('a');
    deviceB = await hub.enrollDevice('b');
    const start = await bundle(
      await deviceA.fetch(`/fhir/_history?_since=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`),
    );
    checkpoint = start.meta!.lastUpdated!;
    onA = await admitPatient(hub.db, 'a', { extra: (id) => [observation(id, { id: `obs-a-${id.slice(2, 10)}` })] });
    onB = await admitPatient(hub.db, 'b', { extra: (id) => [observation(id, { id: `obs-b-${id.slice(2, 10)}` })] });
    obsB = `obs-b-${onB.patientId.slice(2, 10)}`;
    const yesterday = new Date(Date.now() - 86_400_000);
    nurseA = (
      await addUser(hub.db, { username: 'nurse.a', password: 'correct horse battery', role: 'nurse', wards: ['a'], mfa: false }, yesterday)
    ).userId;
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it("refuses ward B's patient to ward A's device by read, vread, instance history and $everything", async () => {
    for (const path of [
      `/fhir/Patient/${onB.patientId}`,
      `/fhir/Observation/${obsB}`,
      `/fhir/Observation/${obsB}/_history/1`,
      `/fhir/Observation/${obsB}/_history`,
      `/fhir/Encounter/${onB.encounterId}`,
      `/fhir/Patient/${onB.patientId}/$everything`,
    ]) {
      const response = await deviceA.fetch(path);
      expect(response.status, path).toBe(403);
      const text = await response.text();
      expect(text).toContain('OperationOutcome');
      expect(text).not.toContain('Testperson');
    }
    expect((await deviceB.fetch(`/fhir/Patient/${onB.patientId}`)).status).toBe(200);
    expect((await deviceA.fetch(`/fhir/Patient/${onA.patientId}`)).status).toBe(200);
  });

  it("finds nothing of ward B in ward A's searches, includes and history", async () => {
    const searches = [
      `/fhir/Observation?patient=${onB.patientId}`,
      '/fhir/Observation?_count=1000',
      '/fhir/Patient?_count=1000',
      '/fhir/Encounter?location=Location/ward-b&status=in-progress&_include=Encounter:patient',
      '/fhir/Encounter?_include=Encounter:patient&_count=1000',
      `/fhir/Patient?identifier=urn:wardline:mrn|MRN${onB.patientId
        .replace(/[^0-9]/g, '')
        .padStart(7, '0')
        .slice(-7)}`,
      `/fhir/_history?_since=${encodeURIComponent(checkpoint)}&_count=1000`,
      `/fhir/Observation/_history?_count=1000`,
      `/fhir/Patient/_history?_count=1000`,
      `/fhir/Encounter/_history?_count=1000`,
    ];
    for (const path of searches) {
      const result = await bundle(await deviceA.fetch(path));
      for (const entry of result.entry ?? []) expect(referencesPatient(entry, onB.patientId), path).toBe(false);
    }
    const aHistory = await bundle(await deviceA.fetch(`/fhir/_history?_since=${encodeURIComponent(checkpoint)}&_count=1000`));
    expect((aHistory.entry ?? []).some((entry) => referencesPatient(entry, onA.patientId))).toBe(true);
    // Reference data is shared by every ward.
    const locations = await bundle(await deviceA.fetch('/fhir/Location?_count=100'));
    expect(locations.entry!.map((e) => e.resource!.id)).toEqual(expect.arrayContaining(['ward-a', 'ward-b']));
  });

  it("refuses ward A's device to write for ward B's patient, storing nothing", async () => {
    const before = await bundle(await deviceB.fetch(`/fhir/Observation?patient=${onB.patientId}`));
    const create = await deviceA.fetch('/fhir', {
      body: outboxUpload([observation(onB.patientId)], { userId: nurseA, recorded: new Date().toISOString() }),
    });
    expect(create.status).toBe(403);
    const nurseOnA = await deviceA.signedIn('nurse.a', 'correct horse battery');
    expect((await nurseOnA.fetch('/fhir/Observation', { body: observation(onB.patientId) })).status).toBe(403);
    const existing = (await (await deviceB.fetch(`/fhir/Observation/${obsB}`)).json()) as Observation;
    const overwrite = await deviceA.fetch(`/fhir/Observation/${obsB}`, { method: 'PUT', body: { ...existing, status: 'cancelled' } });
    expect(overwrite.status).toBe(403);
    expect((await deviceA.fetch(`/fhir/Observation/${obsB}`, { method: 'DELETE' })).status).toBe(405);
    // Moving an own-ward resource onto the other patient is refused too.
    const own = (await (await nurseOnA.fetch('/fhir/Observation', { body: observation(onA.patientId) })).json()) as Observation;
    const moved = await nurseOnA.fetch(`/fhir/Observation/${own.id}`, {
      method: 'PUT',
      body: { ...own, subject: { reference: `Patient/${onB.patientId}` } },
    });
    expect(moved.status).toBe(403);
    const after = await bundle(await deviceB.fetch(`/fhir/Observation?patient=${onB.patientId}`));
    expect(after.entry?.length).toBe(before.entry?.length);
    expect(((await (await deviceB.fetch(`/fhir/Observation/${obsB}`)).json()) as Observation).meta?.versionId).toBe('1');
  });

  it('refuses documentation naming no patient (a reading or a note of nobody, out of every ward scope), storing nothing', async () => {
    const { subject: _reading, ...reading } = observation(onA.patientId, { identifier: 'of-nobody' });
    const note = {
      resourceType: 'DocumentReference',
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '34746-8' }] },
      content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('a note of nobody').toString('base64') } }],
    };
    const nurseOnA = await deviceA.signedIn('nurse.a', 'correct horse battery');
    const answers = [
      await nurseOnA.fetch('/fhir/Observation', { body: reading }),
      await nurseOnA.fetch('/fhir/DocumentReference', { body: note }),
      await deviceA.fetch('/fhir', {
        body: outboxUpload([reading as Observation], { userId: nurseA, recorded: new Date().toISOString() }),
      }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(422);
      expect(hubErrorCode(await answer.json())).toBe('INVALID_RESOURCE');
    }
    const rows = await hub.db.query(
      `SELECT res_id FROM fhir_resources WHERE res_type IN ('Observation', 'DocumentReference') AND patient_id IS NULL`,
    );
    expect(rows).toEqual([]);
  });

  it('lets a signed-in user break the glass with a reason, and records it with ids only', async () => {
    const userToken = await deviceA.login('nurse.a', 'correct horse battery');
    const withoutReason = await deviceA.fetch(`/fhir/Patient/${onB.patientId}`, { headers: { [USER_TOKEN_HEADER]: userToken } });
    expect(withoutReason.status).toBe(403);
    const withoutUser = await deviceA.fetch(`/fhir/Patient/${onB.patientId}`, { headers: { 'X-Wardline-Btg-Reason': 'emergency' } });
    expect(withoutUser.status).toBe(403);
    const headers = { [USER_TOKEN_HEADER]: userToken, 'X-Wardline-Btg-Reason': 'Rapid response call, patient unknown to ward' };
    const opened = await deviceA.fetch(`/fhir/Patient/${onB.patientId}`, { headers });
    expect(opened.status).toBe(200);
    const everything = await bundle(await deviceA.fetch(`/fhir/Patient/${onB.patientId}/$everything`, { headers }));
    expect(everything.entry!.length).toBeGreaterThanOrEqual(3);
    const search = await bundle(await deviceA.fetch(`/fhir/Observation?patient=${onB.patientId}`, { headers }));
    expect(search.entry!.length).toBeGreaterThanOrEqual(1);
    const log = await hub.db.query<{ device_id: string; user_id: string; patient_id: string; interaction: string }>(
      'SELECT device_id, user_id, patient_id, interaction FROM hub_access_log WHERE patient_id = $1 ORDER BY at',
      [onB.patientId],
    );
    expect(log.map((row) => row.interaction)).toEqual(['read', 'everything', 'search']);
    expect(new Set(log.map((row) => row.device_id))).toEqual(new Set([deviceA.clientId]));
    expect(log.every((row) => row.user_id.length > 0)).toBe(true);
    // The hub's log has the event, with ids only (never the reason the user typed).
    const warnings = hub
      .logs()
      .split('\n')
      .filter((line) => line.includes('"event":"break-the-glass"'));
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).not.toContain('Rapid response');
  });

  it("shows ward A's workstation that its patient left (transfer to B), then nothing new of that patient", async () => {
    const leaving = await admitPatient(hub.db, 'a');
    const since = (
      await bundle(
        await deviceA.fetch(`/fhir/Encounter/_history?_since=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`),
      )
    ).meta!.lastUpdated!;
    const transferred = encounter(leaving.encounterId, leaving.patientId, 'b');
    transferred.location = [
      { location: { reference: 'Location/ward-a' }, status: 'completed' },
      { location: { reference: 'Location/ward-b' } },
      { location: { reference: 'Location/bed-b-2' } },
    ];
    await feedResources(hub.db, [transferred]);
    await feedResources(hub.db, [observation(leaving.patientId, { id: `after-${leaving.patientId.slice(2, 10)}` })]);

    const seenByA = await bundle(await deviceA.fetch(`/fhir/_history?_since=${encodeURIComponent(since)}`));
    const summary = (seenByA.entry ?? []).map((e) => `${e.resource?.resourceType ?? e.request?.url}/${e.resource?.id ?? ''}`);
    expect(summary).toEqual([`Encounter/${leaving.encounterId}`]);
    const census = await bundle(await deviceA.fetch('/fhir/Encounter?location=Location/ward-a&status=in-progress'));
    expect((census.entry ?? []).map((e) => e.resource!.id)).not.toContain(leaving.encounterId);
    expect((await deviceA.fetch(`/fhir/Patient/${leaving.patientId}`)).status).toBe(403);

    const seenByB = await bundle(await deviceB.fetch(`/fhir/_history?_since=${encodeURIComponent(since)}`));
    expect((seenByB.entry ?? []).map((e) => e.resource?.resourceType).sort()).toEqual(['Encounter', 'Observation']);
    // Documentation made on A during downtime still reaches the hub after the transfer.
    const late = await deviceA.fetch('/fhir', {
      body: outboxUpload([observation(leaving.patientId)], { userId: nurseA, recorded: new Date(Date.now() - 3_600_000).toISOString() }),
    });
    expect(late.status).toBe(200);
  });

  it('shows ward A the versions of documentation it follows of a patient who left (a conflict with the EHR), and nothing else of them; ward B none', async () => {
    const left = await admitPatient(hub.db, 'a');
    const since = (
      await bundle(
        await deviceA.fetch(`/fhir/Observation/_history?_since=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`),
      )
    ).meta!.lastUpdated!;
    const discharged = encounter(left.encounterId, left.patientId, 'a', 'finished');
    discharged.location = discharged.location!.map((entry) => ({ ...entry, status: 'completed' as const }));
    await feedResources(hub.db, [discharged]);
    const followedId = `followed-${left.patientId.slice(2, 10)}`;
    const otherId = `other-${left.patientId.slice(2, 10)}`;
    await feedResources(hub.db, [observation(left.patientId, { id: followedId }), observation(left.patientId, { id: otherId })]);
    await followOnWards(hub.db, 'Observation', followedId, ['Location/ward-a']);
    // A later version of it (the hub's conflict mark, a user's settlement) reaches ward A too.
    await feedResources(hub.db, [observation(left.patientId, { id: followedId, value: 99 })]);

    const seenByA = await bundle(await deviceA.fetch(`/fhir/Observation/_history?_since=${encodeURIComponent(since)}`));
    expect((seenByA.entry ?? []).map((e) => `${e.resource?.id}/${e.resource?.meta?.versionId}`)).toEqual([
      `${followedId}/2`,
      `${followedId}/1`,
    ]);
    const seenByB = await bundle(await deviceB.fetch(`/fhir/_history?_since=${encodeURIComponent(since)}`));
    expect((seenByB.entry ?? []).filter((e) => referencesPatient(e, left.patientId))).toEqual([]);
    // Following is for history only: the patient's chart stays closed to ward A (it reads by id only a
    // record of the stay it may still change, late-documentation.test.ts).
    expect((await deviceA.fetch(`/fhir/Patient/${left.patientId}`)).status).toBe(403);
    const searched = await bundle(await deviceA.fetch(`/fhir/Observation?patient=${left.patientId}`));
    expect((searched.entry ?? []).map((e) => e.resource?.id)).toEqual([]);
  });
});
