// The chart's searches with a FHIR client nobody here wrote (fhir-kit-client), on both engines:
// `code`, `category` and the R4 date parameters (with prefixes), `_include` of the references the
// chart follows (never a resource the caller could not read on its own), `_summary=count` and
// Bundle.total. Synthetic data only.
import { Agent } from 'undici';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, MedicationAdministration, MedicationRequest, Observation, Resource } from '../../shared/fhir/index.js';
import { CONFIDENTIALITY_SYSTEM } from '../../shared/access/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, USER_TOKEN_HEADER, type HubEngine, type TestHub } from '../support/hub-harness.js';
import { admitPatient, feedResources, observation, patient, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

const LOINC = 'http://loinc.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

function measured(patientId: string, id: string, code: string, at: string, category = 'vital-signs'): Observation {
  return {
    ...observation(patientId, { id }),
    category: [{ coding: [{ system: CATEGORY, code: category }] }],
    code: { coding: [{ system: LOINC, code }] },
    effectiveDateTime: at,
  };
}

function order(patientId: string, id: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: '197361' }] },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: '2026-01-01T09:00:00Z',
  };
}

function administration(patientId: string, id: string, requestId: string, at: string): MedicationAdministration {
  return {
    resourceType: 'MedicationAdministration',
    id,
    status: 'completed',
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: '197361' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: at,
    request: { reference: `MedicationRequest/${requestId}` },
  };
}

function ids(bundle: Bundle, mode: 'match' | 'include' = 'match'): string[] {
  return (bundle.entry ?? [])
    .filter((entry) => entry.search?.mode === mode)
    .map((entry) => `${entry.resource!.resourceType}/${entry.resource!.id}`)
    .sort();
}

describe.each<HubEngine>(['sqlite', 'postgres'])('clinical search with fhir-kit-client on %s', (engine) => {
  let hub: TestHub;
  let onA: AdmittedPatient;
  let onB: AdmittedPatient;
  let restricted: AdmittedPatient;
  let dispatcher: Agent;
  let client: Client;
  let nurse: Client;
  const search = async (resourceType: string, searchParams: Record<string, string | number>): Promise<Bundle> =>
    (await client.search({ resourceType, searchParams })) as unknown as Bundle;

  beforeAll(async () => {
    hub = await startHub({ engine, rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
    await seedWard(hub.db, 'a');
    await seedWard(hub.db, 'b');
    onA = await admitPatient(hub.db, 'a');
    onB = await admitPatient(hub.db, 'b');
    // A restricted chart on the same ward: its device syncs it, a signed-in user does not see it.
    restricted = await admitPatient(hub.db, 'a');
    const a = onA.patientId;
    const resources: Resource[] = [
      measured(a, 'hr-old', '8867-4', '2025-12-31T10:00:00Z'),
      measured(a, 'hr-new', '8867-4', '2026-01-02T10:00:00Z'),
      measured(a, 'rr', '9279-1', '2026-01-03T10:00:00+02:00'),
      measured(a, 'glucose', '2345-7', '2026-01-04T06:00:00Z', 'laboratory'),
      order(a, 'mr-a'),
      order(onB.patientId, 'mr-b'),
      administration(a, 'ma-a', 'mr-a', '2026-01-02T09:00:00Z'),
      // A reference that points at another ward's patient's order: included for no one on ward A.
      administration(a, 'ma-cross', 'mr-b', '2026-01-02T21:00:00Z'),
      { ...patient(restricted.patientId), meta: { security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'R' }] } },
      order(restricted.patientId, 'mr-restricted'),
      administration(a, 'ma-restricted', 'mr-restricted', '2025-06-01T09:00:00Z'),
    ];
    await feedResources(hub.db, resources);
    const device = await hub.enrollDevice('a');
    dispatcher = new Agent({ connect: { ca: hub.caPem } });
    client = new Client({ baseUrl: hub.fhirUrl, bearerToken: await device.accessToken(), requestOptions: { dispatcher } });
    const yesterday = new Date(Date.now() - 86_400_000);
    await addUser(
      hub.db,
      { username: 'search.nurse', password: 'correct horse battery', role: 'nurse', wards: ['a'], mfa: false },
      yesterday,
    );
    nurse = new Client({
      baseUrl: hub.fhirUrl,
      bearerToken: await device.accessToken(),
      customHeaders: { [USER_TOKEN_HEADER]: await device.login('search.nurse', 'correct horse battery') },
      requestOptions: { dispatcher },
    });
  });

  afterAll(async () => {
    await dispatcher?.close();
    await hub?.stop();
  });

  it('finds a patient’s heart rates since a date by code and date', async () => {
    const found = await search('Observation', { patient: onA.patientId, code: `${LOINC}|8867-4`, date: 'ge2026-01-01' });
    expect(ids(found)).toEqual(['Observation/hr-new']);
    expect(found.total).toBe(1);
  });

  it('applies the R4 date prefixes to the resource’s own date, at the precision given', async () => {
    const dated = async (date: string): Promise<string[]> => ids(await search('Observation', { patient: onA.patientId, date }));
    expect(await dated('lt2026-01-01')).toEqual(['Observation/hr-old']);
    expect(await dated('2026-01-02')).toEqual(['Observation/hr-new']);
    expect(await dated('le2026-01-02')).toEqual(['Observation/hr-new', 'Observation/hr-old']);
    expect(await dated('gt2026-01-02')).toEqual(['Observation/glucose', 'Observation/rr']);
    // 10:00+02:00 is 08:00Z: the zone counts.
    expect(await dated('eq2026-01-03T08:00:00Z')).toEqual(['Observation/rr']);
    expect(await dated('ne2026-01')).toEqual(['Observation/hr-old']);
    // Two date parameters make a range.
    const range = await search('Observation', { patient: onA.patientId, date: ['ge2026-01-02', 'lt2026-01-04'] as never });
    expect(ids(range)).toEqual(['Observation/hr-new', 'Observation/rr']);
  });

  it('matches codes and categories with or without their system', async () => {
    expect(ids(await search('Observation', { patient: onA.patientId, code: '8867-4,9279-1' }))).toEqual([
      'Observation/hr-new',
      'Observation/hr-old',
      'Observation/rr',
    ]);
    expect(ids(await search('Observation', { patient: onA.patientId, code: '|8867-4' }))).toEqual([]);
    expect(ids(await search('Observation', { patient: onA.patientId, code: 'http://snomed.info/sct|8867-4' }))).toEqual([]);
    expect(ids(await search('Observation', { patient: onA.patientId, category: 'laboratory' }))).toEqual(['Observation/glucose']);
    expect(ids(await search('Observation', { patient: onA.patientId, category: `${CATEGORY}|vital-signs`, code: '9279-1' }))).toEqual([
      'Observation/rr',
    ]);
    expect(ids(await search('MedicationRequest', { patient: onA.patientId, code: `${RXNORM}|197361`, authoredon: '2026-01-01' }))).toEqual([
      'MedicationRequest/mr-a',
    ]);
  });

  it('searches what a new version says, not what an older one said', async () => {
    await feedResources(hub.db, [measured(onA.patientId, 'hr-old', '8310-5', '2025-12-30T10:00:00Z')]);
    expect(ids(await search('Observation', { patient: onA.patientId, code: '8867-4' }))).toEqual(['Observation/hr-new']);
    expect(ids(await search('Observation', { patient: onA.patientId, code: '8310-5', date: '2025-12-30' }))).toEqual([
      'Observation/hr-old',
    ]);
    await feedResources(hub.db, [measured(onA.patientId, 'hr-old', '8867-4', '2025-12-31T10:00:00Z')]);
  });

  it('includes an administration’s order, but never one of a patient the device may not read', async () => {
    const found = await search('MedicationAdministration', {
      patient: onA.patientId,
      'effective-time': 'ge2026-01-02',
      _include: 'MedicationAdministration:request',
    });
    expect(ids(found)).toEqual(['MedicationAdministration/ma-a', 'MedicationAdministration/ma-cross']);
    expect(ids(found, 'include')).toEqual(['MedicationRequest/mr-a']);
    expect(JSON.stringify(found)).not.toContain(onB.patientId);
    // The order is there, for its own ward.
    const b = await hub.enrollDevice('b');
    const response = await b.fetch('/fhir/MedicationRequest?_id=mr-b');
    expect(ids((await response.json()) as Bundle)).toEqual(['MedicationRequest/mr-b']);
  });

  it('includes a restricted patient’s order for the ward’s device, but not for a signed-in user', async () => {
    const searchParams = { _id: 'ma-restricted', _include: 'MedicationAdministration:request' };
    const forDevice = (await client.search({ resourceType: 'MedicationAdministration', searchParams })) as unknown as Bundle;
    expect(ids(forDevice, 'include')).toEqual(['MedicationRequest/mr-restricted']);
    const forNurse = (await nurse.search({ resourceType: 'MedicationAdministration', searchParams })) as unknown as Bundle;
    expect(ids(forNurse)).toEqual(['MedicationAdministration/ma-restricted']);
    expect(ids(forNurse, 'include')).toEqual([]);
    expect(JSON.stringify(forNurse)).not.toContain(restricted.patientId);
  });

  it('includes the patient of observations and the locations of the census', async () => {
    const observations = await search('Observation', { code: '2345-7', _include: 'Observation:patient' });
    expect(ids(observations)).toEqual(['Observation/glucose']);
    expect(ids(observations, 'include')).toEqual([`Patient/${onA.patientId}`]);
    const census = await search('Encounter', { location: 'Location/ward-a', status: 'in-progress', _include: 'Encounter:location' });
    expect(ids(census)).toEqual([`Encounter/${onA.encounterId}`, `Encounter/${restricted.encounterId}`].sort());
    expect(ids(census, 'include')).toEqual(['Location/bed-a-1', 'Location/ward-a']);
  });

  it('counts with _summary=count, and gives Bundle.total when it is free or asked for', async () => {
    const counted = await search('Observation', { patient: onA.patientId, _summary: 'count' });
    expect(counted.total).toBe(4);
    expect(counted.entry).toBeUndefined();
    expect((await search('Observation', { _summary: 'count' })).total).toBe(4);
    const paged = await search('Observation', { patient: onA.patientId, _count: 2 });
    expect(paged.entry).toHaveLength(2);
    expect(paged.total).toBeUndefined();
    expect((await search('Observation', { patient: onA.patientId, _count: 2, _total: 'accurate' })).total).toBe(4);
  });

  it('refuses a date it cannot read, a parameter R4 does not define for the type, and an include it does not follow', async () => {
    const refused: Record<string, string>[] = [
      { date: 'ge2026-13-01' },
      { date: 'soon' },
      { 'effective-time': '2026-01-01' },
      { _include: 'Observation:performer' },
      { _summary: 'text' },
    ];
    for (const searchParams of refused) {
      await expect(search('Observation', searchParams)).rejects.toMatchObject({ response: { status: 400 } });
    }
  });

  it('lists the parameters and includes in the CapabilityStatement', async () => {
    const statement = (await client.capabilityStatement()) as unknown as {
      rest: { resource: { type: string; searchParam?: { name: string }[]; searchInclude?: string[] }[] }[];
    };
    const of = (type: string) => statement.rest[0]!.resource.find((resource) => resource.type === type)!;
    expect(of('Observation').searchParam!.map((p) => p.name)).toEqual(expect.arrayContaining(['code', 'category', 'date']));
    expect(of('MedicationAdministration').searchParam!.map((p) => p.name)).toEqual(expect.arrayContaining(['code', 'effective-time']));
    expect(of('MedicationAdministration').searchInclude).toContain('MedicationAdministration:request');
    expect(of('Encounter').searchInclude).toContain('Encounter:location');
    expect(of('Observation').searchInclude).toContain('Observation:encounter');
    expect(of('MedicationAdministration').searchInclude).toContain('MedicationAdministration:context');
  });

  it('includes the stay of observations and administrations, never one the caller may not read', async () => {
    const a = onA.patientId;
    await feedResources(hub.db, [
      { ...measured(a, 'hr-stay', '8867-4', '2024-01-02T10:00:00Z'), encounter: { reference: `Encounter/${onA.encounterId}` } },
      // References to another ward's patient's stay, and to a restricted patient's stay on ward A.
      { ...measured(a, 'hr-cross-stay', '8867-4', '2024-01-02T11:00:00Z'), encounter: { reference: `Encounter/${onB.encounterId}` } },
      {
        ...measured(a, 'hr-restricted-stay', '8867-4', '2024-01-02T12:00:00Z'),
        encounter: { reference: `Encounter/${restricted.encounterId}` },
      },
      { ...administration(a, 'ma-stay', 'mr-a', '2024-01-02T09:00:00Z'), context: { reference: `Encounter/${onA.encounterId}` } },
      { ...administration(a, 'ma-cross-stay', 'mr-a', '2024-01-02T09:30:00Z'), context: { reference: `Encounter/${onB.encounterId}` } },
    ]);
    const searchParams = { patient: a, date: '2024-01-02', _include: 'Observation:encounter' };
    const forDevice = (await client.search({ resourceType: 'Observation', searchParams })) as unknown as Bundle;
    expect(ids(forDevice)).toEqual(['Observation/hr-cross-stay', 'Observation/hr-restricted-stay', 'Observation/hr-stay']);
    expect(ids(forDevice, 'include')).toEqual([`Encounter/${onA.encounterId}`, `Encounter/${restricted.encounterId}`].sort());
    expect(JSON.stringify(forDevice)).not.toContain(onB.patientId);
    const forNurse = (await nurse.search({ resourceType: 'Observation', searchParams })) as unknown as Bundle;
    expect(ids(forNurse, 'include')).toEqual([`Encounter/${onA.encounterId}`]);
    expect(JSON.stringify(forNurse)).not.toContain(restricted.patientId);

    const given = await search('MedicationAdministration', {
      patient: a,
      'effective-time': '2024-01-02',
      _include: 'MedicationAdministration:context',
    });
    expect(ids(given)).toEqual(['MedicationAdministration/ma-cross-stay', 'MedicationAdministration/ma-stay']);
    expect(ids(given, 'include')).toEqual([`Encounter/${onA.encounterId}`]);
    expect(JSON.stringify(given)).not.toContain(onB.patientId);
  });
});
