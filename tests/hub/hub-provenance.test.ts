// Documentation a signed-in user writes with her user token names her and the workstation: the hub
// adds a Provenance (who, when, which workstation; the workstation's own shape) in the same
// transaction, over real TLS on both storage engines. Writes that already carry one (the outbox)
// get no second one, and a refused write leaves none behind.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateResource, type Bundle, type Observation, type Provenance } from '../../shared/fhir/index.js';
import { wardNurseSession } from '../support/ward-nurse-session.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, observation, outboxUpload, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';
import { medplumErrors } from '../support/medplum-validator.js';

const PASSWORD = 'correct horse battery';

describe.each<HubEngine>(['sqlite', 'postgres'])('the Provenance of a signed-in user’s writes over TLS on %s', (engine) => {
  let hub: TestHub;
  let device: TestDevice;
  let nurse: TestDevice;
  let nurseId: string;
  let onWard: AdmittedPatient;

  async function provenancesOf(reference: string): Promise<Provenance[]> {
    const rows = await hub.db.query<{ content: unknown }>(
      `SELECT content FROM fhir_resources WHERE res_type = 'Provenance' AND deleted = 0`,
    );
    return rows
      .map((row) => JSON.parse(Buffer.isBuffer(row.content) ? row.content.toString('utf8') : String(row.content)) as Provenance)
      .filter((p) => p.target.some((t) => t.reference === reference));
  }

  beforeAll(async () => {
    hub = await startHub({ engine });
    await seedWard(hub.db, 'a');
    onWard = await admitPatient(hub.db, 'a');
    ({ userId: nurseId, device, nurse } = await wardNurseSession(hub, 'a', 'nurse.a', PASSWORD));
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('adds one Provenance naming the nurse, the hub time and the workstation to a vital sign she posts, valid FHIR R4', async () => {
    const before = Date.now();
    const response = await nurse.fetch('/fhir/Observation', { body: observation(onWard.patientId) });
    expect(response.status).toBe(201);
    const id = (await response.json()) as Observation;
    const [provenance, ...more] = await provenancesOf(`Observation/${id.id}`);
    expect(more).toEqual([]);
    expect(provenance!.target.map((t) => t.reference)).toEqual([`Observation/${id.id}`, `Patient/${onWard.patientId}`]);
    expect(provenance!.agent[0]).toMatchObject({
      type: { coding: [{ code: 'author' }] },
      who: { reference: `Practitioner/${nurseId}`, display: 'nurse.a' },
    });
    expect(provenance!.agent[1]!.who.reference).toBe(`Device/${device.clientId}`);
    expect(provenance!.activity?.coding?.[0]?.code).toBe('CREATE');
    expect(Date.parse(provenance!.recorded)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(provenance!.recorded)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(() => validateResource(provenance)).not.toThrow();
    expect(medplumErrors(provenance)).toEqual([]);
    // The workstation reads it back like any Provenance of its ward.
    const read = await device.fetch(`/fhir/Provenance?patient=${onWard.patientId}`);
    expect(((await read.json()) as Bundle).entry!.map((e) => e.resource!.id)).toContain(provenance!.id);
  });

  it('covers a whole transaction of hers with one Provenance per patient, and an update with UPDATE', async () => {
    const urn = (n: number) => `urn:uuid:${randomUUID()}-${n}`;
    const [a, b] = [urn(1), urn(2)];
    const response = await nurse.fetch('/fhir', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [a, b].map((fullUrl, i) => ({
          fullUrl,
          resource: observation(onWard.patientId, { value: 80 + i }),
          request: { method: 'POST', url: 'Observation' },
        })),
      },
    });
    expect(response.status).toBe(200);
    const ids = ((await response.json()) as Bundle).entry!.map((e) => /Observation\/([^/]+)/.exec(e.response!.location!)![1]!);
    const [first] = await provenancesOf(`Observation/${ids[0]}`);
    expect(first!.target.map((t) => t.reference).sort()).toEqual(
      [...ids.map((id) => `Observation/${id}`), `Patient/${onWard.patientId}`].sort(),
    );

    const current = (await (await nurse.fetch(`/fhir/Observation/${ids[0]}`)).json()) as Observation;
    const updated = await nurse.fetch(`/fhir/Observation/${ids[0]}`, {
      method: 'PUT',
      body: { ...current, meta: undefined, status: 'amended' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(updated.status).toBe(200);
    const all = await provenancesOf(`Observation/${ids[0]}`);
    expect(all.map((p) => p.activity?.coding?.[0]?.code).sort()).toEqual(['CREATE', 'UPDATE']);
  });

  it('adds none to an upload that names its recorder itself (the outbox), nor to a refused write', async () => {
    const upload = await device.fetch('/fhir', {
      body: outboxUpload([observation(onWard.patientId, { value: 99 })], { userId: nurseId, recorded: new Date().toISOString() }),
    });
    expect(upload.status).toBe(200);
    const location = ((await upload.json()) as Bundle).entry![0]!.response!.location!;
    const provenances = await provenancesOf(`Observation/${/Observation\/([^/]+)/.exec(location)![1]!}`);
    expect(provenances).toHaveLength(1);
    expect(provenances[0]!.agent).toHaveLength(1);

    const count = async () =>
      Number((await hub.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM fhir_resources WHERE res_type = 'Provenance'`))[0]!.n);
    const before = await count();
    const order = await nurse.fetch('/fhir/MedicationRequest', {
      body: {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: { text: 'Morphine 10 mg' },
        subject: { reference: `Patient/${onWard.patientId}` },
      },
    });
    expect(order.status).toBe(403);
    expect(await count()).toBe(before);
  });
});
