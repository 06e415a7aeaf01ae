// The ward a patient left, at the hub over TLS (review 12, finding 3): for 30 days its devices may
// still send documentation of the time the patient was there (downtime entries uploaded after the
// transfer, their corrections) and a 412 names the version of such a record, but nothing of the time
// after (three hours after the transfer here): a reading the new ward recorded is refused (403 OUT_OF_SCOPE) whatever If-Match is given,
// with no version named and nothing changed, and a new reading timed after the transfer (beyond the
// hour's grace) is refused and not stored. The device of the ward the patient left reads, by id, the
// current version of a record of the stay it may still change (so its conflict is not settled blind),
// recorded in the hub's trail, and nothing else of the chart. Synthetic data only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCurrentVersion, hubErrorCode } from '../../shared/auth/index.js';
import type { Observation } from '../../shared/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { importResources, putResources } from '../../server/fhir/index.js';
import {
  bedLocation,
  encounter,
  feedResources,
  observation,
  outboxUpload,
  patient,
  TEST_IDENTIFIER_SYSTEM,
  wardLocation,
  type AdmittedPatient,
} from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

let hub: TestHub;
let deviceA: TestDevice;
let deviceB: TestDevice;
let moved: AdmittedPatient;
let nurseA = '';
let nurseB = '';
let officerA: TestDevice;
const duringStay = `obs-${randomUUID()}`;

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
  // The hub's clock only moves forward: everything of the past is written first, in order.
  const wards = ['a', 'b'].flatMap((ward) => [wardLocation(ward), ...[1, 2, 3, 4].map((bed) => bedLocation(ward, bed))]);
  await importResources(hub.db, wards, new Date(Date.now() - 6 * HOUR));
  const since = new Date(Date.now() - 2 * DAY);
  nurseA = (await addUser(hub.db, { username: 'nurse.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false }, since)).userId;
  nurseB = (await addUser(hub.db, { username: 'nurse.b', password: PASSWORD, role: 'nurse', wards: ['b'], mfa: false }, since)).userId;
  // Admitted to ward a five hours ago, transferred to ward b three hours ago (the hub's ADT times).
  moved = { patientId: `p-${randomUUID()}`, encounterId: `e-${randomUUID()}` };
  await importResources(
    hub.db,
    [
      patient(moved.patientId),
      encounter(moved.encounterId, moved.patientId, 'a'),
      { ...observation(moved.patientId, { id: duringStay }), effectiveDateTime: new Date(Date.now() - 4 * HOUR).toISOString() },
    ],
    new Date(Date.now() - 5 * HOUR),
  );
  const transferred = encounter(moved.encounterId, moved.patientId, 'b');
  transferred.location = [
    { location: { reference: 'Location/ward-a' }, status: 'completed' },
    { location: { reference: 'Location/ward-b' } },
    { location: { reference: 'Location/bed-b-2' } },
  ];
  await putResources(hub.db, [transferred], new Date(Date.now() - 3 * HOUR));
  await addUser(hub.db, { username: 'privacy.a', password: PASSWORD, role: 'admin', wards: ['a'], mfa: false }, since);
  deviceA = await hub.enrollDevice('a');
  deviceB = await hub.enrollDevice('b');
  officerA = await (await hub.enrollDevice('a')).signedIn('privacy.a', PASSWORD);
});

afterAll(async () => {
  await hub?.stop();
});

function reading(value: number, effectiveAt: Date): Observation {
  return { ...observation(moved.patientId, { value }), effectiveDateTime: effectiveAt.toISOString() };
}

/** The outbox's transaction changing Observation `id` on `version`, with the Provenance naming `author`. */
function change(id: string, body: Observation, version: string, author: string): Record<string, unknown> {
  const provenanceId = randomUUID();
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: `Observation/${id}`,
        resource: { ...body, id },
        request: { method: 'PUT', url: `Observation/${id}`, ifMatch: `W/"${version}"` },
      },
      {
        fullUrl: `Provenance/${provenanceId}`,
        resource: {
          resourceType: 'Provenance',
          id: provenanceId,
          target: [{ reference: `Observation/${id}` }, { reference: `Patient/${moved.patientId}` }],
          recorded: new Date().toISOString(),
          agent: [{ who: { reference: `Practitioner/${author}` } }],
        },
        request: { method: 'PUT', url: `Provenance/${provenanceId}` },
      },
    ],
  };
}

async function copyOnB(id: string): Promise<Observation> {
  const response = await deviceB.fetch(`/fhir/Observation/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Observation;
}

async function heldWithIdentifier(value: string): Promise<number> {
  const response = await deviceB.fetch(`/fhir/Observation?identifier=${encodeURIComponent(`${TEST_IDENTIFIER_SYSTEM}|${value}`)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { entry?: unknown[] }).entry?.length ?? 0;
}

describe('documentation from the ward a patient left', () => {
  it('cannot retract or correct what the new ward recorded, whatever version it names, and learns no version', async () => {
    const upload = await deviceB.fetch('/fhir', {
      body: outboxUpload([reading(77, new Date())], { userId: nurseB, recorded: new Date().toISOString() }),
    });
    expect(upload.status).toBe(200);
    const location = ((await upload.json()) as { entry: { response: { location: string } }[] }).entry[0]!.response.location;
    const bId = /Observation\/([^/]+)/.exec(location)![1]!;
    const onB = await copyOnB(bId);
    expect((await deviceA.fetch(`/fhir/Observation/${bId}`)).status).toBe(403);

    for (const version of ['9', '1']) {
      for (const body of [
        { ...onB, status: 'entered-in-error', note: [{ text: 'Entered in error.' }] },
        { ...onB, status: 'corrected', valueQuantity: { ...onB.valueQuantity!, value: 55 } },
      ] as Observation[]) {
        const refused = await deviceA.fetch('/fhir', { body: change(bId, body, version, nurseA) });
        expect(refused.status).toBe(403);
        const outcome: unknown = await refused.json();
        expect(hubErrorCode(outcome)).toBe('OUT_OF_SCOPE');
        expect(hubCurrentVersion(outcome)).toBeUndefined();
      }
    }
    expect(await copyOnB(bId)).toEqual(onB);
  });

  it('cannot document after the transfer, but still delivers downtime documentation of the stay', async () => {
    const now = randomUUID();
    const afterTransfer = outboxUpload([{ ...reading(80, new Date()), identifier: [{ system: TEST_IDENTIFIER_SYSTEM, value: now }] }], {
      userId: nurseA,
      recorded: new Date().toISOString(),
    });
    const refused = await deviceA.fetch('/fhir', { body: afterTransfer });
    expect(refused.status).toBe(403);
    expect(hubErrorCode(await refused.json())).toBe('OUT_OF_SCOPE');
    expect(await heldWithIdentifier(now)).toBe(0);
    const late = await deviceA.fetch('/fhir', {
      body: outboxUpload([reading(81, new Date(Date.now() - 3.5 * HOUR))], {
        userId: nurseA,
        recorded: new Date(Date.now() - 3.5 * HOUR).toISOString(),
      }),
    });
    expect(late.status, await late.clone().text()).toBe(200);
  });

  it.each([
    ['recorded during the stay', 3.2 * HOUR],
    ['charted now from paper, timed during the stay', 0],
  ])(
    'answers a retry of delivered documentation of the stay (its answer lost) as delivered, and stores it once: %s',
    async (_case, recordedAgo) => {
      const upload = outboxUpload([reading(82, new Date(Date.now() - 3.2 * HOUR))], {
        userId: nurseA,
        recorded: new Date(Date.now() - recordedAgo).toISOString(),
      });
      const clientId = (upload as { entry: { resource: Observation }[] }).entry[0]!.resource.identifier![0]!.value!;
      const first = await deviceA.fetch('/fhir', { body: upload });
      expect(first.status, await first.clone().text()).toBe(200);
      const again = await deviceA.fetch('/fhir', { body: upload });
      expect(again.status, await again.clone().text()).toBe(200);
      expect(await heldWithIdentifier(clientId)).toBe(1);
    },
  );

  it('names in a 412 the version of a record of the stay, and takes its correction on that version', async () => {
    await feedResources(hub.db, [{ ...(await copyOnB(duringStay)), note: [{ text: 'rechecked on b' }] } as Observation]);
    const held = await copyOnB(duringStay);
    const retracted = { ...held, status: 'entered-in-error', note: [...(held.note ?? []), { text: 'Entered in error.' }] } as Observation;
    const stale = await deviceA.fetch('/fhir', { body: change(duringStay, retracted, '1', nurseA) });
    expect(stale.status).toBe(412);
    expect(hubCurrentVersion(await stale.json())).toEqual({ resourceType: 'Observation', id: duringStay, versionId: held.meta!.versionId });
    expect((await deviceA.fetch('/fhir', { body: change(duringStay, retracted, held.meta!.versionId!, nurseA) })).status).toBe(200);
    expect((await copyOnB(duringStay)).status).toBe('entered-in-error');
  });
});

/** The hub's record of the reads it served beyond the caller's scope, for `patientId`. */
async function accessLog(patientId: string): Promise<Record<string, unknown>[]> {
  return hub.db.query(
    'SELECT device_id, user_id, interaction, res_type, res_id, basis FROM hub_access_log WHERE patient_id = $1 ORDER BY at',
    [patientId],
  );
}

describe('the current version of a record of the stay, read by the ward the patient left', () => {
  it('is shown to its device, alone or with a signed-in nurse of the ward, and recorded in the trail', async () => {
    await feedResources(hub.db, [{ ...(await copyOnB(duringStay)), note: [{ text: 'seen again on b' }] } as Observation]);
    const onB = await copyOnB(duringStay);
    const before = (await accessLog(moved.patientId)).length;

    const read = await deviceA.fetch(`/fhir/Observation/${duringStay}`);
    expect(read.status, await read.clone().text()).toBe(200);
    expect(read.headers.get('etag')).toBe(`W/"${onB.meta!.versionId}"`);
    expect(await read.json()).toEqual(onB);
    const nurse = await deviceA.signedIn('nurse.a', PASSWORD);
    const byNurse = await nurse.fetch(`/fhir/Observation/${duringStay}`);
    expect(byNurse.status).toBe(200);
    expect(await byNurse.json()).toEqual(onB);

    expect((await accessLog(moved.patientId)).slice(before)).toEqual([
      {
        device_id: deviceA.clientId,
        user_id: null,
        interaction: 'read',
        res_type: 'Observation',
        res_id: duringStay,
        basis: 'late-documentation',
      },
      {
        device_id: deviceA.clientId,
        user_id: nurseA,
        interaction: 'read',
        res_type: 'Observation',
        res_id: duringStay,
        basis: 'late-documentation',
      },
    ]);
    const trail = await officerA.fetch(`/fhir/AuditEvent?patient=${moved.patientId}&wardline-action=late-documentation-read`);
    expect(trail.status).toBe(200);
    const events = ((await trail.json()) as { entry?: { resource: Record<string, unknown> }[] }).entry ?? [];
    expect(events).toHaveLength(2);
    for (const { resource } of events) {
      expect(resource.subtype).toEqual([expect.objectContaining({ code: 'read' })]);
      expect(JSON.stringify(resource.entity)).toContain(`Observation/${duringStay}`);
      expect(JSON.stringify(resource.purposeOfEvent)).toContain('"TREAT"');
    }
  });

  it('shows nothing else of the chart: not what the new ward recorded, not a lab result of the stay, not the patient', async () => {
    const upload = await deviceB.fetch('/fhir', {
      body: outboxUpload([reading(64, new Date())], { userId: nurseB, recorded: new Date().toISOString() }),
    });
    expect(upload.status).toBe(200);
    const location = ((await upload.json()) as { entry: { response: { location: string } }[] }).entry[0]!.response.location;
    const afterTransfer = /Observation\/([^/]+)/.exec(location)![1]!;
    const lab = `lab-${randomUUID()}`;
    await importResources(
      hub.db,
      [
        {
          ...observation(moved.patientId, { id: lab, value: 142 }),
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '2951-2', display: 'Sodium' }] },
          valueQuantity: { value: 142, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
          effectiveDateTime: new Date(Date.now() - 4 * HOUR).toISOString(),
        } as Observation,
      ],
      new Date(),
    );
    const before = (await accessLog(moved.patientId)).length;
    const nurse = await deviceA.signedIn('nurse.a', PASSWORD);
    for (const caller of [deviceA, nurse]) {
      for (const path of [
        `/fhir/Observation/${afterTransfer}`,
        `/fhir/Observation/${lab}`,
        `/fhir/Patient/${moved.patientId}`,
        `/fhir/Encounter/${moved.encounterId}`,
        `/fhir/Patient/${moved.patientId}/$everything`,
        `/fhir/Observation/${duringStay}/_history/1`,
        `/fhir/Observation/${duringStay}/_history`,
      ]) {
        const refused = await caller.fetch(path);
        expect(refused.status, path).toBe(403);
        const text = await refused.text();
        expect(hubErrorCode(JSON.parse(text))).toBe('OUT_OF_SCOPE');
        for (const revealed of ['64', '142', 'rechecked', 'seen again']) expect(text).not.toContain(revealed);
      }
      const search = await caller.fetch(`/fhir/Observation?patient=${moved.patientId}`);
      expect(search.status).toBe(200);
      expect(((await search.json()) as { entry?: unknown[] }).entry ?? []).toEqual([]);
    }
    expect((await accessLog(moved.patientId)).slice(before)).toEqual([]);
  });
});

// A workstation in downtime at the transfer (network down for hours; the hub and the ADT feed ran
// on) could not know the patient left: its nurse went on documenting at the bedside, and all of it is
// delivered when it reconnects, timed up to its first contact (a read) after the transfer plus the
// grace. A workstation in contact at the transfer keeps the hub's window. Beyond the transfer plus the
// grace, a device matches, reads and changes only what it stored itself (review 14): its retry is
// answered as delivered whenever it comes, and what the new ward records stays the new ward's. The
// hub's clock is moved (never back) through the day: times are from when the test started.
describe.each<HubEngine>(['sqlite', 'postgres'])('documentation from a workstation that could not know the patient left (%s)', (engine) => {
  const base = Date.now();
  let offset = -12 * HOUR;
  /** Sets the hub's clock to `t` ms from the test's start (moving on in real time from there). */
  const hubAt = (t: number): void => {
    offset = Math.max(offset, base + t - Date.now());
  };
  const at = (t: number): Date => new Date(base + t);
  let clockHub: TestHub;
  let away: TestDevice;
  let near: TestDevice;
  let flaky: TestDevice;
  let retrier: TestDevice;
  let pusher: TestDevice;
  let silent: TestDevice;
  let onB: TestDevice;
  let nurse = '';
  let colleague = '';
  let left: AdmittedPatient;

  beforeAll(async () => {
    clockHub = await startHub({
      engine,
      clock: () => new Date(Date.now() + offset),
      rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 },
    });
    const wards = ['a', 'b'].flatMap((ward) => [wardLocation(ward), ...[1, 2, 3, 4].map((bed) => bedLocation(ward, bed))]);
    await importResources(clockHub.db, wards, at(-12 * HOUR));
    nurse = (await addUser(clockHub.db, { username: 'nurse.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false }, at(-2 * DAY)))
      .userId;
    colleague = (
      await addUser(clockHub.db, { username: 'nurse.b', password: PASSWORD, role: 'nurse', wards: ['b'], mfa: false }, at(-2 * DAY))
    ).userId;
    left = { patientId: `p-${randomUUID()}`, encounterId: `e-${randomUUID()}` };
    await importResources(clockHub.db, [patient(left.patientId), encounter(left.encounterId, left.patientId, 'a')], at(-11 * HOUR));
    hubAt(-10.5 * HOUR);
    away = await clockHub.enrollDevice('a');
    near = await clockHub.enrollDevice('a');
    flaky = await clockHub.enrollDevice('a');
    retrier = await clockHub.enrollDevice('a');
    pusher = await clockHub.enrollDevice('a');
    silent = await clockHub.enrollDevice('a');
    onB = await clockHub.enrollDevice('b');
    for (const device of [away, near, flaky, retrier, pusher]) {
      expect((await device.fetch(`/fhir/Patient/${left.patientId}`)).status).toBe(200);
    }
    // `near` is in contact just before and just after the transfer (10 hours ago); `away` is not
    // heard of again until 5 hours ago. `silent` reads half a minute before the transfer (recorded)
    // and 15 s after it (learning of it; not recorded: `last_seen` is written at most once a
    // minute), then is heard of no more.
    hubAt(-10 * HOUR - 2 * 60_000);
    expect((await near.fetch(`/fhir/Patient/${left.patientId}`)).status).toBe(200);
    hubAt(-10 * HOUR - 30_000);
    expect((await silent.fetch(`/fhir/Patient/${left.patientId}`)).status).toBe(200);
    const transferred = encounter(left.encounterId, left.patientId, 'b');
    transferred.location = [
      { location: { reference: 'Location/ward-a' }, status: 'completed' },
      { location: { reference: 'Location/ward-b' } },
      { location: { reference: 'Location/bed-b-2' } },
    ];
    await putResources(clockHub.db, [transferred], at(-10 * HOUR));
    hubAt(-10 * HOUR + 15_000);
    expect((await silent.fetch(`/fhir/Patient/${left.patientId}`)).status).toBe(403);
    hubAt(-10 * HOUR + 2 * 60_000);
    expect((await near.fetch(`/fhir/Patient/${left.patientId}`)).status).toBe(403);
  });

  afterAll(async () => {
    await clockHub?.stop();
  });

  function heartRate(value: number, effective: Date): Observation {
    return { ...observation(left.patientId, { value }), effectiveDateTime: effective.toISOString() };
  }

  /** Uploads `readings` as the outbox does (recorded at the last one's time); returns the answer and their client ids. */
  async function upload(device: TestDevice, author: string, readings: Observation[]): Promise<{ response: Response; body: unknown }> {
    const recorded = readings
      .map((reading) => reading.effectiveDateTime!)
      .sort()
      .at(-1)!;
    const body = outboxUpload(readings, { userId: author, recorded });
    return { response: await device.fetch('/fhir', { body }), body };
  }

  function clientIdsOf(body: unknown): string[] {
    return (body as { entry: { resource: Observation }[] }).entry
      .filter((entry) => entry.resource.resourceType === 'Observation')
      .map((entry) => entry.resource.identifier![0]!.value!);
  }

  async function copiesOf(clientId: string): Promise<Observation[]> {
    const response = await onB.fetch(`/fhir/Observation?identifier=${encodeURIComponent(`${TEST_IDENTIFIER_SYSTEM}|${clientId}`)}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { entry?: { resource: Observation }[] }).entry?.map((entry) => entry.resource) ?? [];
  }

  /** `reading` uploaded as the outbox does, but created only if nothing matches `condition` (a probe). */
  function conditionalUpload(reading: Observation, author: string, condition: string): Record<string, unknown> {
    const body = outboxUpload([reading], { userId: author, recorded: reading.effectiveDateTime! }) as {
      entry: { request: Record<string, unknown> }[];
    };
    body.entry[0]!.request = { ...body.entry[0]!.request, ifNoneExist: condition };
    return body;
  }

  function retraction(held: Observation, author: string, recorded: Date): Record<string, unknown> {
    const retracted = { ...held, status: 'entered-in-error', note: [{ text: 'Entered in error.' }] } as Observation;
    const provenanceId = randomUUID();
    return {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: `Observation/${held.id}`,
          resource: retracted,
          request: { method: 'PUT', url: `Observation/${held.id}`, ifMatch: `W/"${held.meta!.versionId}"` },
        },
        {
          fullUrl: `Provenance/${provenanceId}`,
          resource: {
            resourceType: 'Provenance',
            id: provenanceId,
            target: [{ reference: `Observation/${held.id}` }, { reference: `Patient/${left.patientId}` }],
            recorded: recorded.toISOString(),
            agent: [{ who: { reference: `Practitioner/${author}` } }],
          },
          request: { method: 'PUT', url: `Provenance/${provenanceId}` },
        },
      ],
    };
  }

  it('delivers, once, what a workstation out of contact since before the transfer documented during its downtime', async () => {
    // The new ward documents while ward a's workstation is away.
    hubAt(-7 * HOUR);
    const byB = await upload(onB, colleague, [heartRate(90, at(-7 * HOUR))]);
    expect(byB.response.status, await byB.response.clone().text()).toBe(200);
    const [newWards] = await copiesOf(clientIdsOf(byB.body)[0]!);
    // Ward a's workstation reconnects 5 hours ago, with readings of 9, 7 and 5 hours ago.
    hubAt(-5 * HOUR);
    const downtime = await upload(away, nurse, [
      heartRate(81, at(-9 * HOUR)),
      heartRate(82, at(-7 * HOUR)),
      heartRate(83, at(-5 * HOUR - 10 * 60_000)),
    ]);
    expect(downtime.response.status, await downtime.response.clone().text()).toBe(200);
    const again = await away.fetch('/fhir', { body: downtime.body });
    expect(again.status, await again.clone().text()).toBe(200);
    for (const clientId of clientIdsOf(downtime.body)) expect(await copiesOf(clientId)).toHaveLength(1);
    // Then it reads the census, as a sync cycle does after its push: now it could know.
    expect((await away.fetch(`/fhir/Patient/${left.patientId}`)).status).toBe(403);
    // It may correct what it documented, never what the new ward documented while it was away.
    const [own] = await copiesOf(clientIdsOf(downtime.body)[1]!);
    const corrected = await away.fetch('/fhir', { body: retraction(own!, nurse, at(-5 * HOUR)) });
    expect(corrected.status, await corrected.clone().text()).toBe(200);
    const refused = await away.fetch('/fhir', { body: retraction(newWards!, nurse, at(-5 * HOUR)) });
    expect(refused.status).toBe(403);
    expect(hubErrorCode(await refused.json())).toBe('OUT_OF_SCOPE');
    expect((await copiesOf(clientIdsOf(byB.body)[0]!))[0]).toEqual(newWards);
  });

  it('refuses a reading timed two hours after the transfer from a workstation in contact at the transfer', async () => {
    hubAt(-5 * HOUR);
    const late = await upload(near, nurse, [heartRate(84, at(-8 * HOUR))]);
    expect(late.response.status).toBe(403);
    expect(hubErrorCode(await late.response.json())).toBe('OUT_OF_SCOPE');
    expect(await copiesOf(clientIdsOf(late.body)[0]!)).toHaveLength(0);
  });

  it('refuses, once the workstation has read from the hub after the transfer, a reading timed after that read plus the grace', async () => {
    hubAt(-3 * HOUR);
    const beyond = await upload(away, nurse, [heartRate(85, at(-3 * HOUR - 20 * 60_000))]);
    expect(beyond.response.status).toBe(403);
    expect(hubErrorCode(await beyond.response.json())).toBe('OUT_OF_SCOPE');
    expect(await copiesOf(clientIdsOf(beyond.body)[0]!)).toHaveLength(0);
    const withinGrace = await upload(away, nurse, [heartRate(86, at(-4.5 * HOUR))]);
    expect(withinGrace.response.status, await withinGrace.response.clone().text()).toBe(200);
  });

  it('still takes, from a workstation whose connection dropped between its push and its census read, what it documented in a second outage', async () => {
    hubAt(-3 * HOUR);
    const first = await upload(flaky, nurse, [heartRate(87, at(-6 * HOUR))]);
    expect(first.response.status, await first.response.clone().text()).toBe(200);
    // The network drops before the census is read; the nurse documents on, at the bedside.
    hubAt(-1.5 * HOUR);
    const second = await upload(flaky, nurse, [heartRate(88, at(-1.75 * HOUR))]);
    expect(second.response.status, await second.response.clone().text()).toBe(200);
    expect(await copiesOf(clientIdsOf(second.body)[0]!)).toHaveLength(1);
    // It reads the census: from then on the hub's window for it closes an hour later.
    expect((await flaky.fetch(`/fhir/Patient/${left.patientId}`)).status).toBe(403);
    hubAt(-0.1 * HOUR);
    const after = await upload(flaky, nurse, [heartRate(89, at(-0.25 * HOUR))]);
    expect(after.response.status).toBe(403);
    expect(hubErrorCode(await after.response.json())).toBe('OUT_OF_SCOPE');
  });

  it('answers a retry of its own late upload as delivered, once, minutes later with no read between or after one, and takes its correction', async () => {
    hubAt(0);
    const late = await upload(retrier, nurse, [heartRate(71, at(-8 * HOUR))]);
    expect(late.response.status, await late.response.clone().text()).toBe(200);
    const clientId = clientIdsOf(late.body)[0]!;
    // Its answer is lost: the outbox sends it again two minutes later, before any read (a sync
    // cycle pushes first), then again after a census read more than a minute after the push.
    hubAt(2 * MINUTE);
    const again = await retrier.fetch('/fhir', { body: late.body });
    expect(again.status, await again.clone().text()).toBe(200);
    hubAt(3 * MINUTE);
    expect((await retrier.fetch(`/fhir/Patient/${left.patientId}`)).status).toBe(403);
    hubAt(5 * MINUTE);
    const third = await retrier.fetch('/fhir', { body: late.body });
    expect(third.status, await third.clone().text()).toBe(200);
    const copies = await copiesOf(clientId);
    expect(copies).toHaveLength(1);
    const corrected = await retrier.fetch('/fhir', { body: retraction(copies[0]!, nurse, at(5 * MINUTE)) });
    expect(corrected.status, await corrected.clone().text()).toBe(200);
    expect((await copiesOf(clientId))[0]!.status).toBe('entered-in-error');
  });

  it('never shows, matches or changes, for the ward the patient left, what the new ward charted after it came back, timed within its window', async () => {
    // The new ward charts from paper a reading of 4.5 hours ago: within the window of `away`, which
    // came back 5 hours ago.
    hubAt(10 * MINUTE);
    const byB = await upload(onB, colleague, [heartRate(99, at(-4.5 * HOUR))]);
    expect(byB.response.status, await byB.response.clone().text()).toBe(200);
    const [newWards] = await copiesOf(clientIdsOf(byB.body)[0]!);
    hubAt(11 * MINUTE);
    const read = await away.fetch(`/fhir/Observation/${newWards!.id}`);
    expect(read.status).toBe(403);
    expect(hubErrorCode(await read.json())).toBe('OUT_OF_SCOPE');
    const refused = await away.fetch('/fhir', { body: retraction(newWards!, nurse, at(11 * MINUTE)) });
    expect(refused.status).toBe(403);
    expect(hubErrorCode(await refused.json())).toBe('OUT_OF_SCOPE');
    // A conditional create finds it neither by its identifier nor by its patient and when it was
    // stored: the device's own reading is stored instead, and the answer holds nothing of the new ward's.
    const stored = encodeURIComponent(at(10 * MINUTE - 5_000).toISOString());
    for (const condition of [
      `identifier=${TEST_IDENTIFIER_SYSTEM}|${clientIdsOf(byB.body)[0]!}`,
      `patient=Patient/${left.patientId}&_lastUpdated=gt${stored}`,
    ]) {
      const probe = await away.fetch('/fhir', { body: conditionalUpload(heartRate(60, at(-4.5 * HOUR)), nurse, condition) });
      const text = await probe.text();
      expect(probe.status, text).toBe(200);
      expect(text).not.toContain(newWards!.id!);
    }
    expect((await copiesOf(clientIdsOf(byB.body)[0]!))[0]).toEqual(newWards);
    expect(await clockHub.db.query('SELECT res_id FROM hub_access_log WHERE res_id = $1', [newWards!.id])).toEqual([]);
  });

  it('never answers a conditional create from a workstation that only pushes with what the new ward records', async () => {
    hubAt(20 * MINUTE);
    const byB = await upload(onB, colleague, [heartRate(141, at(20 * MINUTE))]);
    expect(byB.response.status, await byB.response.clone().text()).toBe(200);
    const [newWards] = await copiesOf(clientIdsOf(byB.body)[0]!);
    hubAt(20 * MINUTE + 20_000);
    const stored = encodeURIComponent(at(20 * MINUTE - 5_000).toISOString());
    const probe = await pusher.fetch('/fhir', {
      body: conditionalUpload(heartRate(60, at(20 * MINUTE)), nurse, `patient=Patient/${left.patientId}&_lastUpdated=gt${stored}`),
    });
    const text = await probe.text();
    expect(probe.status, text).toBe(200);
    expect(text).not.toContain(newWards!.id!);
    expect((await pusher.fetch(`/fhir/Observation/${newWards!.id}`)).status).toBe(403);
    const refused = await pusher.fetch('/fhir', { body: retraction(newWards!, nurse, at(20 * MINUTE)) });
    expect(refused.status).toBe(403);
    expect((await copiesOf(clientIdsOf(byB.body)[0]!))[0]).toEqual(newWards);
  });

  it('answers a conditional create of a Provenance the same whether or not the new ward documented the patient who left', async () => {
    hubAt(25 * MINUTE);
    async function probe(condition: string): Promise<string> {
      const provenance = randomUUID();
      const body = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: `urn:uuid:${provenance}`,
            resource: {
              resourceType: 'Provenance',
              target: [{ reference: `Patient/${left.patientId}` }],
              recorded: at(25 * MINUTE).toISOString(),
              agent: [{ who: { reference: `Practitioner/${nurse}` } }],
            },
            request: { method: 'POST', url: 'Provenance', ifNoneExist: condition },
          },
        ],
      };
      const response = await away.fetch('/fhir', { body });
      return `${response.status} ${hubErrorCode(await response.json())}`;
    }
    // The new ward documented the patient 10 and 20 minutes ago, and not since.
    const since = (t: number): string => encodeURIComponent(at(t).toISOString());
    const documented = await probe(`patient=Patient/${left.patientId}&_lastUpdated=gt${since(5 * MINUTE)}`);
    const notSince = await probe(`patient=Patient/${left.patientId}&_lastUpdated=gt${since(24 * MINUTE)}`);
    const never = await probe(`patient=Patient/p-${randomUUID()}`);
    expect(documented).toBe(notSince);
    expect(documented).toBe(never);
    expect(documented.startsWith('403')).toBe(true);
  });

  it('refuses a reading timed two hours after the transfer from a workstation that read just after it (its read not recorded) and went silent', async () => {
    hubAt(30 * MINUTE);
    const late = await upload(silent, nurse, [heartRate(77, at(-8 * HOUR))]);
    expect(late.response.status).toBe(403);
    expect(hubErrorCode(await late.response.json())).toBe('OUT_OF_SCOPE');
    expect(await copiesOf(clientIdsOf(late.body)[0]!)).toHaveLength(0);
  });
});
