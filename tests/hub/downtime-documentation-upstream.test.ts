// Issue 17, "Must show": documentation recorded on a workstation during a hub outage arrives
// upstream exactly once. The whole path, with peers the team did not write: a third-party upstream
// EHR (Medplum's engine over HTTPS, SMART Backend Services) holding Synthea patients on a ward; the
// hub mirroring that ward (SQLite, TLS); a workstation host enrolled at the hub through the ward's
// network link. A nurse signs in, the link to the hub goes down, she records vital signs through the
// window's channel; the link comes back, the workstation's sync delivers them, and the hub forwards
// them upstream: one copy each, with their Provenance, however many syncs and mirror cycles follow.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Encounter, Observation, Provenance, Resource } from '@medplum/fhirtypes';
import type { CensusEntryData } from '../../shared/contract/index.js';
import { CLIENT_ID_SYSTEM, WARDLINE_USER_SYSTEM } from '../../shared/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { type UpstreamMirror } from '../../server/integration/index.js';
import { openWorkstationHost, silentLogger, type WorkstationHost } from '../../electron/host/index.js';
import { verifyPolicyText } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents, FakeClock } from '../../electron/session/index.js';
import { CHEAP_HASHING } from '../../electron/session/test-helpers.js';
import { keyNameFor } from '../../electron/vault/index.js';
import { appSenderCheck } from '../../electron/window/index.js';
import { enrollTestWorkstation, FAST_POLICY, hubCopiesOf, type TestWorkstation } from '../sync/sync-test-kit.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { MemoryTransport } from '../support/host-harness.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { seedWard } from '../support/hub-fixtures.js';
import { startUpstreamFhirServer, type UpstreamFhirServer } from '../support/upstream-fhir-server.js';
import { createTestEhrMirror } from '../support/test-ehr-mirror.js';

const WARD = '4north';
const CLIENT_ID = 'wardline-hub-downtime-test';
const DAY_MS = 86_400_000;
const NINA_PASSWORD = 'nina correct horse battery';

let upstream: UpstreamFhirServer;
let hub: TestHub;
let mirror: UpstreamMirror;
let proxy: FaultProxy;
let station: TestWorkstation;
let host: WorkstationHost;
let transport: MemoryTransport;
let folder: string;

async function call<T>(channel: string, request: unknown): Promise<T> {
  const result = await transport.send(channel, request);
  if (!result.ok) throw Object.assign(new Error(`${channel} refused: ${result.error.code}`), { code: result.error.code });
  return result.value as T;
}

async function upstreamAll<T extends Resource>(type: T['resourceType']): Promise<T[]> {
  const bundle = await upstream.repo.search<T>({ resourceType: type, count: 10_000 });
  return (bundle.entry ?? []).map((entry) => entry.resource as T);
}

const clientIdOf = (resource: { identifier?: { system?: string; value?: string }[] }): string | undefined =>
  resource.identifier?.find((identifier) => identifier.system === CLIENT_ID_SYSTEM)?.value;

beforeAll(async () => {
  upstream = await startUpstreamFhirServer();
  const keys = await generateKeyPair('ES384', { extractable: true });
  upstream.registerClient(CLIENT_ID, { ...(await exportJWK(keys.publicKey)), alg: 'ES384' });
  const ward = await upstream.repo.createResource({ resourceType: 'Location', name: '4 North', mode: 'instance' });
  for (const file of ['clemente-kreiger.json', 'buster-hoeger.json']) {
    const bundle = JSON.parse(await readFile(join(import.meta.dirname, '../support/fixtures/synthea', file), 'utf8')) as Bundle;
    const patientId = (await upstream.loadTransaction(bundle)).find((l) => l.startsWith('Patient/'))!.split('/')[1]!;
    await upstream.repo.createResource<Encounter>({
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: `Patient/${patientId}` },
      period: { start: new Date(Date.now() - 2 * DAY_MS).toISOString() },
      location: [{ location: { reference: `Location/${ward.id}` }, status: 'active' }],
    });
  }

  folder = await mkdtemp(join(tmpdir(), 'wardline-downtime-upstream-'));
  hub = await startHub({ engine: 'sqlite', sqlitePath: join(folder, 'hub.sqlite') });
  await seedWard(hub.db, WARD);
  mirror = await createTestEhrMirror(hub.db, upstream, {
    clientId: CLIENT_ID,
    privateKeyPem: await exportPKCS8(keys.privateKey),
    ward: WARD,
    location: `Location/${ward.id}`,
  });
  expect((await mirror.runCycle()).ok).toBe(true);
  await addUser(
    hub.db,
    { username: 'nina', password: NINA_PASSWORD, role: 'nurse', wards: [WARD], mfa: false },
    new Date(Date.now() - DAY_MS),
  );

  // The workstation, enrolled at the hub through the ward's network link.
  proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
  station = await enrollTestWorkstation(hub, WARD, { hubUrl: proxy.url, pin: proxy.pin });
  const org = testOrganisation();
  const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward: WARD, hub: { url: proxy.url, pins: [proxy.pin] } }), [
    org.trusted,
  ]);
  transport = new MemoryTransport();
  const clock = new FakeClock();
  host = await openWorkstationHost({
    dataDir: station.dataDir,
    policy,
    custodian: station.custodian,
    powerEvents: new ControllablePowerEvents(),
    transport,
    isTrustedSender: appSenderCheck(() => new Set([1])),
    logger: silentLogger(),
    clock,
    scheduler: clock,
    hashing: CHEAP_HASHING,
    startSync: false,
    syncPolicy: FAST_POLICY,
  });
}, 180_000);

afterAll(async () => {
  await host?.close();
  if (station) {
    await station.custodian.destroy(keyNameFor(station.dataDir, 'audit')).catch(() => undefined);
    await station.remove();
  }
  await proxy?.stop();
  await mirror?.stop();
  await hub?.stop();
  await upstream?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('documentation recorded during a hub outage, sent back upstream', () => {
  it('arrives upstream exactly once, with its Provenance, after the workstation reconnects', { timeout: 180_000 }, async () => {
    await call('session:sign-in', { username: 'nina', password: NINA_PASSWORD });
    await call('sync:now', {});
    const census = await call<CensusEntryData[]>('chart:census', {});
    expect(census.length).toBe(2);
    const patientId = census[0]!.patientId;

    // The link to the hub goes down; she goes on documenting.
    proxy.setFaults({ drop: 1 });
    await call('sync:now', {}).catch(() => undefined);
    const receipt = await call<{ resourceIds: string[]; status: string }>('chart:record-vitals', {
      patientId,
      vitals: { heartRate: 117, systolic: 141, diastolic: 88, temperatureCelsius: 38.2 },
    });
    expect(receipt.status).toBe('pending-upload');
    const clientIds = receipt.resourceIds;
    expect(clientIds.length).toBeGreaterThan(0);
    await call('sync:now', {}).catch(() => undefined);
    for (const clientId of clientIds) expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, clientId)).toBe(0);
    await mirror.runCycle();
    expect((await upstreamAll<Observation>('Observation')).filter((o) => clientIds.includes(clientIdOf(o) ?? ''))).toEqual([]);

    // The link is back: the workstation delivers, the hub forwards.
    proxy.setFaults(null);
    const status = await call<{ outboxPending: number }>('sync:now', {});
    expect(status.outboxPending).toBe(0);
    for (const clientId of clientIds) expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, clientId)).toBe(1);
    const sentUpstream = async (): Promise<Observation[]> =>
      (await upstreamAll<Observation>('Observation')).filter((o) => clientIds.includes(clientIdOf(o) ?? ''));
    for (let cycle = 0; cycle < 6 && (await sentUpstream()).length < clientIds.length; cycle++) {
      await mirror.runCycle();
      if ((await sentUpstream()).length < clientIds.length) await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    const copies = await sentUpstream();
    expect(copies.map((o) => clientIdOf(o)).sort()).toEqual([...clientIds].sort());
    const copyRefs = new Set(copies.map((o) => `Observation/${o.id}`));
    const provenancesUpstream = async (): Promise<Provenance[]> =>
      (await upstreamAll<Provenance>('Provenance')).filter((p) => p.target.some((t) => copyRefs.has(t.reference ?? '')));
    for (let cycle = 0; cycle < 6 && (await provenancesUpstream()).length === 0; cycle++) {
      await mirror.runCycle();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    const provenances = await provenancesUpstream();
    expect(provenances.length).toBeGreaterThan(0);
    // Every copy upstream is covered by a Provenance naming who recorded it.
    for (const ref of copyRefs) expect(provenances.some((p) => p.target.some((t) => t.reference === ref))).toBe(true);
    // Who, as the EHR can take it: the hub's user by identifier (the EHR holds no Practitioner/{hub id}).
    expect(
      provenances.every((p) =>
        p.agent.some(
          (a) => a.who?.identifier?.system === WARDLINE_USER_SYSTEM && a.who.type === 'Practitioner' && a.who.reference === undefined,
        ),
      ),
    ).toBe(true);

    // More syncs and mirror cycles (the upstream's copies come back through the mirror) add nothing.
    for (let i = 0; i < 3; i++) {
      await call('sync:now', {});
      await mirror.runCycle();
    }
    expect((await sentUpstream()).length).toBe(clientIds.length);
    expect((await provenancesUpstream()).length).toBe(provenances.length);
    for (const clientId of clientIds) expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, clientId)).toBe(1);
  });
});
