// Data minimisation against a real hub over TLS: a patient readmitted recently, with two months of
// earlier care on the hub, is cached only from `daysBeforeAdmission` days before this admission on
// (default 30; 0 = this admission only), while allergies, flags, active problems and standing
// orders of any date stay. The hub answers $everything's `start`; a hub that ignores it changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importResources } from '../../server/fhir/index.js';
import type { Condition, Encounter, MedicationRequest, Observation, Resource } from '../../shared/fhir/index.js';
import { generateWard, type SyntheticPatient } from '../../shared/synthetic/index.js';
import type { SyncEngine } from '../../electron/sync/index.js';
import type { Vault } from '../../electron/vault/index.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { feedResources } from '../support/hub-fixtures.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { enrollTestWorkstation, NOW, type TestWorkstation } from './sync-test-kit.js';

const DAY = 24 * 60 * 60_000;
const NOW_MS = Date.parse(NOW);
/** This admission: 10 days ago; the generated charts reach back 60 days (an earlier stay). */
const ADMISSION_MS = NOW_MS - 10 * DAY;
const ADMISSION = new Date(ADMISSION_MS).toISOString();
const HISTORY_DAYS = 60;

interface Station {
  readonly ws: TestWorkstation;
  readonly vault: Vault;
  readonly engine: SyncEngine;
  /** Where this workstation's cache window opens for the readmitted patients. */
  readonly windowStartMs: number;
}

let hub: TestHub;
let proxy: FaultProxy;
let feed: TestDevice;
/** Patients 0 and 1 readmitted 10 days ago; patient 2 in since day one (60 days). */
let patients: Array<{ synthetic: SyntheticPatient; resources: Resource[]; admissionMs: number }>;
let byDefault: Station;
let admissionOnly: Station;
let ignoringHub: Station;
const everythingRequests: string[] = [];

const ms = (text: string | undefined): number => (text === undefined ? Number.NaN : Date.parse(text));
const isActive = (resource: Condition): boolean => resource.clinicalStatus?.coding?.some((coding) => coding.code === 'active') === true;

/** When the care a synthetic resource records ends (+Infinity: matters whatever its date), stated per type. */
function careEnd(resource: Resource): number {
  switch (resource.resourceType) {
    case 'Observation':
      return Math.max(ms(resource.effectiveDateTime), resource.issued === undefined ? -Infinity : ms(resource.issued));
    case 'MedicationAdministration':
      return ms(resource.effectiveDateTime);
    case 'DocumentReference':
      return ms(resource.date);
    case 'Encounter':
      return resource.period?.end === undefined ? Infinity : ms(resource.period.end);
    case 'Condition':
      return isActive(resource) ? Infinity : ms(resource.recordedDate);
    case 'MedicationRequest':
      return resource.status === 'active' ? Infinity : ms(resource.authoredOn);
    case 'Patient':
    case 'AllergyIntolerance':
    case 'Flag':
      return Infinity;
    default:
      throw new Error(`no care date rule for ${resource.resourceType} in this test`);
  }
}

/** "Type/id" of every resource whose presence in the vault is not what a window opening at `startMs` asks for. */
function windowMismatches(vault: Vault, resources: readonly Resource[], startMs: number): string[] {
  const wrong: string[] = [];
  for (const resource of resources) {
    const expected = careEnd(resource) >= startMs;
    const cached = vault.resources.read(resource.resourceType as never, resource.id!) !== null;
    if (cached !== expected) wrong.push(`${expected ? 'missing' : 'kept'} ${resource.resourceType}/${resource.id}`);
  }
  return wrong;
}

/** The earlier stay ended the day before this admission; this admission is a new in-progress Encounter on the same bed. */
function readmitted(patient: SyntheticPatient, index: number): Resource[] {
  const earlier = patient.encounter;
  const ended = new Date(ADMISSION_MS - DAY).toISOString();
  const finished: Encounter = {
    ...earlier,
    status: 'finished',
    period: { ...earlier.period, end: ended },
    location: (earlier.location ?? []).map((entry) => ({ ...entry, status: 'completed', period: { ...entry.period, end: ended } })),
  };
  const current: Encounter = {
    ...earlier,
    id: `cache-window-admission-${index}`,
    period: { start: ADMISSION },
    location: (earlier.location ?? []).map((entry) => ({ ...entry, period: { start: ADMISSION } })),
  };
  // One order stopped during the earlier stay: not a standing order, so it stays on the hub.
  let stoppedOne = false;
  return patient.resources.flatMap((resource): Resource[] => {
    if (resource.id === earlier.id) return [finished, current];
    if (resource.resourceType === 'MedicationRequest' && !stoppedOne) {
      stoppedOne = true;
      return [{ ...resource, status: 'stopped' } as MedicationRequest];
    }
    return [resource];
  });
}

async function station(options: { daysBeforeAdmission?: number; viaProxy?: boolean }): Promise<Station> {
  const ws = await enrollTestWorkstation(hub, 'a', options.viaProxy === true ? { hubUrl: proxy.url, pin: proxy.pin } : {});
  const vault = await ws.openVault();
  const engine = ws.engine(vault, {
    pageSize: 250,
    ...(options.daysBeforeAdmission === undefined ? {} : { daysBeforeAdmission: options.daysBeforeAdmission }),
  });
  return { ws, vault, engine, windowStartMs: ADMISSION_MS - (options.daysBeforeAdmission ?? 30) * DAY };
}

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  const ward = generateWard({ seed: 'sync-cache-window', patients: 3, days: HISTORY_DAYS, ward: { id: 'a', name: 'Ward a' }, now: NOW });
  patients = ward.patients.map((synthetic, index) => {
    if (index === 2) return { synthetic, resources: [...synthetic.resources], admissionMs: ms(synthetic.encounter.period?.start) };
    return { synthetic, resources: readmitted(synthetic, index), admissionMs: ADMISSION_MS };
  });
  await importResources(hub.db, [ward.location, ...ward.beds, ...ward.practitioners, ...patients.flatMap((p) => p.resources)], new Date());
  feed = await hub.enrollDevice('a');
  // A hub that does not know $everything's `start`: the proxy takes it out (and notes it was asked).
  proxy = await startFaultProxy({
    hubUrl: hub.url,
    hubCaPem: hub.caPem,
    rewritePath: (path) => {
      if (!path.includes('/$everything')) return path;
      everythingRequests.push(path);
      const [route, query = ''] = path.split('?');
      const kept = new URLSearchParams(query);
      kept.delete('start');
      return `${route}?${kept.toString()}`;
    },
  });
  byDefault = await station({});
  admissionOnly = await station({ daysBeforeAdmission: 0 });
  ignoringHub = await station({ daysBeforeAdmission: 3, viaProxy: true });
}, 120_000);

afterAll(async () => {
  for (const s of [byDefault, admissionOnly, ignoringHub]) {
    await s?.engine.close();
    s?.vault.close();
    await s?.ws.remove();
  }
  await proxy?.stop();
  await hub?.stop();
});

describe('sync: the cache window (data minimisation)', () => {
  it('answers $everything with start: nothing older, but the patient, allergies, flags, active problems and standing orders of any date', async () => {
    const { synthetic, resources } = patients[0]!;
    const start = '2026-01-05';
    const got: Resource[] = [];
    let path: string | null = `/fhir/Patient/${synthetic.patient.id}/$everything?_count=300&start=${start}`;
    while (path !== null) {
      const response = await feed.fetch(path);
      expect(response.status).toBe(200);
      const bundle = (await response.json()) as { entry?: Array<{ resource: Resource }>; link?: Array<{ relation: string; url: string }> };
      got.push(...(bundle.entry ?? []).map((entry) => entry.resource));
      const next = bundle.link?.find((link) => link.relation === 'next')?.url;
      path = next === undefined ? null : `${new URL(next).pathname}${new URL(next).search}`;
    }
    const startMs = Date.parse(`${start}T00:00:00Z`);
    const expected = resources
      .filter((resource) => careEnd(resource) >= startMs)
      .map((r) => `${r.resourceType}/${r.id}`)
      .sort();
    expect(got.map((r) => `${r.resourceType}/${r.id}`).sort()).toEqual(expected);
    expect(expected.length).toBeLessThan(resources.length / 3);
    // Recorded during the earlier stay, and sent all the same.
    const timeless = resources.filter((r) => careEnd(r) === Infinity && r.resourceType !== 'Encounter');
    expect(new Set(timeless.map((r) => r.resourceType))).toEqual(
      new Set([
        'Patient',
        'Condition',
        'MedicationRequest',
        ...resources.filter((r) => r.resourceType === 'AllergyIntolerance' || r.resourceType === 'Flag').map((r) => r.resourceType),
      ]),
    );
    expect(got.map((r) => r.id)).toEqual(expect.arrayContaining(timeless.map((r) => r.id)));
    const bad = await feed.fetch(`/fhir/Patient/${synthetic.patient.id}/$everything?start=last-tuesday`);
    expect(bad.status).toBe(400);
  });

  it('caches a readmitted patient from 30 days before this admission on by default, keeping older allergies, problems and active orders', async () => {
    const summary = await byDefault.engine.syncOnce();
    expect(summary.patients).toBe(3);
    for (const [index, patient] of patients.entries()) {
      const startMs = index === 2 ? patient.admissionMs - 30 * DAY : byDefault.windowStartMs;
      expect(windowMismatches(byDefault.vault, patient.resources, startMs), `patient ${index}`).toEqual([]);
    }
    const { synthetic, resources } = patients[0]!;
    const patientId = synthetic.patient.id!;
    // What a nurse sees: the oldest heart rate is within the window, though the hub holds 60 days.
    const trend = byDefault.vault.observationTrend(patientId, '8867-4', '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
    expect(trend.length).toBeGreaterThan(0);
    expect(Math.min(...trend.map((point) => ms(point.time)))).toBeGreaterThanOrEqual(byDefault.windowStartMs);
    expect(resources.some((r) => r.resourceType === 'Observation' && careEnd(r) < byDefault.windowStartMs)).toBe(true);
    const chart = byDefault.vault.patientSummary(patientId)!;
    expect(ms(chart.encounter?.admittedAt ?? undefined)).toBe(ADMISSION_MS);
    // Active problems and orders recorded during the earlier stay (before the window) are on the chart.
    const activeProblems = resources.filter((r): r is Condition => r.resourceType === 'Condition' && isActive(r));
    const activeOrders = resources.filter((r): r is MedicationRequest => r.resourceType === 'MedicationRequest' && r.status === 'active');
    expect(activeProblems.filter((r) => ms(r.recordedDate) < byDefault.windowStartMs).length).toBeGreaterThan(0);
    expect(activeOrders.filter((r) => ms(r.authoredOn) < byDefault.windowStartMs).length).toBeGreaterThan(0);
    expect(chart.problems.map((p) => p.id).sort()).toEqual(activeProblems.map((r) => r.id).sort());
    expect(chart.medications.map((m) => m.requestId).sort()).toEqual(activeOrders.map((r) => r.id).sort());
  });

  it('caches from the admission only with a policy of 0 days', async () => {
    await admissionOnly.engine.syncOnce();
    expect(admissionOnly.windowStartMs).toBe(ADMISSION_MS);
    for (const [index, patient] of patients.entries()) {
      const startMs = index === 2 ? patient.admissionMs : ADMISSION_MS;
      expect(windowMismatches(admissionOnly.vault, patient.resources, startMs), `patient ${index}`).toEqual([]);
    }
    const patientId = patients[1]!.synthetic.patient.id!;
    expect(admissionOnly.vault.resources.read('Encounter', patients[1]!.synthetic.encounter.id!)).toBeNull();
    const trend = admissionOnly.vault.observationTrend(patientId, '8867-4', '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
    expect(Math.min(...trend.map((point) => ms(point.time)))).toBeGreaterThanOrEqual(ADMISSION_MS);
  });

  it('keeps to the window when the hub ignores start (asked for the day before the window opens)', async () => {
    await ignoringHub.engine.syncOnce();
    const firstRequests = everythingRequests.filter((path) => !path.includes('_cursor'));
    expect(firstRequests).toHaveLength(3);
    expect(firstRequests.filter((path) => path.includes('start=2026-01-01'))).toHaveLength(2);
    for (const [index, patient] of patients.entries()) {
      const startMs = index === 2 ? patient.admissionMs - 3 * DAY : ignoringHub.windowStartMs;
      expect(windowMismatches(ignoringHub.vault, patient.resources, startMs), `patient ${index}`).toEqual([]);
    }
  });

  it('leaves out care arriving later with an old date, and removes an order stopped long ago', async () => {
    const { synthetic, resources } = patients[0]!;
    const patientId = synthetic.patient.id!;
    const template = resources.find((r): r is Observation => r.resourceType === 'Observation' && r.issued === undefined)!;
    const late = (id: string, at: number): Observation =>
      ({ ...template, id, meta: undefined, effectiveDateTime: new Date(at).toISOString() }) as Observation;
    const backdated = late('cache-window-backdated', byDefault.windowStartMs - 5 * DAY);
    const recent = late('cache-window-recent', NOW_MS - DAY);
    const standing = resources.find((r): r is MedicationRequest => r.resourceType === 'MedicationRequest' && r.status === 'active')!;
    await feedResources(hub.db, [backdated, recent, { ...standing, meta: undefined, status: 'stopped' } as MedicationRequest]);
    for (const s of [byDefault, admissionOnly]) {
      await s.engine.syncOnce();
      expect(s.vault.resources.read('Observation', recent.id!)).not.toBeNull();
      expect(s.vault.resources.read('Observation', backdated.id!)).toBeNull();
      expect(s.vault.resources.read('MedicationRequest', standing.id!)).toBeNull();
      expect(s.vault.patientSummary(patientId)!.medications.map((m) => m.requestId)).not.toContain(standing.id);
    }
  });
});
