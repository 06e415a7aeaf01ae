// A ward clerk's census and chart summaries carry no clinical field at all, through the window's
// channels of a running host (the vault holds the whole ward's charts): the role table gives a clerk
// the census and demographics and no clinical category, so the alerts, allergies, vital signs,
// NEWS2, problems, medications, labs, doses recorded twice and reason for admission a nurse sees on the same patients are
// absent from what the host answers a clerk (not blank: not there), and none of their words are in
// it. Checked against what a nurse is shown of the same ward, so the test cannot pass on an empty one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CensusRowData, ChartSummaryData } from '../../shared/contract/index.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';

/** What a clerk may be sent of a census row: who and where the patient is, and how current the copy is. */
const CENSUS_DEMOGRAPHICS = ['admittedAt', 'bed', 'birthDate', 'dataAsOf', 'encounterId', 'gender', 'mrn', 'name', 'patientId'];
/** What a clerk may be sent of a chart summary: the patient, the admission, how current the copy is, whether it may be documented here. */
const SUMMARY_DEMOGRAPHICS = ['dataAsOf', 'encounter', 'patient', 'readOnly'];

let t: TestHost;

beforeAll(async () => {
  t = await startTestHost('clerk-sees-no-clinical', { patients: 6 });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function census(): Promise<CensusRowData[]> {
  const result = await t.transport.send('chart:census', {});
  if (!result.ok) throw new Error(`chart:census refused: ${result.error.code}`);
  return result.value as CensusRowData[];
}

async function summary(patientId: string): Promise<ChartSummaryData> {
  const result = await t.transport.send('chart:summary', { patientId });
  if (!result.ok) throw new Error(`chart:summary refused: ${result.error.code}`);
  return result.value as ChartSummaryData;
}

/** The ward's patients whose chart opens without break-the-glass. */
const openCharts = (rows: readonly CensusRowData[]): string[] =>
  rows.map((row) => row.patientId).filter((patientId) => patientId !== t.restrictedPatientId);

describe("a clerk's census and chart summaries", () => {
  it('show a nurse the alerts, allergies, vital signs and NEWS2 of the ward', async () => {
    await t.signIn('nina');
    const rows = await census();
    expect(rows.length).toBe(6);
    expect(rows.some((row) => (row.alerts ?? []).length > 0)).toBe(true);
    expect(rows.some((row) => row.hasAllergies === true)).toBe(true);
    expect(rows.some((row) => typeof row.lastVitalsAt === 'string')).toBe(true);
    expect(rows.some((row) => row.news2 !== undefined && row.news2 !== null)).toBe(true);
    for (const row of rows)
      expect(Object.keys(row)).toEqual(expect.arrayContaining(['alerts', 'hasAllergies', 'news2', 'dosesRecordedTwice']));
    const summaries = await Promise.all(openCharts(rows).map(summary));
    expect(summaries.some((chart) => (chart.allergies ?? []).length > 0)).toBe(true);
    expect(summaries.every((chart) => (chart.vitals ?? []).length > 0 && (chart.alerts ?? []).length > 0)).toBe(true);
  });

  it('give a clerk the same patients with no clinical field, and none of the words a nurse is shown', async () => {
    await t.signIn('nina');
    const nurseRows = await census();
    const nurseSummaries = await Promise.all(openCharts(nurseRows).map(summary));
    // Words only a clinical field holds: the alerts' and the allergies' texts, the medications and problems.
    const clinicalWords = [
      ...nurseRows.flatMap((row) => (row.alerts ?? []).map((alert) => alert.text)),
      ...nurseSummaries.flatMap((chart) => [
        ...(chart.allergies ?? []).map((allergy) => allergy.substance),
        ...(chart.medications ?? []).map((medication) => medication.medication),
        ...(chart.problems ?? []).map((problem) => problem.text),
        ...(typeof chart.encounter?.reason === 'string' ? [chart.encounter.reason] : []),
      ]),
    ];
    expect(clinicalWords.length).toBeGreaterThan(0);
    await t.transport.send('session:sign-out', {});

    await t.signIn('carla');
    const rows = await census();
    expect(rows.map((row) => row.patientId).sort()).toEqual(nurseRows.map((row) => row.patientId).sort());
    for (const row of rows) expect(Object.keys(row).sort(), row.patientId).toEqual(CENSUS_DEMOGRAPHICS);
    const clerkCensus = JSON.stringify(rows);
    for (const word of clinicalWords) expect(clerkCensus, 'the census').not.toContain(word);

    for (const patientId of openCharts(rows)) {
      const chart = await summary(patientId);
      expect(Object.keys(chart).sort(), patientId).toEqual(SUMMARY_DEMOGRAPHICS);
      expect(chart.patient.id).toBe(patientId);
      // The admission, without its reason (a diagnosis): problems.
      expect(Object.keys(chart.encounter ?? {}).sort(), patientId).toEqual(['admittedAt', 'bed', 'id', 'status', 'ward']);
      const text = JSON.stringify(chart);
      for (const word of clinicalWords) expect(text, patientId).not.toContain(word);
    }
  });
});
