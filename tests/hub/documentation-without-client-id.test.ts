// Documentation a signed-in user sends the hub without the workstation's client id (a plain create
// through the hub's API) cannot be sent back to the EHR exactly once: the conditional create keys
// on that id. It must not wait in the outbox for ever, silently, holding up what comes after it: the
// hub keeps its record of who wrote it (the Provenance it wrote) as refused for IT, with the reason
// naming the documentation, and the documentation sent after it reaches the EHR once. The upstream
// is a third-party FHIR server (Medplum's engine over HTTPS, SMART Backend Services) loaded with a
// Synthea patient; the hub runs on SQLite. Synthetic data only.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Encounter, Observation, Provenance } from '@medplum/fhirtypes';
import { CLIENT_ID_SYSTEM } from '../../shared/fhir/index.js';
import { formatUpstreamStatus, readUpstreamStatus, type UpstreamMirror } from '../../server/integration/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { seedWard } from '../support/hub-fixtures.js';
import { addWardNurse } from '../sync/sync-test-kit.js';
import { startUpstreamFhirServer, type UpstreamFhirServer } from '../support/upstream-fhir-server.js';
import { createTestEhrMirror } from '../support/test-ehr-mirror.js';

const WARD = '4north';
const CLIENT_ID = 'wardline-hub-test';
const DAY_MS = 86_400_000;

let upstream: UpstreamFhirServer;
let hub: TestHub;
let device: TestDevice;
let nurse: TestDevice;
let mirror: UpstreamMirror;
let patientId = '';
let encounterId = '';
let nurseRef = '';

function vitalSign(value: number): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${patientId}` },
    encounter: { reference: `Encounter/${encounterId}` },
    effectiveDateTime: new Date().toISOString(),
    valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

async function upstreamObservations(value: number): Promise<Observation[]> {
  const bundle = await upstream.repo.search<Observation>({ resourceType: 'Observation', count: 10_000 });
  return (bundle.entry ?? []).map((entry) => entry.resource as Observation).filter((o) => o.valueQuantity?.value === value);
}

beforeAll(async () => {
  upstream = await startUpstreamFhirServer();
  const keys = await generateKeyPair('ES384', { extractable: true });
  upstream.registerClient(CLIENT_ID, { ...(await exportJWK(keys.publicKey)), alg: 'ES384' });
  const bundle = JSON.parse(
    await readFile(join(import.meta.dirname, '../support/fixtures/synthea', 'buster-hoeger.json'), 'utf8'),
  ) as Bundle;
  patientId = (await upstream.loadTransaction(bundle)).find((l) => l.startsWith('Patient/'))!.split('/')[1]!;
  const ward = await upstream.repo.createResource({ resourceType: 'Location', name: '4 North', mode: 'instance' });
  const admission = await upstream.repo.createResource<Encounter>({
    resourceType: 'Encounter',
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    subject: { reference: `Patient/${patientId}` },
    period: { start: new Date(Date.now() - DAY_MS).toISOString() },
    location: [{ location: { reference: `Location/${ward.id}` }, status: 'active' }],
  });
  encounterId = admission.id!;
  hub = await startHub({ engine: 'sqlite' });
  await seedWard(hub.db, WARD);
  device = await hub.enrollDevice(WARD);
  nurseRef = (await addWardNurse(hub.db, WARD, 'plain.nurse')).reference;
  nurse = await device.signedIn('plain.nurse', 'correct horse battery');
  mirror = await createTestEhrMirror(hub.db, upstream, {
    clientId: CLIENT_ID,
    privateKeyPem: await exportPKCS8(keys.privateKey),
    ward: WARD,
    location: `Location/${ward.id}`,
  });
  expect((await mirror.runCycle()).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await mirror?.stop();
  await hub?.stop();
  await upstream?.stop();
});

describe('documentation without the workstation client id', () => {
  it('is kept as refused for IT with the reason, never waits for ever, and what follows it reaches the EHR once', async () => {
    // Sent alone by a signed-in user: the hub stores it and writes its Provenance (who, where).
    const plain = await nurse.fetch('/fhir/Observation', { body: vitalSign(61) });
    expect(plain.status).toBe(201);
    const plainId = ((await plain.json()) as Observation).id!;

    // Then the workstation's own upload: a conditional create on its client id, with its Provenance.
    const clientId = randomUUID();
    const provenanceId = randomUUID();
    const upload = await device.fetch('/fhir', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: `urn:uuid:${clientId}`,
            resource: { ...vitalSign(62), identifier: [{ system: CLIENT_ID_SYSTEM, value: clientId }] },
            request: { method: 'POST', url: 'Observation', ifNoneExist: `identifier=${CLIENT_ID_SYSTEM}|${clientId}` },
          },
          {
            resource: {
              resourceType: 'Provenance',
              id: provenanceId,
              target: [{ reference: `urn:uuid:${clientId}` }, { reference: `Patient/${patientId}` }],
              recorded: new Date().toISOString(),
              agent: [
                {
                  type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
                  who: { reference: nurseRef },
                },
              ],
            } satisfies Provenance,
            request: { method: 'PUT', url: `Provenance/${provenanceId}` },
          },
        ],
      },
    });
    expect(upload.status, await upload.clone().text()).toBe(200);

    for (let cycle = 0; cycle < 3; cycle++) expect((await mirror.runCycle()).ok).toBe(true);

    expect(await upstreamObservations(62)).toHaveLength(1);
    expect(await upstreamObservations(61)).toHaveLength(0);
    const status = await readUpstreamStatus(hub.db, new Date());
    expect(status.outbox.pending).toBe(0);
    expect(status.outbox.refused).toBe(1);
    expect(formatUpstreamStatus(status).join('\n')).toMatch(
      new RegExp(`REFUSED Provenance/\\S+ .*Observation/${plainId} .*no client identifier`),
    );
  });
});
