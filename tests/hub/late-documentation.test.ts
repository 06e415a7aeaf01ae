// The ward a patient left, at the hub over TLS (review 12, finding 3): for 30 days its devices may
// still send documentation of the time the patient was there (downtime entries uploaded after the
// transfer, their corrections) and a 412 names the version of such a record, but nothing of the time
// after (three hours after the transfer here): a reading the new ward recorded is refused (403 OUT_OF_SCOPE) whatever If-Match is given,
// with no version named and nothing changed, and a new reading timed after the transfer (beyond the
// hour's grace) is refused and not stored. Synthetic data only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCurrentVersion, hubErrorCode } from '../../shared/auth/index.js';
import type { Observation } from '../../shared/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
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

let hub: TestHub;
let deviceA: TestDevice;
let deviceB: TestDevice;
let moved: AdmittedPatient;
let nurseA = '';
let nurseB = '';
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
  deviceA = await hub.enrollDevice('a');
  deviceB = await hub.enrollDevice('b');
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
