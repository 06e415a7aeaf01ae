// The downtime MAR as nurses work from it, over a generated ward printed through the contract (real
// host, vault and audit; the PDF read back with pdf.js): for every patient, every scheduled dose due
// in the next 12 hours by their orders is listed, with the boxes to sign it on paper.
import { formatDateTime } from '../../shared/display/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { PRINTED_TIME_PATTERN, readPdf, type ReadPdf } from '../../electron/print/test-helpers.js';
import { FAKE_CLOCK_START } from '../../electron/session/index.js';
import type { MedicationAdministration, MedicationRequest } from '../../shared/fhir/index.js';
import { scheduledTimeOf } from '../../shared/fhir/index.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = FAKE_CLOCK_START;

let t: TestHost | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** A time as every screen and print shows it (shared/display), in this machine's zone (the host's). */
function minute(ms: number): string {
  return formatDateTime(ms);
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * The generator schedules on the UTC clock: each order's times of day in [NOW, NOW + 12 h), on its
 * weekdays when it names some (weekly methotrexate), less doses already recorded.
 */
function dueByOrders(resources: readonly { resourceType: string }[]): Array<{ medication: string; at: number }> {
  const orders = resources.filter(
    (r): r is MedicationRequest => r.resourceType === 'MedicationRequest' && (r as MedicationRequest).status === 'active',
  );
  const recorded = new Set(
    resources
      .filter((r): r is MedicationAdministration => r.resourceType === 'MedicationAdministration')
      .map((a) => `${a.request?.reference ?? ''}|${Date.parse(scheduledTimeOf(a) ?? '')}`),
  );
  const due: Array<{ medication: string; at: number }> = [];
  for (const order of orders) {
    const dosage = order.dosageInstruction?.[0];
    if (dosage?.asNeededBoolean === true || dosage?.asNeededCodeableConcept !== undefined) continue;
    for (const time of dosage?.timing?.repeat?.timeOfDay ?? []) {
      const [h, m] = time.split(':').map(Number) as [number, number];
      for (let day = NOW - (NOW % DAY) - DAY; day <= NOW + DAY; day += DAY) {
        const at = day + h * HOUR + m * 60_000;
        const weekdays = dosage?.timing?.repeat?.dayOfWeek ?? [];
        if (weekdays.length > 0 && !weekdays.includes(WEEKDAYS[new Date(day).getUTCDay()] as (typeof weekdays)[number])) continue;
        if (at >= NOW && at < NOW + 12 * HOUR && !recorded.has(`MedicationRequest/${order.id}|${at}`))
          due.push({ medication: order.medicationCodeableConcept?.text ?? '', at });
      }
    }
  }
  return due.sort((a, b) => a.at - b.at);
}

/** The lines of one patient's section, from the page their name heads to the next patient's. */
function sectionOf(pdf: ReadPdf, name: string, next: string | null): string[] {
  const start = pdf.pages.findIndex((lines) => lines.includes(name));
  const end = next === null ? pdf.pages.length : pdf.pages.findIndex((lines) => lines.includes(next));
  return pdf.pages.slice(start, end).flat();
}

describe('the downtime MAR of a generated ward', () => {
  it('lists every scheduled dose due in the next 12 hours for every patient, as the orders say, with columns to sign', async () => {
    t = await startTestHost('mar-due-doses', { patients: 8, wardNow: new Date(NOW).toISOString() });
    await t.signIn('nina');
    await t.transport.send('session:break-glass', {
      patientId: t.restrictedPatientId,
      reasonCode: 'ETREAT',
      reasonText: 'Network down, MAR needed for the night shift',
    });
    const census = await t.transport.send('chart:census', {});
    if (!census.ok) throw new Error(census.error.code);
    const onWard = census.value as { patientId: string; name: string }[];
    expect(onWard).toHaveLength(8);
    const result = await t.transport.send('print:mar', {
      scope: { ward: true },
      from: new Date(NOW - DAY).toISOString(),
      to: new Date(NOW + DAY).toISOString(),
    });
    if (!result.ok) throw new Error(`print refused: ${result.error.code}`);
    const pdf = await readPdf(Buffer.from((result.value as { base64: string }).base64, 'base64'));
    expect(pdf.pages.map((lines) => lines.join(' ')).join(' ')).not.toContain('MAR NOT PRINTED');

    let dosesChecked = 0;
    onWard.forEach((entry, i) => {
      const patient = t!.ward.patients.find((p) => p.patient.id === entry.patientId)!;
      const expected = dueByOrders(patient.resources);
      const lines = sectionOf(pdf, entry.name, onWard[i + 1]?.name ?? null);
      const heading = `Doses due in the next 12 hours, from ${minute(NOW)}`;
      const start = lines.indexOf(heading);
      expect(start, entry.name).toBeGreaterThanOrEqual(0);
      const end = lines.findIndex((l, n) => n > start && (l === 'As-needed (PRN) orders' || l === 'Active medications'));
      const due = lines.slice(start, end);
      const times = due.filter((l) => new RegExp(`^${PRINTED_TIME_PATTERN}$`).test(l));
      expect(times, entry.name).toEqual(expected.map((d) => minute(d.at)));
      const dueText = due.join(' ');
      for (const dose of expected) expect(dueText, entry.name).toContain(dose.medication);
      if (expected.length > 0)
        for (const title of ['Given by (sign)', 'Time given', 'Dose given / held, reason']) expect(due).toContain(title);
      else expect(due).toContain('No scheduled dose is due in the next 12 hours.');
      dosesChecked += expected.length;
    });
    // The ward has doses due tonight (the 18:00 and 20:00 rounds among them).
    expect(dosesChecked).toBeGreaterThan(8);
  });
});
