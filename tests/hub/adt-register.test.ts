// A04 register over the ADT feed (issue 17 lists A04 among the messages; docs/INTEGRATION.md: "as
// A01 with status arrived (not on a ward census); PV1-3 optional"), sent by a third-party HL7 v2
// client (node-hl7-client) over MLLP with TLS: the registered patient is not on the ward's census
// and not readable by the ward's device; a later admit of the same MRN makes them an in-patient,
// still one Patient; a register naming a ward the hub does not serve is refused and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Encounter, Patient } from '../../shared/fhir/index.js';
import { startAdtTestHub, type AdtSendFields, type AdtTestHub } from '../support/adt-test-hub.js';
import type { TestDevice, TestHub } from '../support/hub-harness.js';
import { hl7Calendar } from '../support/hl7-time.js';

let feed: AdtTestHub;
let hub: TestHub;
let device: TestDevice;
/** The events' times: on one day in the past, whatever today is (the hub refuses events ahead of its clock). */
const at = hl7Calendar();

const send = (fields: AdtSendFields) => feed.send(fields);

async function census(): Promise<{ encounters: Encounter[]; patients: Patient[] }> {
  const res = await device.fetch('/fhir/Encounter?location=Location/ward-a&status=in-progress&_include=Encounter:patient&_count=200');
  expect(res.status).toBe(200);
  const resources = ((await res.json()) as Bundle).entry?.map((entry) => entry.resource!) ?? [];
  return {
    encounters: resources.filter((r): r is Encounter => r.resourceType === 'Encounter'),
    patients: resources.filter((r): r is Patient => r.resourceType === 'Patient'),
  };
}

/** Patients (not deleted) whose stored content carries this MRN, and their Encounters' statuses. */
async function stored(mrn: string): Promise<{ patients: string[]; encounterStatuses: string[] }> {
  const patients = (
    await hub.db.query<{ res_id: string }>(
      `SELECT r.res_id FROM fhir_tokens t JOIN fhir_resources r ON r.res_type = t.res_type AND r.res_id = t.res_id
       WHERE t.res_type = 'Patient' AND t.param = 'identifier' AND t.value = $1 AND r.deleted = 0`,
      [mrn],
    )
  ).map((row) => row.res_id);
  const encounterStatuses: string[] = [];
  for (const patientId of patients) {
    const rows = await hub.db.query<{ content: string }>(
      `SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = 'Encounter' AND patient_id = $1 AND deleted = 0`,
      [patientId],
    );
    encounterStatuses.push(...rows.map((row) => (JSON.parse(row.content) as Encounter).status));
  }
  return { patients, encounterStatuses: encounterStatuses.sort() };
}

const storeMark = (): Promise<string> => feed.storeMark();

beforeAll(async () => {
  feed = await startAdtTestHub({ seed: 'adt-register', patients: 2, controlPrefix: 'REG' });
  ({ hub, device } = feed);
}, 120_000);

afterAll(async () => {
  await feed?.close();
});

describe('A04 register over MLLP', () => {
  it('registers a patient who is not on the census; a later admit makes them an in-patient, still one Patient', async () => {
    const mrn = 'MRN9400001';
    expect(await send({ event: 'A04', at: at('080000'), mrn, family: 'Registrova', location: 'a^3^1', visit: 'V9400001' })).toMatchObject({
      code: 'AA',
    });
    expect(await stored(mrn)).toEqual({ patients: [expect.any(String)], encounterStatuses: ['arrived'] });
    const [patientId] = (await stored(mrn)).patients;
    expect((await census()).patients.map((p) => p.id)).not.toContain(patientId);
    expect((await device.fetch(`/fhir/Patient/${patientId}`)).status).toBe(403);

    expect(await send({ event: 'A01', at: at('090000'), mrn, family: 'Registrova', location: 'a^4^1', visit: 'V9400002' })).toMatchObject({
      code: 'AA',
    });
    const after = await stored(mrn);
    expect(after.patients).toEqual([patientId]);
    expect(after.encounterStatuses).toEqual(['arrived', 'in-progress']);
    expect((await census()).patients.filter((p) => p.identifier?.some((i) => i.value === mrn)).map((p) => p.id)).toEqual([patientId]);
    expect((await device.fetch(`/fhir/Patient/${patientId}`)).status).toBe(200);
  });

  it('registers without a ward (PV1-3 optional)', async () => {
    expect(await send({ event: 'A04', at: at('100000'), mrn: 'MRN9400003', family: 'Nowardova', visit: 'V9400003' })).toMatchObject({
      code: 'AA',
    });
    expect(await stored('MRN9400003')).toEqual({ patients: [expect.any(String)], encounterStatuses: ['arrived'] });
  });

  it('refuses a register naming a ward the hub does not serve (AE), changing nothing', async () => {
    const before = await storeMark();
    const ack = await send({
      event: 'A04',
      at: at('110000'),
      mrn: 'MRN9400004',
      family: 'Lostova',
      location: 'zz^1^1',
      visit: 'V9400004',
    });
    expect(ack.code).toBe('AE');
    expect(await storeMark()).toBe(before);
    expect((await stored('MRN9400004')).patients).toEqual([]);
  });
});
