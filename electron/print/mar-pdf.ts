// The downtime MAR as a PDF, as nurses work from it: for each patient, on a new page, who they are
// (name, MRN, birth date, bed), allergies, code status and alerts (repeated under every page's
// header), the scheduled doses due in the next hours (policy) with blank boxes to sign on paper, the
// as-needed orders with their last dose, the active medications, and the doses of the last 24 hours
// (given, held, late, missed). A scheduled dose recorded more than once (a dose recorded in downtime
// and another at the hub meet only after the sync; shared/medication-safety's slot rule, the MAR
// tab's too) is flagged in a boxed notice under the allergies and code status. Black text and box borders only, so a black-and-white copy loses nothing. Every page carries the print mark and "Page n of N". The document's
// metadata and file name hold no patient data.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ALLERGIES_NOT_RECORDED_ADVICE, ALLERGY_WORDING, allergyState, allergyText } from '../../shared/display/index.js';
import { DOUBLE_DOSE_TITLE, doubleDoseAlert, slotsRecordedMoreThanOnce } from '../../shared/medication-safety/index.js';
import type { MarAdministration, MarRow, MedicationSummary } from '../vault/index.js';
import { PageWriter, type TableColumn, type TableRow } from './page-writer.js';
import type { MarPrintJob, PrintedChart, PrintedIdentity, PrintSection } from './print-job.js';
import { orderDoses } from './due-doses.js';
import { marFileName, printedTime, printMark } from './print-time.js';
import { winAnsiText } from './win-ansi.js';

export const PDF_TITLE = 'Wardline downtime MAR';
export const PDF_PRODUCER = 'Wardline';

export interface RenderedPdf {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly pages: number;
}

const MEDICATION_COLUMNS: readonly TableColumn[] = [
  { title: 'Medication', share: 0.34 },
  { title: 'Dose, route, frequency', share: 0.4 },
  { title: 'Status', share: 0.1 },
  { title: 'Ordered', share: 0.16 },
];

const MAR_COLUMNS: readonly TableColumn[] = [
  { title: 'Medication', share: 0.22, carry: true },
  { title: 'Scheduled', share: 0.11 },
  { title: 'State', share: 0.08 },
  { title: 'Given / held at', share: 0.11 },
  { title: 'Dose', share: 0.09 },
  { title: 'Performer', share: 0.16 },
  { title: 'Reason / note', share: 0.23 },
];

const STATE_LABELS: Readonly<Record<MarAdministration['state'], string>> = {
  given: 'GIVEN',
  late: 'LATE',
  held: 'HELD',
  'in-progress': 'IN PROGRESS',
  'on-hold': 'ON HOLD',
  stopped: 'STOPPED',
  'entered-in-error': 'ERROR',
  unknown: 'UNKNOWN',
};

/** "bed 7-04", or the bed's own name when it already says so ("Bed 4"). */
function bedText(bed: string | null): string {
  if (bed === null) return 'bed not recorded';
  return /^bed\b/i.test(bed) ? bed : `bed ${bed}`;
}

/** "Family, Given — MRN 123 — born 1950-02-03 — bed 7-04": the line that names the patient on every page. */
export function identityLine(identity: PrintedIdentity): string {
  return [
    identity.name,
    `MRN ${identity.mrn ?? 'not recorded'}`,
    `born ${identity.birthDate ?? 'not recorded'}`,
    bedText(identity.bed),
  ].join(' — ');
}

function writeIdentity(writer: PageWriter, identity: PrintedIdentity): void {
  writer.paragraph(identity.name, { size: 15, bold: true });
  writer.paragraph(
    `MRN ${identity.mrn ?? 'not recorded'} · birth date ${identity.birthDate ?? 'not recorded'} · sex ${identity.gender ?? 'not recorded'} · ${bedText(identity.bed)}`,
    { size: 10, spaceBefore: 2 },
  );
}

function writeAllergies(writer: PageWriter, chart: PrintedChart): void {
  const state = allergyState(chart.allergies.length, chart.noKnownAllergies);
  if (state === 'allergies') {
    writer.paragraph(`ALLERGIES: ${chart.allergies.map(allergyText).join(' • ')}`, { size: 10, bold: true, spaceBefore: 6 });
  } else if (state === 'none-known') {
    writer.paragraph(`ALLERGIES: ${ALLERGY_WORDING['none-known']}`, { size: 10, bold: true, spaceBefore: 6 });
  } else {
    writer.notice(`ALLERGIES: ${ALLERGY_WORDING['not-recorded'].toUpperCase()}. ${ALLERGIES_NOT_RECORDED_ADVICE}`);
  }
  writer.paragraph(`CODE STATUS: ${chart.codeStatus ?? 'not recorded'}`, { size: 10, bold: true, spaceBefore: 3 });
  if (chart.alerts.length > 0) writer.paragraph(`ALERTS: ${chart.alerts.join(' • ')}`, { size: 10, bold: true, spaceBefore: 3 });
}

function medicationRows(medications: readonly MedicationSummary[], timeZone: string | undefined): TableRow[] {
  return medications.map((m) => ({ cells: [m.medication, m.dosage ?? '', m.status, printedTime(m.authoredOn, timeZone)] }));
}

/** Doses due ahead, with blank boxes to sign when given during downtime. */
const DUE_COLUMNS: readonly TableColumn[] = [
  { title: 'Medication', share: 0.3 },
  { title: 'Due at', share: 0.13 },
  { title: 'Given by (sign)', share: 0.2, signBox: true },
  { title: 'Time given', share: 0.12, signBox: true },
  { title: 'Dose given / held, reason', share: 0.25, signBox: true },
];

const PRN_COLUMNS: readonly TableColumn[] = [
  { title: 'As-needed medication', share: 0.4 },
  { title: 'Last dose', share: 0.16 },
  { title: 'Given by (sign)', share: 0.17, signBox: true },
  { title: 'Time given', share: 0.12, signBox: true },
  { title: 'Dose, reason', share: 0.15, signBox: true },
];

const HOUR_MS = 3_600_000;
const LOOK_BACK_MS = 24 * HOUR_MS;

function orderName(row: MarRow): string {
  return row.medication.dosage === null ? row.medication.medication : `${row.medication.medication} — ${row.medication.dosage}`;
}

/** The doses due ahead in time order, soonest first: what a nurse gives next. */
function dueRows(chart: PrintedChart, job: MarPrintJob, nowMs: number): TableRow[] {
  return chart.mar
    .flatMap((row) =>
      orderDoses(row, nowMs, LOOK_BACK_MS, job.hoursAhead * HOUR_MS, job.timeZone).due.map((at) => ({ at, name: orderName(row) })),
    )
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map(({ at, name }) => ({ cells: [name, printedTime(at, job.timeZone), '', '', ''], minLines: 2 }));
}

function lastDoseOf(row: MarRow): string | null {
  const given = row.administrations.filter((a) => a.state === 'given' || a.state === 'late').map((a) => a.administeredAt ?? '');
  return given.sort().at(-1) ?? null;
}

function prnRows(chart: PrintedChart, job: MarPrintJob): TableRow[] {
  return chart.mar
    .filter((row) => row.medication.asNeeded)
    .map((row) => ({
      cells: [orderName(row), printedTime(lastDoseOf(row), job.timeZone, 'none in the last 24 h'), '', '', ''],
      minLines: 2,
    }));
}

/** The last 24 hours: what was given or held, and each scheduled dose with no record (missed). */
function lastDayRows(chart: PrintedChart, job: MarPrintJob, nowMs: number): TableRow[] {
  const fromMs = nowMs - LOOK_BACK_MS;
  return chart.mar.flatMap((row): TableRow[] => {
    const group = row.medication.requestId;
    const name = orderName(row);
    const recorded = row.administrations.filter((a) => {
      const anchor = Date.parse(a.scheduledAt ?? a.administeredAt ?? '');
      return anchor >= fromMs && anchor <= nowMs;
    });
    const missed = orderDoses(row, nowMs, LOOK_BACK_MS, 0, job.timeZone).missed.map((at) => ({
      anchor: Date.parse(at),
      cells: [name, printedTime(at, job.timeZone), 'MISSED', '', '', '', 'no record of this dose'],
    }));
    const rows = [
      ...recorded.map((a) => ({
        anchor: Date.parse(a.scheduledAt ?? a.administeredAt ?? ''),
        cells: [
          name,
          printedTime(a.scheduledAt, job.timeZone, 'not scheduled'),
          STATE_LABELS[a.state],
          printedTime(a.administeredAt, job.timeZone),
          a.dose ?? '',
          a.performer ?? '',
          a.reason ?? '',
        ],
      })),
      ...missed,
    ].sort((a, b) => a.anchor - b.anchor);
    return rows.map((r) => ({ group, cells: r.cells }));
  });
}

/** Each scheduled dose of the last 24 hours and the look-ahead recorded more than once (not counting doses entered in error), as notices. */
function doubleDoseNotices(chart: PrintedChart, job: MarPrintJob, nowMs: number): string[] {
  const fromMs = nowMs - LOOK_BACK_MS;
  const toMs = nowMs + job.hoursAhead * HOUR_MS;
  return chart.mar.flatMap((row) =>
    slotsRecordedMoreThanOnce({ prn: row.medication.asNeeded }, row.administrations)
      .filter((slot) => Date.parse(slot.scheduledAt) >= fromMs && Date.parse(slot.scheduledAt) <= toMs)
      .map(
        (slot) =>
          `${DOUBLE_DOSE_TITLE.toUpperCase()} — ${orderName(row)}: ${doubleDoseAlert(slot.doses.length, printedTime(slot.scheduledAt, job.timeZone))}`,
      ),
  );
}

/** Allergies, code status and alerts: the line under every page's header. */
function safetyLine(chart: PrintedChart): string {
  const state = allergyState(chart.allergies.length, chart.noKnownAllergies);
  const allergies =
    state === 'allergies'
      ? chart.allergies.map(allergyText).join(' • ')
      : state === 'none-known'
        ? ALLERGY_WORDING['none-known']
        : `${ALLERGY_WORDING['not-recorded'].toUpperCase()} — confirm before giving any medicine`;
  return [
    `ALLERGIES: ${allergies}`,
    `CODE STATUS: ${chart.codeStatus ?? 'not recorded'}`,
    ...(chart.alerts.length > 0 ? [`ALERTS: ${chart.alerts.join(' • ')}`] : []),
  ].join('   |   ');
}

function writeChart(writer: PageWriter, chart: PrintedChart, job: MarPrintJob): void {
  const nowMs = job.printedAt;
  writeIdentity(writer, chart);
  writeAllergies(writer, chart);
  for (const notice of doubleDoseNotices(chart, job, nowMs)) writer.notice(notice);
  writer.paragraph(`Doses due in the next ${job.hoursAhead} hours, from ${printedTime(new Date(nowMs).toISOString(), job.timeZone)}`, {
    size: 11,
    bold: true,
    spaceBefore: 10,
  });
  const due = dueRows(chart, job, nowMs);
  if (due.length === 0) writer.paragraph(`No scheduled dose is due in the next ${job.hoursAhead} hours.`, { size: 9 });
  else writer.table(DUE_COLUMNS, due);
  const prn = prnRows(chart, job);
  if (prn.length > 0) {
    writer.paragraph('As-needed (PRN) orders', { size: 11, bold: true, spaceBefore: 10 });
    writer.table(PRN_COLUMNS, prn);
  }
  writer.paragraph('Active medications', { size: 11, bold: true, spaceBefore: 10 });
  if (chart.medications.length === 0) writer.paragraph('No active medication orders.', { size: 9 });
  else writer.table(MEDICATION_COLUMNS, medicationRows(chart.medications, job.timeZone));
  writer.paragraph('Doses of the last 24 hours: given, held or missed', { size: 11, bold: true, spaceBefore: 10 });
  const lastDay = lastDayRows(chart, job, nowMs);
  if (lastDay.length === 0) writer.paragraph('No dose was scheduled, given or held in the last 24 hours.', { size: 9 });
  else writer.table(MAR_COLUMNS, lastDay);
}

function writeSection(writer: PageWriter, section: PrintSection, job: MarPrintJob): void {
  const identity = section.kind === 'chart' ? section.chart : section.identity;
  writer.startSection(identityLine(identity), section.kind === 'chart' ? safetyLine(section.chart) : '');
  if (section.kind === 'chart') {
    writeChart(writer, section.chart, job);
  } else {
    writeIdentity(writer, identity);
    writer.notice(`MAR NOT PRINTED: ${section.reason}`);
  }
}

/** Renders `job` as a PDF: A4 landscape, Helvetica, each patient from a new page. */
export async function renderMarPdf(job: MarPrintJob): Promise<RenderedPdf> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const writer = new PageWriter(doc, { regular, bold }, winAnsiText(regular.getCharacterSet()));
  if (job.sections.length === 0) {
    writer.startSection('No patients');
    writer.paragraph('No patient is on the ward census of this workstation, so there is no MAR to print.', { size: 11 });
  }
  for (const section of job.sections) writeSection(writer, section, job);
  const pages = writer.finish(printMark(job.printedBy, job.printedAt, job.dataAsOf, job.timeZone));

  const printedAt = new Date(job.printedAt);
  doc.setTitle(PDF_TITLE);
  doc.setProducer(PDF_PRODUCER);
  doc.setCreator(PDF_PRODUCER);
  doc.setSubject('Downtime medication administration record');
  doc.setLanguage('en');
  doc.setCreationDate(printedAt);
  doc.setModificationDate(printedAt);
  const bytes = await doc.save();
  return { fileName: marFileName(job.printedAt), bytes, pages };
}
