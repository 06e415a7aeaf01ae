// The hub's FHIR conformance suite, run over real HTTPS with real device tokens against both
// storage engines: CRUD and versions, conditional create under concurrent retries, If-Match,
// transactions and batches, history with deletions, paging, $everything, the census, metadata.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, BundleEntry, Observation, Resource } from '../../shared/fhir/index.js';
import { SUPPORTED_RESOURCE_TYPES } from '../../shared/fhir/index.js';
import { CAPABILITY_TYPES, capabilityOf, deleteResources } from '../../server/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, observation, seedWard, TEST_IDENTIFIER_SYSTEM, type AdmittedPatient } from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** R4's own result parameters, which a server's next link may carry without declaring them (R4 3.1.1.5.8). */
const RESULT_PARAMETERS = [
  '_count',
  '_sort',
  '_include',
  '_revinclude',
  '_summary',
  '_total',
  '_elements',
  '_contained',
  '_containedType',
  '_format',
];

/** The parameters of a search's next links the CapabilityStatement does not declare for `type`. */
function undeclaredInNextLinks(statement: CapabilityStatement, type: string, pages: readonly Bundle[]): string[] {
  const declared = new Set(statement.rest[0]!.resource.find((resource) => resource.type === type)!.searchParam?.map((p) => p.name));
  const names = pages.flatMap((page) => {
    const next = page.link?.find((link) => link.relation === 'next')?.url;
    return next === undefined ? [] : [...new URL(next).searchParams.keys()];
  });
  return [...new Set(names)].filter((name) => !declared.has(name) && !RESULT_PARAMETERS.includes(name));
}

interface CapabilityStatement {
  readonly rest: { resource: { type: string; searchParam?: { name: string }[] }[] }[];
}

/** Follows next links from `path`, returning every page. */
async function walk(device: TestDevice, hubUrl: string, path: string): Promise<Bundle[]> {
  const pages: Bundle[] = [];
  let next: string | undefined = path;
  while (next) {
    const response = await device.fetch(next);
    expect(response.status).toBe(200);
    const page = await json<Bundle>(response);
    pages.push(page);
    const url = page.link?.find((link) => link.relation === 'next')?.url;
    next = url ? url.slice(hubUrl.length) : undefined;
    expect(pages.length).toBeLessThan(500);
  }
  return pages;
}

function ids(entries: readonly BundleEntry[] | undefined): string[] {
  return (entries ?? []).map((entry) => `${entry.resource?.resourceType}/${entry.resource?.id}`);
}

describe.each<HubEngine>(['sqlite', 'postgres'])('FHIR conformance on %s', (engine) => {
  let hub: TestHub;
  let device: TestDevice;
  let admitted: AdmittedPatient;
  let nurseId: string;

  beforeAll(async () => {
    hub = await startHub({ engine, rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
    await seedWard(hub.db, 'a');
    admitted = await admitPatient(hub.db, 'a');
    nurseId = (await addUser(hub.db, { username: 'nurse.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false })).userId;
    // A nurse signed in on ward A's workstation documents vital signs (the hub's access policy allows her).
    device = await (await hub.enrollDevice('a')).signedIn('nurse.a', PASSWORD);
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('publishes a CapabilityStatement listing exactly the types and interactions the routes serve', async () => {
    const response = await hub.fetch('/fhir/metadata');
    expect(response.status).toBe(200);
    const statement = await json<{
      resourceType: string;
      fhirVersion: string;
      rest: {
        resource: { type: string; interaction: { code: string }[]; searchParam?: { name: string }[] }[];
        interaction: { code: string }[];
      }[];
    }>(response);
    expect(statement.resourceType).toBe('CapabilityStatement');
    expect(statement.fhirVersion).toBe('4.0.1');
    const resources = statement.rest[0]!.resource;
    expect(resources.map((r) => r.type).sort()).toEqual([...SUPPORTED_RESOURCE_TYPES].sort());
    expect(CAPABILITY_TYPES.slice().sort()).toEqual([...SUPPORTED_RESOURCE_TYPES].sort());
    for (const resource of resources) {
      expect(resource.interaction.map((i) => i.code)).toEqual(capabilityOf(resource.type)!.interactions);
    }
    const encounter = resources.find((r) => r.type === 'Encounter')!;
    expect(encounter.searchParam!.map((p) => p.name)).toEqual(expect.arrayContaining(['location', 'status', 'patient', '_lastUpdated']));
    expect(statement.rest[0]!.interaction.map((i) => i.code)).toEqual(['transaction', 'batch', 'history-system']);
    // An interaction the statement does not list is refused.
    const auditRead = await device.fetch('/fhir/AuditEvent/x');
    expect(auditRead.status).toBe(405);
  });

  it('creates, reads, updates and vreads with versions 1, 2; refuses a DELETE; after the feed deletes, version 3 and a 410', async () => {
    const created = await device.fetch('/fhir/Observation', { body: observation(admitted.patientId) });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('W/"1"');
    const first = await json<Observation>(created);
    expect(first.id).toBeTruthy();
    expect(first.meta?.versionId).toBe('1');
    expect(created.headers.get('location')).toBe(`${hub.fhirUrl}/Observation/${first.id}/_history/1`);

    const read = await device.fetch(`/fhir/Observation/${first.id}`);
    expect(read.status).toBe(200);
    expect(await json(read)).toEqual(first);

    // A changed reading is marked corrected and names the version it changes (the hub requires both).
    const changed = { ...first, status: 'corrected', valueQuantity: { ...first.valueQuantity, value: 80 } };
    const updated = await device.fetch(`/fhir/Observation/${first.id}`, { method: 'PUT', body: changed, headers: { 'if-match': 'W/"1"' } });
    expect(updated.status).toBe(200);
    const second = await json<Observation>(updated);
    expect(second.meta?.versionId).toBe('2');
    expect(Date.parse(second.meta!.lastUpdated!)).toBeGreaterThan(Date.parse(first.meta!.lastUpdated!));

    const v1 = await json<Observation>(await device.fetch(`/fhir/Observation/${first.id}/_history/1`));
    expect(v1.valueQuantity?.value).toBe(72);
    const v2 = await json<Observation>(await device.fetch(`/fhir/Observation/${first.id}/_history/2`));
    expect(v2.valueQuantity?.value).toBe(80);

    // A client's DELETE is refused (nothing recorded is deleted on request); the hospital's feed
    // deletes (the EHR's deletion, written by the integration principal), leaving a tombstone.
    const refused = await device.fetch(`/fhir/Observation/${first.id}`, { method: 'DELETE', headers: { 'if-match': 'W/"2"' } });
    expect(refused.status).toBe(405);
    await deleteResources(hub.db, [{ type: 'Observation', id: first.id! }], new Date());
    expect((await device.fetch(`/fhir/Observation/${first.id}`)).status).toBe(410);
    expect((await device.fetch(`/fhir/Observation/${first.id}/_history/3`)).status).toBe(410);
    expect((await device.fetch(`/fhir/Observation/${first.id}/_history/2`)).status).toBe(200);

    const history = await json<Bundle>(await device.fetch(`/fhir/Observation/${first.id}/_history`));
    expect(history.type).toBe('history');
    expect(history.entry?.map((e) => e.request?.method)).toEqual(['DELETE', 'PUT', 'POST']);
    expect(history.entry?.map((e) => e.response?.etag)).toEqual(['W/"3"', 'W/"2"', 'W/"1"']);

    // Writing it again after the deletion starts version 4.
    const revived = await device.fetch(`/fhir/Observation/${first.id}`, { method: 'PUT', body: changed });
    expect(revived.status).toBe(201);
    expect((await json<Observation>(revived)).meta?.versionId).toBe('4');
  });

  it('refuses an update whose If-Match names an old version (412) and keeps the newer one', async () => {
    const first = await json<Observation>(await device.fetch('/fhir/Observation', { body: observation(admitted.patientId) }));
    const second = await json<Observation>(
      await device.fetch(`/fhir/Observation/${first.id}`, {
        method: 'PUT',
        body: { ...first, status: 'amended' },
        headers: { 'if-match': 'W/"1"' },
      }),
    );
    expect(second.meta?.versionId).toBe('2');
    const stale = await device.fetch(`/fhir/Observation/${first.id}`, {
      method: 'PUT',
      body: { ...first, status: 'cancelled' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(stale.status).toBe(412);
    const outcome = await json<{ resourceType: string }>(stale);
    expect(outcome.resourceType).toBe('OperationOutcome');
    const current = await json<Observation>(await device.fetch(`/fhir/Observation/${first.id}`));
    expect(current.status).toBe('amended');
    expect(current.meta?.versionId).toBe('2');
  });

  it('creates exactly one resource when ten identical conditional creates race', async () => {
    const clientId = randomUUID();
    const body = observation(admitted.patientId, { identifier: clientId });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        device.fetch('/fhir/Observation', { body, headers: { 'if-none-exist': `identifier=${TEST_IDENTIFIER_SYSTEM}|${clientId}` } }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    const resourceIds = new Set(await Promise.all(responses.map(async (r) => (await json<Observation>(r)).id)));
    expect(resourceIds.size).toBe(1);
    const search = await json<Bundle>(
      await device.fetch(`/fhir/Observation?identifier=${encodeURIComponent(`${TEST_IDENTIFIER_SYSTEM}|${clientId}`)}`),
    );
    expect(search.entry).toHaveLength(1);
  });

  it('applies a transaction all or nothing: one failing entry leaves none of the others readable', async () => {
    const target = await json<Observation>(await device.fetch('/fhir/Observation', { body: observation(admitted.patientId) }));
    await device.fetch(`/fhir/Observation/${target.id}`, {
      method: 'PUT',
      body: { ...target, status: 'amended' },
      headers: { 'if-match': 'W/"1"' },
    });
    const marker = randomUUID();
    const before = await json<Bundle>(await device.fetch(`/fhir/Observation?identifier=${TEST_IDENTIFIER_SYSTEM}|${marker}`));
    expect(before.entry ?? []).toHaveLength(0);
    const transaction = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: observation(admitted.patientId, { identifier: marker }),
          request: { method: 'POST', url: 'Observation' },
        },
        {
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: observation(admitted.patientId, { identifier: marker, value: 90 }),
          request: { method: 'POST', url: 'Observation' },
        },
        { resource: { ...target, status: 'cancelled' }, request: { method: 'PUT', url: `Observation/${target.id}`, ifMatch: 'W/"1"' } },
      ],
    };
    const response = await device.fetch('/fhir', { body: transaction });
    expect(response.status).toBe(412);
    const outcome = await json<{ resourceType: string; issue: { diagnostics: string }[] }>(response);
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]!.diagnostics).toContain('Bundle.entry[2]');
    const after = await json<Bundle>(await device.fetch(`/fhir/Observation?identifier=${TEST_IDENTIFIER_SYSTEM}|${marker}`));
    expect(after.entry ?? []).toHaveLength(0);
    const unchanged = await json<Observation>(await device.fetch(`/fhir/Observation/${target.id}`));
    expect(unchanged.status).toBe('amended');
    expect(unchanged.meta?.versionId).toBe('2');
  });

  it('rewrites urn:uuid references in a transaction and answers with locations and etags', async () => {
    const obsUrn = `urn:uuid:${randomUUID()}`;
    const marker = randomUUID();
    const transaction = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: {
            resourceType: 'Provenance',
            target: [{ reference: obsUrn }, { reference: `Patient/${admitted.patientId}` }],
            recorded: '2024-01-02T10:05:00Z',
            agent: [{ who: { reference: `Practitioner/${nurseId}` } }],
          },
          request: { method: 'POST', url: 'Provenance' },
        },
        {
          fullUrl: obsUrn,
          resource: observation(admitted.patientId, { identifier: marker }),
          request: { method: 'POST', url: 'Observation', ifNoneExist: `identifier=${TEST_IDENTIFIER_SYSTEM}|${marker}` },
        },
      ],
    };
    const response = await device.fetch('/fhir', { body: transaction });
    expect(response.status).toBe(200);
    const result = await json<Bundle>(response);
    expect(result.type).toBe('transaction-response');
    expect(result.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created']);
    const provenanceLocation = result.entry![0]!.response!.location!;
    const observationLocation = result.entry![1]!.response!.location!;
    expect(result.entry![1]!.response!.etag).toBe('W/"1"');
    const observationId = /Observation\/([^/]+)\/_history\/1$/.exec(observationLocation)![1];
    const provenance = await json<{ target: { reference: string }[] }>(await device.fetch(provenanceLocation.slice(hub.url.length)));
    expect(provenance.target[0]!.reference).toBe(`Observation/${observationId}`);

    // Retried as is (the workstation did not see the answer): the conditional create matches.
    const retried = await json<Bundle>(await device.fetch('/fhir', { body: transaction }));
    expect(retried.entry![1]!.response!.status).toBe('200 OK');
    expect(retried.entry![1]!.response!.location).toBe(observationLocation);
  });

  it('processes batch entries independently: a failing entry does not stop the others', async () => {
    const marker = randomUUID();
    const batch = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: observation(admitted.patientId, { identifier: marker }), request: { method: 'POST', url: 'Observation' } },
        { resource: { resourceType: 'Observation', status: 'not-a-status' }, request: { method: 'POST', url: 'Observation' } },
        { request: { method: 'GET', url: `Patient/${admitted.patientId}` } },
      ],
    };
    const response = await device.fetch('/fhir', { body: batch });
    expect(response.status).toBe(200);
    const result = await json<Bundle>(response);
    expect(result.type).toBe('batch-response');
    expect(result.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '422', '200 OK']);
    expect((result.entry![1]!.response!.outcome as { resourceType: string }).resourceType).toBe('OperationOutcome');
    const stored = await json<Bundle>(await device.fetch(`/fhir/Observation?identifier=${TEST_IDENTIFIER_SYSTEM}|${marker}`));
    expect(stored.entry).toHaveLength(1);
  });

  it('reports every change since a checkpoint in _history, deletions included, and nothing twice after it', async () => {
    const start = await json<Bundle>(
      await device.fetch(`/fhir/Observation/_history?_since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`),
    );
    const checkpoint = start.meta!.lastUpdated!;
    const a = await json<Observation>(await device.fetch('/fhir/Observation', { body: observation(admitted.patientId) }));
    const b = await json<Observation>(await device.fetch('/fhir/Observation', { body: observation(admitted.patientId) }));
    await device.fetch(`/fhir/Observation/${a.id}`, { method: 'PUT', body: { ...a, status: 'amended' }, headers: { 'if-match': 'W/"1"' } });
    await deleteResources(hub.db, [{ type: 'Observation', id: b.id! }], new Date());

    const changes = await json<Bundle>(await device.fetch(`/fhir/Observation/_history?_since=${encodeURIComponent(checkpoint)}`));
    const summary = changes.entry!.map((e) => `${e.request?.method} ${e.fullUrl?.split('/').slice(-1)[0]} ${e.response?.etag}`);
    expect(summary).toEqual([`DELETE ${b.id} W/"2"`, `PUT ${a.id} W/"2"`, `POST ${b.id} W/"1"`, `POST ${a.id} W/"1"`]);
    expect(changes.entry![0]!.resource).toBeUndefined();

    const next = await json<Bundle>(
      await device.fetch(`/fhir/Observation/_history?_since=${encodeURIComponent(changes.meta!.lastUpdated!)}`),
    );
    expect(next.entry ?? []).toHaveLength(0);
    const viaSearch = await json<Bundle>(
      await device.fetch(`/fhir/Observation?_lastUpdated=gt${encodeURIComponent(changes.meta!.lastUpdated!)}&_sort=_lastUpdated`),
    );
    expect(viaSearch.entry ?? []).toHaveLength(0);

    // The system-level history carries the same changes.
    const system = await json<Bundle>(await device.fetch(`/fhir/_history?_since=${encodeURIComponent(checkpoint)}`));
    expect(ids(system.entry).filter((id) => id.startsWith('Observation/'))).toHaveLength(3);
    expect(system.entry!.some((e) => e.request?.method === 'DELETE')).toBe(true);
  });

  it('pages searches and history with next links: every resource once, none missing', async () => {
    const pageTest = await admitPatient(hub.db, 'a');
    const created = new Set<string>();
    for (let i = 0; i < 23; i++) {
      const res = await json<Observation>(
        await device.fetch('/fhir/Observation', { body: observation(pageTest.patientId, { value: 60 + i }) }),
      );
      created.add(`Observation/${res.id}`);
    }
    const statement = await json<CapabilityStatement>(await hub.fetch('/fhir/metadata'));
    for (const query of [
      `patient=${pageTest.patientId}&_count=5`,
      `patient=${pageTest.patientId}&_count=4&_sort=_lastUpdated`,
      `subject=Patient/${pageTest.patientId}&_count=6&_sort=-_lastUpdated`,
    ]) {
      const pages = await walk(device, hub.url, `/fhir/Observation?${query}`);
      // A client following the statement meets no parameter it does not declare (the hub's `_cursor` included).
      expect(pages.length).toBeGreaterThan(1);
      expect(undeclaredInNextLinks(statement, 'Observation', pages)).toEqual([]);
      const seen = pages.flatMap((page) => ids(page.entry));
      expect(new Set(seen).size).toBe(seen.length);
      expect(new Set(seen)).toEqual(created);
      // Every page reports the first page's checkpoint.
      expect(new Set(pages.map((page) => page.meta?.lastUpdated)).size).toBe(1);
    }
    const lastUpdated = pages0(await walk(device, hub.url, `/fhir/Observation?patient=${pageTest.patientId}&_count=5&_sort=_lastUpdated`));
    expect([...lastUpdated].sort()).toEqual(lastUpdated);

    const historyPages = await walk(device, hub.url, `/fhir/Observation/_history?_count=7`);
    const versions = historyPages.flatMap((page) => (page.entry ?? []).map((e) => `${e.fullUrl}@${e.response?.etag}`));
    expect(new Set(versions).size).toBe(versions.length);
    for (const id of created) expect(versions).toContain(`${hub.fhirUrl}/${id}@W/"1"`);
  });

  it("returns a patient's whole record with $everything, paged, and nothing of another patient", async () => {
    const other = await admitPatient(hub.db, 'a');
    const subject = await admitPatient(hub.db, 'a');
    for (let i = 0; i < 12; i++) await device.fetch('/fhir/Observation', { body: observation(subject.patientId, { value: 60 + i }) });
    await device.fetch('/fhir/Observation', { body: observation(other.patientId) });
    const pages = await walk(device, hub.url, `/fhir/Patient/${subject.patientId}/$everything?_count=5`);
    // The Patient, the Encounter, 12 vital signs and the hub's Provenance of each (the nurse wrote them).
    expect(pages.length).toBe(6);
    const seen = pages.flatMap((page) => page.entry ?? []);
    expect(seen).toHaveLength(26);
    expect(new Set(seen.map((e) => e.fullUrl)).size).toBe(26);
    expect(seen.filter((e) => e.resource?.resourceType === 'Provenance')).toHaveLength(12);
    expect(seen.filter((e) => e.resource?.resourceType === 'Patient').map((e) => e.resource?.id)).toEqual([subject.patientId]);
    expect(seen.filter((e) => e.resource?.resourceType === 'Encounter').map((e) => e.resource?.id)).toEqual([subject.encounterId]);
    for (const entry of seen) {
      if (entry.resource?.resourceType === 'Observation')
        expect((entry.resource as Observation).subject?.reference).toBe(`Patient/${subject.patientId}`);
    }
  });

  it("answers the census query with the ward's in-progress encounters and their patients (_include)", async () => {
    await seedWard(hub.db, 'census');
    await seedWard(hub.db, 'other');
    const present = [await admitPatient(hub.db, 'census'), await admitPatient(hub.db, 'census')];
    await admitPatient(hub.db, 'census', { status: 'finished' });
    await admitPatient(hub.db, 'other');
    const censusDevice = await hub.enrollDevice('census');
    const response = await censusDevice.fetch(
      '/fhir/Encounter?location=Location/ward-census&status=in-progress&_include=Encounter:patient',
    );
    expect(response.status).toBe(200);
    const census = await json<Bundle>(response);
    const matches = census
      .entry!.filter((e) => e.search?.mode === 'match')
      .map((e) => e.resource!.id)
      .sort();
    const includes = census
      .entry!.filter((e) => e.search?.mode === 'include')
      .map((e) => e.resource!.id)
      .sort();
    expect(matches).toEqual(present.map((p) => p.encounterId).sort());
    expect(includes).toEqual(present.map((p) => p.patientId).sort());
    // The bare id form of the location parameter means the same Location.
    const bare = await json<Bundle>(await censusDevice.fetch('/fhir/Encounter?location=ward-census&status=in-progress'));
    expect(bare.entry).toHaveLength(2);
  });

  it('keeps meta.lastUpdated increasing even when the clock steps back', async () => {
    let now = new Date('2030-01-01T12:00:00.000Z');
    const clockHub = await startHub({ engine, clock: () => now });
    try {
      await seedWard(clockHub.db, 'a');
      const p = await admitPatient(clockHub.db, 'a');
      await addUser(clockHub.db, { username: 'nurse.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false });
      const d = await (await clockHub.enrollDevice('a')).signedIn('nurse.a', PASSWORD);
      const first = await json<Resource>(await d.fetch('/fhir/Observation', { body: observation(p.patientId) }));
      now = new Date('2029-12-31T12:00:00.000Z');
      const secondResponse = await d.fetch('/fhir/Observation', { body: observation(p.patientId) });
      expect(secondResponse.status, await secondResponse.clone().text()).toBe(201);
      const second = await json<Resource>(secondResponse);
      expect(Date.parse(second.meta!.lastUpdated!)).toBeGreaterThan(Date.parse(first.meta!.lastUpdated!));
      expect(first.meta!.lastUpdated).toBe('2030-01-01T12:00:00.000Z');
    } finally {
      await clockHub.stop();
    }
  });
});

function pages0(pages: Bundle[]): string[] {
  return pages.flatMap((page) => (page.entry ?? []).map((e) => e.resource!.meta!.lastUpdated!));
}
