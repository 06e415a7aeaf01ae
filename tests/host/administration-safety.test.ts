// The five rights at every administration, through the window's channels on an enrolled
// workstation: the dialog's check (chart:check-administration) and the record itself, which the
// host refuses on a hard stop, a missing reason or an unconfirmed patient, writing nothing (no
// outbox entry, no audit of a documentation). Orders are fed to the hub as the hospital's feed would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AllergyIntolerance, MedicationAdministration, MedicationRequest, Resource } from '../../shared/fhir/index.js';
import { RXNORM_SYSTEM, UCUM_SYSTEM } from '../../shared/fhir/index.js';
import {
  ADMINISTRATION_REASON_EXTENSION_URL,
  ADMINISTRATION_TIMING_EXTENSION_URL,
  PATIENT_CONFIRMATION_EXTENSION_URL,
  unrecordedSlots,
} from '../../shared/medication-safety/index.js';
import type { MarRowData } from '../../shared/contract/index.js';
import { examplePolicyDraft } from '../../electron/policy/test-helpers.js';
import { feedResources } from '../support/hub-fixtures.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';
import { mrnOf } from '../support/administration-fixtures.js';

let t: EnrolledTestHost;
let patientId: string;
let mrn: string;

const mg = (value: number) => ({ value, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' });

function order(id: string, rxnorm: string, text: string, dose: number, dosage: Record<string, unknown>): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: RXNORM_SYSTEM, code: rxnorm, display: text }], text },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: '2026-01-14T08:00:00Z',
    dosageInstruction: [{ ...dosage, doseAndRate: [{ doseQuantity: mg(dose) }] }],
  } as MedicationRequest;
}

const daily = (...times: string[]) => ({ timing: { repeat: { frequency: times.length, period: 1, periodUnit: 'd', timeOfDay: times } } });

// Once a week on Thursdays at 08:00 from Wednesday 14 January 2026 (boundsPeriod): 15, 22, 29 January.
const weeklyOnThursday = {
  timing: {
    repeat: {
      boundsPeriod: { start: '2026-01-14' },
      frequency: 1,
      period: 1,
      periodUnit: 'wk',
      dayOfWeek: ['thu'],
      timeOfDay: ['08:00:00'],
    },
  },
};

// A monthly B12 injection at 10:00 anchored on 31 October 2025 (boundsPeriod): 30 November, 31
// December, 31 January, 28 February, 31 March: the month's last day when it has no 31st.
const monthlyOnThe31st = {
  timing: {
    repeat: { boundsPeriod: { start: '2025-10-31' }, frequency: 1, period: 1, periodUnit: 'mo', timeOfDay: ['10:00:00'] },
  },
};

const METFORMIN = 'safety-metformin';
const METHOTREXATE = 'safety-methotrexate-weekly';
const WARFARIN = 'safety-warfarin';
const PARACETAMOL_PRN = 'safety-paracetamol-prn';
const CEFTRIAXONE = 'safety-ceftriaxone';
const B12 = 'safety-b12-monthly';

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'administration-safety' });
  const subject = t.ward.patients[0]!;
  patientId = subject.patient.id!;
  mrn = mrnOf(subject);
  const penicillinAllergy: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id: 'safety-penicillin-allergy',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }],
    },
    criticality: 'high',
    code: { coding: [{ system: RXNORM_SYSTEM, code: '70618', display: 'Penicillin' }], text: 'Penicillin' },
    patient: { reference: `Patient/${patientId}` },
    reaction: [{ manifestation: [{ text: 'Anaphylaxis' }] }],
  };
  const fed: Resource[] = [
    order(METFORMIN, '860975', 'metformin hydrochloride 500 MG Extended Release Oral Tablet', 500, daily('08:00:00', '18:00:00')),
    order(WARFARIN, '855332', 'warfarin sodium 5 MG Oral Tablet', 5, daily('18:00:00')),
    order(PARACETAMOL_PRN, '313782', 'acetaminophen 325 MG Oral Tablet', 650, {
      timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h' } },
      asNeededCodeableConcept: { text: 'Pain' },
    }),
    order(CEFTRIAXONE, '1665021', 'ceftriaxone 1000 MG Injection', 1000, daily('10:00:00')),
    order(METHOTREXATE, '105585', 'methotrexate 2.5 MG Oral Tablet', 15, weeklyOnThursday),
    order(B12, '1650871', 'cyanocobalamin 1 MG/ML Injectable Solution', 1, monthlyOnThe31st),
    penicillinAllergy,
  ];
  await feedResources(t.hub.db, fed);
  await t.signIn('nina');
  await t.call('sync:now', {});
});

afterAll(async () => {
  await t?.close();
});

const confirmed = () => ({ method: 'scan' as const, value: `urn:wardline:mrn|${mrn}` });
const documentations = () => t.host.audit.find({}).filter((e) => e.action === 'create').length;

interface Verdict {
  hardStops: { check: string; code: string }[];
  reasonsNeeded: { check: string }[];
  timing: string;
  allergyConflicts: { classId: string; allergy: string }[];
}

const check = (administration: Record<string, unknown>) => t.call<Verdict>('chart:check-administration', { patientId, administration });
const record = (administration: Record<string, unknown>) => t.transport.send('chart:record-administration', { patientId, administration });

/** Sends the record and expects a refusal with `code` that wrote nothing. */
async function expectRefused(administration: Record<string, unknown>, code: string): Promise<void> {
  const outbox = t.host.vault.outbox.count();
  const audited = documentations();
  expect(await record(administration)).toMatchObject({ ok: false, error: { code } });
  expect(t.host.vault.outbox.count()).toBe(outbox);
  expect(documentations()).toBe(audited);
}

async function recorded(administration: Record<string, unknown>): Promise<MedicationAdministration> {
  const result = await record(administration);
  if (!result.ok) throw new Error(`refused: ${result.error.code}`);
  const { resourceIds } = result.value as { resourceIds: string[] };
  return t.host.vault.resources.read('MedicationAdministration', resourceIds[0]!) as MedicationAdministration;
}

const timingOf = (administration: MedicationAdministration) =>
  administration.extension?.find((e) => e.url === ADMINISTRATION_TIMING_EXTENSION_URL)?.valueCode;

describe('the five rights at an administration', () => {
  it('passes a correct dose in one step: nothing to ask, recorded on time with how the patient was confirmed', async () => {
    const dose = {
      medicationRequestId: METFORMIN,
      given: true,
      scheduledAt: '2026-01-15T08:00:00Z',
      effectiveAt: '2026-01-15T08:20:00Z',
      dose: { value: 500, unit: 'mg' },
    };
    // The window it was judged by is the policy's (the dialog takes it from here, never its own copy).
    expect(await check(dose)).toEqual({
      hardStops: [],
      reasonsNeeded: [],
      timing: 'on-time',
      allergyConflicts: [],
      windowMinutes: (examplePolicyDraft().medication as { administrationWindowMinutes: number }).administrationWindowMinutes,
    });
    const before = documentations();
    const saved = await recorded({ ...dose, patientConfirmation: confirmed() });
    expect(saved.status).toBe('completed');
    expect(timingOf(saved)).toBe('on-time');
    expect(saved.extension?.find((e) => e.url === PATIENT_CONFIRMATION_EXTENSION_URL)?.valueCode).toBe('scan');
    expect(documentations()).toBe(before + 1);
  });

  it('stops 5000 g of metformin against a 500 mg order, and a unit that cannot be converted, writing nothing', async () => {
    const dose = { medicationRequestId: METFORMIN, given: true, scheduledAt: '2026-01-15T18:00:00Z', effectiveAt: '2026-01-15T18:00:00Z' };
    const grams = { ...dose, dose: { value: 5000, unit: 'g' } };
    expect((await check(grams)).hardStops).toEqual([expect.objectContaining({ check: 'dose', code: 'DOSE_OVER_LIMIT' })]);
    await expectRefused({ ...grams, patientConfirmation: confirmed(), reasons: { dose: 'prescriber-instructed-dose' } }, 'DOSE_OVER_LIMIT');
    const millilitres = { ...dose, dose: { value: 5, unit: 'mL' } };
    expect((await check(millilitres)).hardStops).toEqual([expect.objectContaining({ code: 'DOSE_UNIT_MISMATCH' })]);
    await expectRefused({ ...millilitres, patientConfirmation: confirmed() }, 'DOSE_UNIT_MISMATCH');
  });

  it('asks a reason for a different dose within twice the order, and records it with the dose', async () => {
    const dose = {
      medicationRequestId: METFORMIN,
      given: true,
      scheduledAt: '2026-01-15T18:00:00Z',
      effectiveAt: '2026-01-15T18:10:00Z',
      dose: { value: 0.25, unit: 'g' },
      patientConfirmation: confirmed(),
    };
    expect((await check(dose)).reasonsNeeded).toEqual([expect.objectContaining({ check: 'dose' })]);
    await expectRefused(dose, 'REASON_REQUIRED');
    const saved = await recorded({ ...dose, reasons: { dose: 'partial-dose-taken' } });
    const reason = saved.extension?.find((e) => e.url === ADMINISTRATION_REASON_EXTENSION_URL);
    expect(reason?.extension).toEqual([
      { url: 'check', valueCode: 'dose' },
      { url: 'reason', valueCoding: expect.objectContaining({ code: 'partial-dose-taken' }) },
    ]);
  });

  it('asks a reason for an 18:00 dose given at 13:25, and marks it early', async () => {
    const dose = {
      medicationRequestId: WARFARIN,
      given: true,
      scheduledAt: '2026-01-15T18:00:00Z',
      effectiveAt: '2026-01-15T13:25:00Z',
      dose: { value: 5, unit: 'mg' },
      patientConfirmation: confirmed(),
    };
    const verdict = await check(dose);
    expect(verdict.timing).toBe('early');
    expect(verdict.reasonsNeeded).toEqual([expect.objectContaining({ check: 'time' })]);
    await expectRefused(dose, 'REASON_REQUIRED');
    expect(timingOf(await recorded({ ...dose, reasons: { time: 'patient-unavailable' } }))).toBe('early');
  });

  it('refuses a second dose of once-daily warfarin the same day, for its slot or as an extra dose', async () => {
    const again = {
      medicationRequestId: WARFARIN,
      given: true,
      scheduledAt: '2026-01-15T18:00:00Z',
      effectiveAt: '2026-01-15T18:00:00Z',
      dose: { value: 5, unit: 'mg' },
      patientConfirmation: confirmed(),
    };
    expect((await check(again)).hardStops).toEqual([expect.objectContaining({ check: 'frequency', code: 'DOSE_BEYOND_FREQUENCY' })]);
    await expectRefused(again, 'DOSE_BEYOND_FREQUENCY');
    await expectRefused({ ...again, scheduledAt: undefined }, 'DOSE_BEYOND_FREQUENCY');
    await expectRefused({ ...again, scheduledAt: '2026-01-15T20:00:00Z' }, 'DOSE_BEYOND_FREQUENCY');
  });

  it("records weekly methotrexate once in its week: a second dose that week is refused, next week's is due on its own day", async () => {
    const thursday = {
      medicationRequestId: METHOTREXATE,
      given: true,
      scheduledAt: '2026-01-15T08:00:00Z',
      effectiveAt: '2026-01-15T08:10:00Z',
      dose: { value: 15, unit: 'mg' },
      patientConfirmation: confirmed(),
    };
    expect((await check(thursday)).hardStops).toEqual([]);
    expect((await recorded(thursday)).status).toBe('completed');
    // The same slot again, Friday at the order's time, an unscheduled dose, and next Thursday's
    // dose given on Saturday: each is a second dose in the same week.
    await expectRefused(thursday, 'DOSE_BEYOND_FREQUENCY');
    await expectRefused({ ...thursday, scheduledAt: '2026-01-16T08:00:00Z', effectiveAt: '2026-01-16T08:00:00Z' }, 'DOSE_BEYOND_FREQUENCY');
    await expectRefused({ ...thursday, scheduledAt: undefined, effectiveAt: '2026-01-17T09:00:00Z' }, 'DOSE_BEYOND_FREQUENCY');
    const nextWeek = { ...thursday, scheduledAt: '2026-01-22T08:00:00Z', effectiveAt: '2026-01-22T08:00:00Z' };
    await expectRefused(
      { ...nextWeek, effectiveAt: '2026-01-17T09:00:00Z', reasons: { time: 'patient-unavailable' } },
      'DOSE_BEYOND_FREQUENCY',
    );
    // Next Thursday's dose on next Thursday: nothing stops it.
    expect(await check(nextWeek)).toMatchObject({ hardStops: [], reasonsNeeded: [], timing: 'on-time' });
  });

  it("lays monthly B12 on the MAR on the 31st or the month's last day, and refuses a second dose in its month", async () => {
    const mar = await t.call<MarRowData[]>('chart:mar', { patientId, from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' });
    const row = mar.find((r) => r.medication.requestId === B12)!;
    const slots = unrecordedSlots(
      {
        prn: row.medication.asNeeded,
        timesOfDay: row.medication.timesOfDay,
        doseDays: row.medication.doseDays,
        startsAt: row.medication.authoredOn,
        recorded: row.administrations,
      },
      Date.parse('2026-01-01T00:00:00Z'),
      Date.parse('2026-04-01T00:00:00Z'),
      'UTC',
    );
    expect(slots.map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
    ]);
    const january = {
      medicationRequestId: B12,
      given: true,
      scheduledAt: '2026-01-31T10:00:00Z',
      effectiveAt: '2026-01-31T10:05:00Z',
      dose: { value: 1, unit: 'mg' },
      patientConfirmation: confirmed(),
    };
    expect((await check(january)).hardStops).toEqual([]);
    expect((await recorded(january)).status).toBe('completed');
    // The same slot again, an unscheduled dose on 10 February, and February's dose (the 28th)
    // given on the 20th: each is a second dose in the month that runs from 31 January.
    await expectRefused(january, 'DOSE_BEYOND_FREQUENCY');
    await expectRefused({ ...january, scheduledAt: undefined, effectiveAt: '2026-02-10T10:00:00Z' }, 'DOSE_BEYOND_FREQUENCY');
    const february = { ...january, scheduledAt: '2026-02-28T10:00:00Z', effectiveAt: '2026-02-28T10:00:00Z' };
    await expectRefused(
      { ...february, effectiveAt: '2026-02-20T10:00:00Z', reasons: { time: 'patient-unavailable' } },
      'DOSE_BEYOND_FREQUENCY',
    );
    // 1 March is not one of its days; 28 February's dose on the 28th: nothing stops it.
    expect((await check({ ...february, scheduledAt: '2026-03-01T10:00:00Z', effectiveAt: '2026-03-01T10:00:00Z' })).hardStops).toEqual([
      expect.objectContaining({ check: 'frequency' }),
    ]);
    expect(await check(february)).toMatchObject({ hardStops: [], reasonsNeeded: [], timing: 'on-time' });
  });

  it('refuses an as-needed dose within its minimum interval, and takes one after it', async () => {
    const prn = { medicationRequestId: PARACETAMOL_PRN, given: true, dose: { value: 650, unit: 'mg' }, patientConfirmation: confirmed() };
    const first = await recorded({ ...prn, effectiveAt: '2026-01-15T06:00:00Z' });
    expect(timingOf(first)).toBeUndefined();
    expect((await check({ ...prn, effectiveAt: '2026-01-15T09:00:00Z' })).hardStops).toEqual([
      expect.objectContaining({ code: 'PRN_TOO_SOON' }),
    ]);
    await expectRefused({ ...prn, effectiveAt: '2026-01-15T09:00:00Z' }, 'PRN_TOO_SOON');
    await recorded({ ...prn, effectiveAt: '2026-01-15T12:05:00Z' });
  });

  it('asks a reason before ceftriaxone for a patient with a penicillin allergy (beta-lactam class)', async () => {
    const dose = {
      medicationRequestId: CEFTRIAXONE,
      given: true,
      scheduledAt: '2026-01-15T10:00:00Z',
      effectiveAt: '2026-01-15T10:05:00Z',
      dose: { value: 1, unit: 'g' },
      patientConfirmation: confirmed(),
    };
    const verdict = await check({ ...dose, dose: { value: 1000, unit: 'mg' } });
    expect(verdict.allergyConflicts).toEqual([expect.objectContaining({ classId: 'beta-lactam', allergy: 'Penicillin' })]);
    expect(verdict.reasonsNeeded).toEqual([expect.objectContaining({ check: 'allergy' })]);
    await expectRefused({ ...dose, dose: { value: 1000, unit: 'mg' } }, 'REASON_REQUIRED');
    await expectRefused({ ...dose, reasons: { allergy: 'prescriber-aware-of-allergy' } }, 'REASON_REQUIRED');
    await recorded({ ...dose, reasons: { allergy: 'prescriber-aware-of-allergy', dose: 'nearest-available-strength' } });
  });

  it('puts a dose marked entered in error back on the MAR as due, takes the right dose for its slot, and still refuses a second one', async () => {
    const slot = '2026-01-17T08:00:00Z';
    const dose = {
      medicationRequestId: METFORMIN,
      given: true,
      scheduledAt: slot,
      effectiveAt: '2026-01-17T08:10:00Z',
      dose: { value: 500, unit: 'mg' },
      patientConfirmation: confirmed(),
    };
    const dueOnMar = async (): Promise<string[]> => {
      const mar = await t.call<MarRowData[]>('chart:mar', { patientId, from: '2026-01-17T00:00:00Z', to: '2026-01-18T00:00:00Z' });
      const row = mar.find((r) => r.medication.requestId === METFORMIN)!;
      const order = {
        prn: row.medication.asNeeded,
        timesOfDay: row.medication.timesOfDay,
        doseDays: row.medication.doseDays,
        startsAt: row.medication.authoredOn,
        recorded: row.administrations,
      };
      return unrecordedSlots(order, Date.parse('2026-01-17T00:00:00Z'), Date.parse('2026-01-18T00:00:00Z'), 'UTC').map((ms) =>
        new Date(ms).toISOString(),
      );
    };
    expect(await dueOnMar()).toContain('2026-01-17T08:00:00.000Z');
    const wrong = await recorded(dose);
    expect(await dueOnMar()).not.toContain('2026-01-17T08:00:00.000Z');
    await expectRefused(dose, 'DOSE_BEYOND_FREQUENCY');
    // Given to the wrong patient: marked entered in error, the slot is due again and its dose recordable.
    await t.call('chart:amend', {
      patientId,
      resourceType: 'MedicationAdministration',
      id: wrong.id!,
      versionId: null,
      reason: 'wrong-patient',
      action: 'entered-in-error',
    });
    expect(await dueOnMar()).toContain('2026-01-17T08:00:00.000Z');
    expect(await check(dose)).toMatchObject({ hardStops: [] });
    expect((await recorded(dose)).status).toBe('completed');
    expect(await dueOnMar()).not.toContain('2026-01-17T08:00:00.000Z');
    // The right dose stands: a second one for the slot is refused.
    await expectRefused(dose, 'DOSE_BEYOND_FREQUENCY');
  });

  it("refuses a dose without the patient's confirmation, or confirmed with another patient's MRN, writing nothing", async () => {
    const dose = {
      medicationRequestId: METFORMIN,
      given: true,
      scheduledAt: '2026-01-16T08:00:00Z',
      effectiveAt: '2026-01-16T08:00:00Z',
      dose: { value: 500, unit: 'mg' },
    };
    await expectRefused(dose, 'PATIENT_NOT_CONFIRMED');
    const other = mrnOf(t.ward.patients[1]!);
    expect((await check({ ...dose, patientConfirmation: { method: 'typed', value: other } })).hardStops).toEqual([
      expect.objectContaining({ check: 'patient', code: 'PATIENT_NOT_CONFIRMED' }),
    ]);
    await expectRefused({ ...dose, patientConfirmation: { method: 'typed', value: other } }, 'PATIENT_NOT_CONFIRMED');
    expect((await recorded({ ...dose, patientConfirmation: { method: 'typed', value: mrn.toLowerCase() } })).status).toBe('completed');
  });

  it('records a held dose with its coded reason (statusReason), and refuses a reason outside the list', async () => {
    const held = {
      medicationRequestId: WARFARIN,
      given: false,
      scheduledAt: '2026-01-16T18:00:00Z',
      effectiveAt: '2026-01-16T18:05:00Z',
      notGivenReason: 'outside-parameters',
      note: 'INR 4.2',
      patientConfirmation: confirmed(),
    };
    await expectRefused({ ...held, notGivenReason: 'felt like it' }, 'REJECTED');
    const saved = await recorded(held);
    expect(saved.status).toBe('not-done');
    expect(saved.statusReason?.[0]?.coding?.[0]).toMatchObject({ code: 'outside-parameters' });
    expect(saved.note?.[0]?.text).toBe('INR 4.2');
  });
});
