// The doses recorded twice for one slot that the census and the chart summary carry (beyond the
// MAR): the MAR's own rule over the last and next day, read from a chart store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MedicationAdministration, Resource } from '../../shared/fhir/index.js';
import { SCHEDULED_TIME_EXTENSION_URL } from '../../shared/fhir/index.js';
import { openMemoryChartStore, type MemoryChartStore } from './memory-chart-store.js';

const PATIENT = 'double-dose-patient';
const MEDICINE = 'Enoxaparin 40 MG Injection';
const HOUR = 3_600_000;
let store: MemoryChartStore;
let slot: Date;

const dose = (id: string, scheduledAt: Date, status: MedicationAdministration['status'] = 'completed'): MedicationAdministration =>
  ({
    resourceType: 'MedicationAdministration',
    id,
    extension: [{ url: SCHEDULED_TIME_EXTENSION_URL, valueDateTime: scheduledAt.toISOString() }],
    status,
    medicationCodeableConcept: { text: MEDICINE },
    subject: { reference: `Patient/${PATIENT}` },
    effectiveDateTime: new Date(scheduledAt.getTime() + 5 * 60_000).toISOString(),
    request: { reference: 'MedicationRequest/double-dose-order' },
  }) as MedicationAdministration;

beforeEach(() => {
  // A once-daily order whose dose was due two hours ago (local time, as the order's timeOfDay says it).
  const due = new Date(Date.now() - 2 * HOUR);
  slot = new Date(due.getFullYear(), due.getMonth(), due.getDate(), due.getHours());
  const timeOfDay = `${String(slot.getHours()).padStart(2, '0')}:00:00`;
  store = openMemoryChartStore();
  store.resources.upsertMany([
    { resourceType: 'Patient', id: PATIENT, name: [{ family: 'Twicedose', given: ['Ben'] }] },
    {
      resourceType: 'Encounter',
      id: 'double-dose-encounter',
      status: 'in-progress',
      class: { code: 'IMP' },
      subject: { reference: `Patient/${PATIENT}` },
      period: { start: new Date(Date.now() - 5 * 24 * HOUR).toISOString() },
    },
    {
      resourceType: 'MedicationRequest',
      id: 'double-dose-order',
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { text: MEDICINE },
      subject: { reference: `Patient/${PATIENT}` },
      authoredOn: new Date(Date.now() - 5 * 24 * HOUR).toISOString(),
      dosageInstruction: [
        { text: '40 mg once daily', timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: [timeOfDay] } } },
      ],
    },
  ] as Resource[]);
});

afterEach(() => store.close());

const censusRow = () => store.census().find((row) => row.patientId === PATIENT);

describe('the doses recorded twice the census and the chart summary carry', () => {
  it('names a slot recorded twice on the census row and in the summary, and drops it once one dose is entered in error', () => {
    store.resources.upsertMany([dose('ward', slot), dose('hub', slot)]);
    const expected = [{ medication: MEDICINE, scheduledAt: slot.toISOString(), count: 2 }];
    expect(censusRow()?.dosesRecordedTwice).toEqual(expected);
    expect(store.patientSummary(PATIENT)?.dosesRecordedTwice).toEqual(expected);

    store.resources.upsertMany([dose('hub', slot, 'entered-in-error')]);
    expect(censusRow()?.dosesRecordedTwice).toEqual([]);
    expect(store.patientSummary(PATIENT)?.dosesRecordedTwice).toEqual([]);
  });

  it('says nothing of one dose a slot, nor of a slot recorded twice days ago', () => {
    const daysAgo = new Date(slot.getTime() - 3 * 24 * HOUR);
    store.resources.upsertMany([dose('today', slot), dose('old-1', daysAgo), dose('old-2', daysAgo)]);
    expect(censusRow()?.dosesRecordedTwice).toEqual([]);
  });
});
