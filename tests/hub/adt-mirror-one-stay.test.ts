// One stay at a time whether the ADT feed or the upstream mirror brought it (docs/INTEGRATION.md
// "One stay, and beds", docs/UPSTREAM.md "One stay"): the EHR is Medplum's engine over HTTPS (SMART
// Backend Services), the feed a third-party HL7 v2 client (node-hl7-client) over MLLP with TLS, the
// census read at the hub's FHIR API as the ward's device reads it. Without a visit-number mapping the
// EHR's in-progress Encounter cannot be matched to the feed's visit; it leaves the ward's census
// while the feed holds the patient's stay, whichever came first, so the patient is listed once, at
// the feed's bed. Synthetic patients only.
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encounter, Patient } from '@medplum/fhirtypes';
import type { UpstreamMirror } from '../../server/integration/index.js';
import { startAdtTestHub, type AdtTestHub } from '../support/adt-test-hub.js';
import { hl7Calendar } from '../support/hl7-time.js';
import { createTestEhrMirror } from '../support/test-ehr-mirror.js';
import { startUpstreamFhirServer, type UpstreamFhirServer } from '../support/upstream-fhir-server.js';

const CLIENT_ID = 'wardline-hub-one-stay';
const at = hl7Calendar(1);

let feed: AdtTestHub;
let upstream: UpstreamFhirServer;
let mirror: UpstreamMirror;
let wardLocationRef = '';

beforeAll(async () => {
  upstream = await startUpstreamFhirServer();
  const keys = await generateKeyPair('ES384', { extractable: true });
  upstream.registerClient(CLIENT_ID, { ...(await exportJWK(keys.publicKey)), alg: 'ES384' });
  const ward = await upstream.repo.createResource({ resourceType: 'Location', name: 'Ward A', mode: 'instance' });
  wardLocationRef = `Location/${ward.id}`;
  feed = await startAdtTestHub({ seed: 'adt-mirror-one-stay', patients: 1, controlPrefix: 'MSTAY' });
  mirror = await createTestEhrMirror(feed.hub.db, upstream, {
    clientId: CLIENT_ID,
    privateKeyPem: await exportPKCS8(keys.privateKey),
    ward: 'a',
    location: wardLocationRef,
  });
}, 120_000);

afterAll(async () => {
  await mirror?.stop();
  await feed?.close();
  await upstream?.stop();
});

/** A patient registered in the EHR with the hospital's MRN (typed MR), admitted there to the ward; the EHR's ids. */
async function ehrAdmitted(mrn: string, family: string): Promise<{ patientId: string; encounter: Encounter }> {
  const patient = await upstream.repo.createResource<Patient>({
    resourceType: 'Patient',
    name: [{ family, given: ['Alex'] }],
    birthDate: '1950-01-01',
    identifier: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
        system: 'urn:example:mrn',
        value: mrn,
      },
    ],
  });
  const encounter = await upstream.repo.createResource<Encounter>({
    resourceType: 'Encounter',
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    subject: { reference: `Patient/${patient.id}` },
    period: { start: new Date(Date.now() - 3600_000).toISOString() },
    location: [{ location: { reference: wardLocationRef }, status: 'active' }],
  });
  return { patientId: patient.id!, encounter };
}

const listed = async (mrn: string): Promise<string[]> => (await feed.censusMrns()).filter((m) => m === mrn);

async function hubEncounter(id: string): Promise<Encounter> {
  const res = await feed.device.fetch(`/fhir/Encounter/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Encounter;
}

describe('one stay at a time across the ADT feed and the mirror of the EHR', () => {
  it("lists a patient the mirror holds once after the feed admits them under a visit the EHR's encounter cannot be matched to", async () => {
    const mrn = 'MRN9610001';
    const { encounter } = await ehrAdmitted(mrn, 'Mirrorstay');
    expect((await mirror.runCycle()).ok).toBe(true);
    expect(await listed(mrn)).toEqual([mrn]);

    expect(
      await feed.send({ event: 'A01', at: at('080000'), mrn, family: 'Mirrorstay', location: 'a^21^A', visit: 'V9610001' }),
    ).toMatchObject({ code: 'AA' });
    expect(await listed(mrn)).toEqual([mrn]);
    // The EHR's record is kept, in progress, off the hub's ward; the feed's stay is the census row.
    const ehrCopy = await hubEncounter(encounter.id!);
    expect(ehrCopy.status).toBe('in-progress');
    expect(ehrCopy.location?.map((l) => l.location.reference)).not.toContain('Location/ward-a');

    // The mirror's next cycles (the same EHR version, then a new one) do not put it back on the ward.
    const before = await feed.storeMark();
    expect((await mirror.runCycle()).ok).toBe(true);
    expect(await feed.storeMark()).toBe(before);
    await upstream.repo.updateResource<Encounter>({ ...encounter, reasonCode: [{ text: 'Community-acquired pneumonia' }] });
    expect((await mirror.runCycle()).ok).toBe(true);
    expect((await hubEncounter(encounter.id!)).reasonCode).toEqual([{ text: 'Community-acquired pneumonia' }]);
    expect(await listed(mrn)).toEqual([mrn]);

    // The feed's discharge ends the one stay the census listed.
    expect(await feed.send({ event: 'A03', at: at('090000'), mrn, visit: 'V9610001' })).toMatchObject({ code: 'AA' });
    expect(await listed(mrn)).toEqual([]);
  });

  it("lists a patient the feed admitted once after the mirror pulls the EHR's encounter of them", async () => {
    const mrn = 'MRN9610002';
    expect(
      await feed.send({ event: 'A01', at: at('081000'), mrn, family: 'Feedstay', location: 'a^22^A', visit: 'V9610002' }),
    ).toMatchObject({
      code: 'AA',
    });
    expect(await listed(mrn)).toEqual([mrn]);
    const { patientId, encounter } = await ehrAdmitted(mrn, 'Feedstay');
    expect((await mirror.runCycle()).ok).toBe(true);
    expect(await listed(mrn)).toEqual([mrn]);
    const ehrCopy = await hubEncounter(encounter.id!);
    expect(ehrCopy.subject?.reference).toBe(`Patient/${patientId}`);
    expect(ehrCopy.location?.map((l) => l.location.reference)).not.toContain('Location/ward-a');
    // The feed's next events reach the one stay.
    expect(await feed.send({ event: 'A02', at: at('083000'), mrn, location: 'a^22^B', visit: 'V9610002' })).toMatchObject({ code: 'AA' });
    expect(await listed(mrn)).toEqual([mrn]);
  });
});
