// Notes at the hub over TLS, as a workstation sends them: a DocumentReference uploaded by the device
// alone, in the name of the user its Provenance names, or by a signed-in user. The hub takes a note
// only from a role the shared permission table lets document notes (a physician's, a nurse's), and
// refuses any other role's with 403, storing nothing; a re-sent upload never makes a second note.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPermitted, STAFF_ROLES, type StaffRole } from '../../shared/access/index.js';
import { hubErrorCode } from '../../shared/auth/index.js';
import type { DocumentReference } from '../../shared/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, outboxUpload, seedWard, TEST_IDENTIFIER_SYSTEM, type AdmittedPatient } from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;

let hub: TestHub;
let device: TestDevice;
let onA: AdmittedPatient;
const users = new Map<StaffRole, { userId: string; username: string }>();

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
  await seedWard(hub.db, 'a');
  onA = await admitPatient(hub.db, 'a');
  device = await hub.enrollDevice('a');
  const since = new Date(Date.now() - 2 * DAY);
  for (const role of STAFF_ROLES) {
    const username = `${role}.a`;
    const { userId } = await addUser(hub.db, { username, password: PASSWORD, role, wards: ['a'], mfa: false }, since);
    users.set(role, { userId, username });
  }
});

afterAll(async () => {
  await hub?.stop();
});

function note(text: string, author: string): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }], text: 'Progress note' },
    subject: { reference: `Patient/${onA.patientId}` },
    date: new Date().toISOString(),
    author: [{ reference: `Practitioner/${author}` }],
    description: 'Progress note',
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from(text, 'utf8').toString('base64') } }],
  };
}

/** The notes the hub holds for the patient whose text is `text`. */
async function notesOnHub(text: string): Promise<DocumentReference[]> {
  const response = await device.fetch(`/fhir/DocumentReference?subject=Patient/${onA.patientId}&_count=100`);
  expect(response.status).toBe(200);
  const bundle = (await response.json()) as { entry?: { resource: DocumentReference }[] };
  return (bundle.entry ?? [])
    .map((entry) => entry.resource)
    .filter((resource) => Buffer.from(resource.content[0]?.attachment.data ?? '', 'base64').toString('utf8') === text);
}

describe('a note at the hub', () => {
  it('is taken from the outbox in the name of each role the permission table lets document notes, and refused for every other role', async () => {
    for (const role of STAFF_ROLES) {
      const { userId } = users.get(role)!;
      const text = `Seen on the ward round by the ${role}.`;
      const upload = await device.fetch('/fhir', {
        body: outboxUpload([note(text, userId)], { userId, recorded: new Date().toISOString() }),
      });
      if (isPermitted(role, 'document:note')) {
        expect(upload.status, role).toBe(200);
        expect(await notesOnHub(text), role).toHaveLength(1);
      } else {
        expect(upload.status, role).toBe(403);
        expect(hubErrorCode(await upload.json()), role).toBe('FORBIDDEN');
        expect(await notesOnHub(text), role).toEqual([]);
      }
    }
    expect(isPermitted('physician', 'document:note')).toBe(true);
  });

  it('holds a re-sent upload of the same note once', async () => {
    const { userId } = users.get('physician')!;
    const text = `Plan discussed with the family (${randomUUID()}).`;
    const upload = outboxUpload([note(text, userId)], { userId, recorded: new Date().toISOString() });
    expect((await device.fetch('/fhir', { body: upload })).status).toBe(200);
    expect((await device.fetch('/fhir', { body: upload })).status).toBe(200);
    const held = await notesOnHub(text);
    expect(held).toHaveLength(1);
    expect(held[0]!.identifier?.[0]?.system).toBe(TEST_IDENTIFIER_SYSTEM);
  });

  it("takes a signed-in physician's note and refuses a signed-in clerk's, storing nothing", async () => {
    const physician = users.get('physician')!;
    const clerk = users.get('clerk')!;
    const asPhysician = await device.signedIn(physician.username, PASSWORD);
    const written = await asPhysician.fetch('/fhir/DocumentReference', {
      method: 'POST',
      body: note('Signed in and writing.', physician.userId),
    });
    expect(written.status).toBe(201);
    expect(await notesOnHub('Signed in and writing.')).toHaveLength(1);

    const asClerk = await device.signedIn(clerk.username, PASSWORD);
    const refused = await asClerk.fetch('/fhir/DocumentReference', { method: 'POST', body: note('A clerk writes a note.', clerk.userId) });
    expect(refused.status).toBe(403);
    expect(hubErrorCode(await refused.json())).toBe('FORBIDDEN');
    expect(await notesOnHub('A clerk writes a note.')).toEqual([]);
  });
});
