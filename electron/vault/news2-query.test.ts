// The NEWS2 the census and the chart summary lead with, read from a chart store: one pulse charted
// hours after a complete round must not hide the round's score.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Observation, Resource } from '../../shared/fhir/index.js';
import { openMemoryChartStore, type MemoryChartStore } from './memory-chart-store.js';

const PATIENT = 'news2-patient';
const HOUR = 3_600_000;
let store: MemoryChartStore;
let serial = 0;
let nowMs = 0;

const vital = (minutesAgo: number, code: string, value: Partial<Observation>): Observation =>
  ({
    resourceType: 'Observation',
    id: `obs-${++serial}`,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code }] },
    subject: { reference: `Patient/${PATIENT}` },
    effectiveDateTime: new Date(nowMs - minutesAgo * 60_000).toISOString(),
    ...value,
  }) as Observation;
const quantity = (value: number, unit: string): Partial<Observation> => ({
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
});
const pulse = (minutesAgo: number, value: number): Observation => vital(minutesAgo, '8867-4', quantity(value, '/min'));

/** A complete round scoring 10, High. */
const highRound = (minutesAgo: number): Observation[] => [
  vital(minutesAgo, '9279-1', quantity(25, '/min')),
  vital(minutesAgo, '59408-5', quantity(93, '%')),
  vital(minutesAgo, '3151-8', quantity(0, 'L/min')),
  vital(minutesAgo, '85354-9', {
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, ...quantity(105, 'mm[Hg]') },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, ...quantity(60, 'mm[Hg]') },
    ],
  } as Partial<Observation>),
  pulse(minutesAgo, 115),
  vital(minutesAgo, '67775-7', {
    valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '248234008', display: 'Mentally alert' }], text: 'Alert' },
  }),
  vital(minutesAgo, '8310-5', quantity(39.5, 'Cel')),
];

beforeEach(() => {
  nowMs = Date.now();
  store = openMemoryChartStore();
  store.resources.upsertMany([
    { resourceType: 'Patient', id: PATIENT, name: [{ family: 'Scorecheck', given: ['Ada'] }] },
    {
      resourceType: 'Encounter',
      id: 'news2-encounter',
      status: 'in-progress',
      class: { code: 'IMP' },
      subject: { reference: `Patient/${PATIENT}` },
      period: { start: new Date(Date.now() - 30 * 24 * HOUR).toISOString() },
    },
  ] as Resource[]);
});

afterEach(() => store.close());

const censusNews2 = () => store.census().find((row) => row.patientId === PATIENT)?.news2;

describe('the NEWS2 the census and the chart summary lead with', () => {
  it('keeps the last complete round\'s "10 High" after one pulse charted three hours later, and names the newer set', () => {
    store.resources.upsertMany([...highRound(240), pulse(60, 72)]);
    const expected = {
      total: 10,
      band: 'high',
      complete: true,
      at: new Date(nowMs - 240 * 60_000).toISOString(),
      newerIncomplete: { total: 0, complete: false },
    };
    const news2 = censusNews2();
    expect(news2).toMatchObject(expected);
    // The chart's summary says the same.
    expect(store.patientSummary(PATIENT)?.news2).toEqual(news2);
  });

  it('finds the last complete round days back, behind many single pulses', () => {
    const pulses = Array.from({ length: 40 }, (_, i) => pulse(60 + i * 120, 80));
    store.resources.upsertMany([...highRound(6 * 24 * 60), ...pulses]);
    expect(censusNews2()).toMatchObject({ total: 10, band: 'high', complete: true, newerIncomplete: { complete: false } });
  });

  it('leads with the newest round alone when it is complete', () => {
    store.resources.upsertMany([...highRound(600), ...highRound(30)]);
    expect(censusNews2()).toMatchObject({ total: 10, complete: true, newerIncomplete: null });
  });
});
