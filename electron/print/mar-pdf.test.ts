import { describe, expect, it } from 'vitest';
import type { MarAdministration, MarRow, MedicationSummary } from '../vault/index.js';
import { PDF_TITLE, renderMarPdf } from './mar-pdf.js';
import { CONFIDENTIAL } from './page-writer.js';
import type { MarPrintJob, PrintedChart } from './print-job.js';
import { readPdf } from './test-helpers.js';

const PRINTED_AT = Date.UTC(2025, 0, 6, 8, 5);
const FROM = '2025-01-04T00:00:00Z';
const TO = '2025-01-07T00:00:00Z';

function medication(requestId: string, name: string, dosage: string, schedule: Partial<MedicationSummary> = {}): MedicationSummary {
  return {
    requestId,
    medication: name,
    code: null,
    dosage,
    asNeeded: false,
    timesOfDay: [],
    doseDays: { cycleDays: 1, offsets: [0], weekAligned: false, anchor: null },
    orderedDose: null,
    status: 'active',
    authoredOn: '2025-01-03T10:00:00Z',
    ...schedule,
  };
}

function administrations(count: number, performer: string): MarAdministration[] {
  return Array.from({ length: count }, (_, i) => {
    // Within the last 24 hours before the print, 15 minutes apart.
    const scheduled = new Date(PRINTED_AT - 23 * 3600_000 + i * 15 * 60_000).toISOString();
    const held = i % 5 === 4;
    return {
      id: `ma-${i}`,
      state: held ? 'held' : i % 7 === 3 ? 'late' : 'given',
      status: held ? 'not-done' : 'completed',
      scheduledAt: scheduled,
      administeredAt: new Date(Date.parse(scheduled) + (i % 7 === 3 ? 90 : 10) * 60_000).toISOString(),
      dose: '1 g',
      reason: held ? 'Patient nil by mouth for theatre' : null,
      performer,
    };
  });
}

function chart(name: string, mrn: string, bed: string, rows: MarRow[], extra: Partial<PrintedChart> = {}): PrintedChart {
  return {
    name,
    mrn,
    bed,
    birthDate: '1948-03-02',
    gender: 'female',
    allergies: [{ id: 'a-1', substance: 'Penicillin', criticality: 'high', reactions: ['Anaphylaxis'], verification: 'confirmed' }],
    noKnownAllergies: false,
    codeStatus: 'Full code: for resuscitation',
    alerts: [],
    medications: rows.map((r) => r.medication),
    mar: rows,
    ...extra,
  };
}

function job(sections: MarPrintJob['sections'], dataAsOf: string | null = '2025-01-06T07:42:10Z'): MarPrintJob {
  return { printedBy: 'nina', printedAt: PRINTED_AT, dataAsOf, from: FROM, to: TO, hoursAhead: 12, sections, timeZone: 'UTC' };
}

const paracetamol = medication('mr-1', 'Paracetamol 500 mg tablet', '1 g orally every 4 hours');
const enoxaparin = medication('mr-2', 'Enoxaparin 40 mg/0.4 mL injection', '40 mg subcutaneously once daily at 18:00', {
  timesOfDay: ['18:00'],
});

describe('the downtime MAR as a PDF', () => {
  it('marks every page of a long MAR with who printed it, when, how old the data is, and the page count', async () => {
    const rows: MarRow[] = [
      { medication: paracetamol, administrations: administrations(60, 'Nurse Ana Souza') },
      { medication: enoxaparin, administrations: administrations(20, 'Nurse Ana Souza') },
    ];
    const pdf = await renderMarPdf(job([{ kind: 'chart', chart: chart('Okafor, Grace', '100234', '7-03', rows) }]));
    const read = await readPdf(pdf.bytes);
    expect(pdf.pages).toBeGreaterThan(2);
    expect(read.pages).toHaveLength(pdf.pages);
    read.pages.forEach((lines, index) => {
      expect(lines).toContain('Printed by nina at 06 Jan 2025, 08:05 — data as of 06 Jan 2025, 07:42');
      expect(lines).toContain(`Page ${index + 1} of ${pdf.pages}`);
      expect(lines).toContain(CONFIDENTIAL);
      // A loose page still names the patient.
      expect(lines.some((l) => l.startsWith('Okafor, Grace — MRN 100234 — born 1948-03-02 — bed 7-03'))).toBe(true);
    });
    const text = read.pages.flat();
    expect(text).toContain('Paracetamol 500 mg tablet');
    expect(text).toContain('1 g orally every 4 hours');
    expect(text.filter((l) => l === 'HELD').length).toBe(16);
    expect(text).toContain('LATE');
    expect(text).toContain('ALLERGIES: Penicillin (Anaphylaxis) — high risk');
    // Every administration row is there, across the pages (60 + 20 scheduled times, each printed once).
    expect(text.filter((l) => /^0\d Jan 2025, \d\d:\d\d$/.test(l)).length).toBeGreaterThanOrEqual(80);
  });

  it('says "data as of: not synced" on a workstation that never synced', async () => {
    const pdf = await renderMarPdf(job([{ kind: 'chart', chart: chart('Okafor, Grace', '100234', '7-03', []) }], null));
    const read = await readPdf(pdf.bytes);
    expect(read.pages[0]).toContain('Printed by nina at 06 Jan 2025, 08:05 — data as of: not synced');
    expect(read.pages[0]).toContain('No active medication orders.');
  });

  it('prints names with accents and letters the PDF font lacks, readably, instead of failing', async () => {
    const rows: MarRow[] = [
      {
        medication: medication('mr-9', 'Ibuprofène 400 mg — “forte”', '≥ 6 h apart, max 1.2 g/24 h'),
        administrations: administrations(2, 'Łucja Wąsowska'),
      },
    ];
    const sections: MarPrintJob['sections'] = [
      { kind: 'chart', chart: chart('Núñez, José', '1', '7-01', rows) },
      {
        kind: 'chart',
        chart: chart('Čović, Željko', '2', '7-02', rows, {
          allergies: [{ id: 'a', substance: 'Sulfonamide 💊', criticality: null, reactions: ['Ausschlag – Gesicht'], verification: null }],
        }),
      },
      { kind: 'chart', chart: chart('Nguyễn, Thị Ánh 阮', '3', '7-03', rows) },
    ];
    const pdf = await renderMarPdf({ ...job(sections), printedBy: 'søren.ıldız' });
    const text = (await readPdf(pdf.bytes)).pages.flat();
    expect(text).toContain('Núñez, José');
    expect(text).toContain('Covic, Željko');
    expect(text).toContain('Nguyen, Thi Ánh ?');
    expect(text).toContain('Ibuprofène 400 mg — “forte”');
    expect(text).toContain('>= 6 h apart, max 1.2 g/24 h');
    expect(text).toContain('Lucja Wasowska');
    expect(text).toContain('ALLERGIES: Sulfonamide ? (Ausschlag – Gesicht)');
    expect(text.some((l) => l.startsWith('Printed by søren.ildiz at'))).toBe(true);
  });

  it('starts each patient on a new page, and says so loudly when no allergies are recorded', async () => {
    const rows: MarRow[] = [{ medication: paracetamol, administrations: administrations(3, 'Nurse A') }];
    const pdf = await renderMarPdf(
      job([
        { kind: 'chart', chart: chart('Adams, Ruth', '11', '7-01', rows, { allergies: [] }) },
        { kind: 'chart', chart: chart('Baker, Tom', '12', '7-02', rows, { allergies: [], noKnownAllergies: true }) },
        {
          kind: 'withheld',
          identity: { name: 'Clarke, Ian', mrn: '13', birthDate: null, gender: null, bed: '7-03' },
          reason: 'the chart is restricted. Print it on its own after emergency access.',
        },
      ]),
    );
    const read = await readPdf(pdf.bytes);
    expect(read.pages).toHaveLength(3);
    expect(read.pages[0]).toContain('Adams, Ruth');
    expect(read.pages[0]!.join(' ')).toContain('ALLERGIES: ALLERGIES NOT RECORDED');
    expect(read.pages[1]).toContain('Baker, Tom');
    expect(read.pages[1]).toContain('ALLERGIES: No known allergies');
    expect(read.pages[2]).toContain('Clarke, Ian');
    expect(read.pages[2]!.join(' ')).toContain('MAR NOT PRINTED: the chart is restricted.');
    expect(read.pages[2]!.join(' ')).not.toContain('Paracetamol');
  });

  it('keeps patient names out of the file name and the document metadata', async () => {
    const pdf = await renderMarPdf(job([{ kind: 'chart', chart: chart('Okafor, Grace', '100234', '7-03', []) }]));
    expect(pdf.fileName).toBe('wardline-mar-20250106T080500Z.pdf');
    const read = await readPdf(pdf.bytes);
    expect(read.info).toMatchObject({ Title: PDF_TITLE, Producer: 'Wardline', Creator: 'Wardline' });
    const metadata = JSON.stringify(read.info) + (read.xmp ?? '');
    for (const fragment of ['Okafor', 'Grace', '100234']) expect(metadata).not.toContain(fragment);
    expect(read.info.Author).toBeUndefined();
  });

  it('lists the doses due in the next 12 hours with boxes to sign, PRN orders with their last dose, and missed doses of the last 24 hours', async () => {
    const warfarin = medication('mr-3', 'Warfarin 5 mg tablet', '5 mg orally once daily at 18:00', { timesOfDay: ['18:00'] });
    const metformin = medication('mr-4', 'Metformin 500 mg tablet', '500 mg orally twice daily at 08:00, 20:00', {
      timesOfDay: ['08:00', '20:00'],
    });
    const morphine = medication('mr-5', 'Morphine 10 mg/5 mL oral solution', '5 mg orally every 4 hours as needed for pain', {
      asNeeded: true,
    });
    const givenAt = (id: string, scheduledAt: string | null, administeredAt: string): MarAdministration => ({
      id,
      state: 'given',
      status: 'completed',
      scheduledAt,
      administeredAt,
      dose: '5 mg',
      reason: null,
      performer: 'Nurse A',
    });
    const rows: MarRow[] = [
      // Printed 2025-01-06 08:05 UTC: yesterday's 18:00 warfarin was given, today's is due.
      { medication: warfarin, administrations: [givenAt('w-1', '2025-01-05T18:00:00Z', '2025-01-05T18:05:00Z')] },
      // Metformin: yesterday's 20:00 dose has no record (missed); 08:00 today was given; 20:00 today is due.
      { medication: metformin, administrations: [givenAt('m-1', '2025-01-06T08:00:00Z', '2025-01-06T08:02:00Z')] },
      { medication: morphine, administrations: [givenAt('p-1', null, '2025-01-06T03:40:00Z')] },
    ];
    const pdf = await renderMarPdf(job([{ kind: 'chart', chart: chart('Okafor, Grace', '100234', '7-03', rows) }]));
    const read = await readPdf(pdf.bytes);
    const text = read.pages.flat();
    expect(text).toContain('Doses due in the next 12 hours, from 06 Jan 2025, 08:05');
    for (const title of ['Given by (sign)', 'Time given', 'Dose given / held, reason']) expect(text).toContain(title);
    const due = text.slice(text.indexOf('Doses due in the next 12 hours, from 06 Jan 2025, 08:05'), text.indexOf('As-needed (PRN) orders'));
    expect(due.filter((l) => /^06 Jan 2025, \d\d:\d\d$/.test(l))).toEqual(['06 Jan 2025, 18:00', '06 Jan 2025, 20:00']);
    expect(due.join(' ')).toContain('Warfarin 5 mg tablet');
    expect(due.join(' ')).not.toContain('Morphine');
    const prn = text.slice(text.indexOf('As-needed (PRN) orders'), text.indexOf('Active medications'));
    expect(prn.join(' ')).toContain('Morphine 10 mg/5 mL oral solution');
    expect(prn).toContain('06 Jan 2025, 03:40');
    const lastDay = text.slice(text.indexOf('Doses of the last 24 hours: given, held or missed'));
    expect(lastDay).toContain('MISSED');
    expect(lastDay).toContain('05 Jan 2025, 20:00');
    // Allergies and code status under the header of every page.
    for (const lines of read.pages) expect(lines.join(' ')).toContain('CODE STATUS: Full code: for resuscitation');
  });

  it('flags a scheduled dose recorded twice (downtime and hub) until one is marked entered in error', async () => {
    const enoxaparin = medication('mr-9', 'Enoxaparin 40 mg injection', '40 mg subcutaneously once daily at 18:00', {
      timesOfDay: ['18:00'],
    });
    const dose = (id: string, state: MarAdministration['state'], performer: string): MarAdministration => ({
      id,
      state,
      status: state === 'entered-in-error' ? 'entered-in-error' : 'completed',
      scheduledAt: '2025-01-05T18:00:00Z',
      administeredAt: '2025-01-05T19:10:00Z',
      dose: '40 mg',
      reason: 'Downtime',
      performer,
    });
    const printed = async (administrations: MarAdministration[]): Promise<string> => {
      const rows: MarRow[] = [{ medication: enoxaparin, administrations }];
      const pdf = await renderMarPdf(job([{ kind: 'chart', chart: chart('Okafor, Grace', '100234', '7-03', rows) }]));
      return (await readPdf(pdf.bytes)).pages.flat().join(' ');
    };
    const twice = await printed([dose('e-1', 'late', 'Nurse A'), dose('e-2', 'late', 'Nurse B')]);
    expect(twice).toContain('DOSE RECORDED TWICE');
    expect(twice).toContain('2 doses recorded for this 05 Jan 2025, 18:00 dose');
    expect(twice.indexOf('DOSE RECORDED TWICE')).toBeLessThan(twice.indexOf('Doses due in the next'));
    const corrected = await printed([dose('e-1', 'late', 'Nurse A'), dose('e-2', 'entered-in-error', 'Nurse B')]);
    expect(corrected).not.toContain('DOSE RECORDED TWICE');
  });

  it('lists a weekly dose only on its day, an every-other-day dose only on its days, a monthly one only on its date', async () => {
    // Printed Monday 2025-01-06 08:05 UTC, 48 hours ahead: Monday 10:00 and Tuesday 10:00 are in range.
    const daily = medication('mr-6', 'Amlodipine 5 mg tablet', '5 mg orally once daily at 10:00', { timesOfDay: ['10:00'] });
    const weekly = medication('mr-7', 'Methotrexate 2.5 mg tablet', '15 mg orally once weekly on Monday at 10:00', {
      timesOfDay: ['10:00'],
      doseDays: { cycleDays: 7, offsets: [0], weekAligned: true, anchor: '2025-01-03T10:00:00Z' },
    });
    const tuesdays = medication('mr-8', 'Methotrexate 10 mg tablet', '10 mg orally once weekly on Tuesday at 10:00', {
      timesOfDay: ['10:00'],
      doseDays: { cycleDays: 7, offsets: [1], weekAligned: true, anchor: '2025-01-03T10:00:00Z' },
    });
    // Every other day from Sunday 5 January: Tuesday the 7th, not Monday the 6th.
    const everyOtherDay = medication('mr-9', 'Furosemide 40 mg tablet', '40 mg orally every other day at 10:00', {
      timesOfDay: ['10:00'],
      doseDays: { cycleDays: 2, offsets: [0], weekAligned: false, anchor: '2025-01-05' },
    });
    // Monthly from 31 October: 30 November, 31 December, 31 January; monthly from 7 November: the 7th.
    const monthlyOn31st = medication('mr-10', 'Cyanocobalamin 1 mg/mL injection', '1 mg IM monthly at 10:00', {
      timesOfDay: ['10:00'],
      doseDays: { cycleDays: 31, offsets: [0], weekAligned: false, anchor: '2024-10-31', cycleMonths: 1 },
    });
    const monthlyOn7th = medication('mr-11', 'Denosumab 60 mg injection', '60 mg SC monthly at 10:00', {
      timesOfDay: ['10:00'],
      doseDays: { cycleDays: 31, offsets: [0], weekAligned: false, anchor: '2024-11-07', cycleMonths: 1 },
    });
    const rows: MarRow[] = [daily, weekly, tuesdays, everyOtherDay, monthlyOn31st, monthlyOn7th].map((m) => ({
      medication: m,
      administrations: [],
    }));
    const pdf = await renderMarPdf({ ...job([{ kind: 'chart', chart: chart('Okafor, Grace', '100234', '7-03', rows) }]), hoursAhead: 48 });
    const text = (await readPdf(pdf.bytes)).pages.flat();
    const heading = 'Doses due in the next 48 hours, from 06 Jan 2025, 08:05';
    const due = text.slice(text.indexOf(heading), text.indexOf('Active medications'));
    expect(due.length).toBeGreaterThan(1);
    // Each row: the drug and its order text (wrapped), then the time it is due.
    const drugs = [
      'Amlodipine 5 mg tablet',
      'Methotrexate 2.5 mg tablet',
      'Methotrexate 10 mg tablet',
      'Furosemide 40 mg tablet',
      'Cyanocobalamin 1 mg/mL injection',
      'Denosumab 60 mg injection',
    ];
    const listed: string[] = [];
    let drug = '';
    for (const line of due) {
      drug = drugs.find((name) => line.startsWith(`${name} — `)) ?? drug;
      if (/^\d\d \w{3} \d{4}, \d\d:\d\d$/.test(line)) listed.push(`${drug} @ ${line}`);
    }
    const dueTimes = (name: string): string[] => listed.filter((l) => l.startsWith(`${name} @ `)).map((l) => l.slice(name.length + 3));
    expect(dueTimes('Amlodipine 5 mg tablet')).toEqual(['06 Jan 2025, 10:00', '07 Jan 2025, 10:00']);
    expect(dueTimes('Methotrexate 2.5 mg tablet')).toEqual(['06 Jan 2025, 10:00']);
    expect(dueTimes('Methotrexate 10 mg tablet')).toEqual(['07 Jan 2025, 10:00']);
    expect(dueTimes('Furosemide 40 mg tablet')).toEqual(['07 Jan 2025, 10:00']);
    expect(dueTimes('Cyanocobalamin 1 mg/mL injection')).toEqual([]);
    expect(dueTimes('Denosumab 60 mg injection')).toEqual(['07 Jan 2025, 10:00']);
  });
});
