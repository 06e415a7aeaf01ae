// The downtime MAR as a PDF: for each patient, on a new page, who they are (name, MRN, birth date,
// bed, allergies, alerts), their active medications, and the administrations of the window (given,
// held, late, when, by whom). Every page carries the print mark and "Page n of N". The document's
// metadata and file name hold no patient data.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { AllergySummary, MarAdministration, MarRow, MedicationSummary } from '../vault/index.js';
import { PageWriter, type TableColumn, type TableRow } from './page-writer.js';
import type { MarPrintJob, PrintedChart, PrintedIdentity, PrintSection } from './print-job.js';
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

function allergyText(allergy: AllergySummary): string {
  const details = [
    allergy.criticality === null ? null : `criticality ${allergy.criticality}`,
    allergy.reactions.length === 0 ? null : allergy.reactions.join(', '),
  ].filter((d): d is string => d !== null);
  return details.length === 0 ? allergy.substance : `${allergy.substance} (${details.join('; ')})`;
}

function writeIdentity(writer: PageWriter, identity: PrintedIdentity): void {
  writer.paragraph(identity.name, { size: 15, bold: true });
  writer.paragraph(
    `MRN ${identity.mrn ?? 'not recorded'} · birth date ${identity.birthDate ?? 'not recorded'} · sex ${identity.gender ?? 'not recorded'} · ${bedText(identity.bed)}`,
    { size: 10, spaceBefore: 2 },
  );
}

function writeAllergies(writer: PageWriter, chart: PrintedChart): void {
  if (chart.allergies.length > 0) {
    writer.paragraph(`ALLERGIES: ${chart.allergies.map(allergyText).join(' • ')}`, { size: 10, bold: true, spaceBefore: 6 });
  } else if (chart.noKnownAllergies) {
    writer.paragraph('ALLERGIES: no known allergies (documented)', { size: 10, bold: true, spaceBefore: 6 });
  } else {
    writer.notice(
      'ALLERGIES: NONE RECORDED. This is not "no known allergies": confirm allergies with the patient or the notes before giving any medicine.',
    );
  }
  if (chart.alerts.length > 0) writer.paragraph(`ALERTS: ${chart.alerts.join(' • ')}`, { size: 10, bold: true, spaceBefore: 3 });
}

function medicationRows(medications: readonly MedicationSummary[], timeZone: string | undefined): TableRow[] {
  return medications.map((m) => ({ cells: [m.medication, m.dosage ?? '', m.status, printedTime(m.authoredOn, timeZone)] }));
}

function marRows(rows: readonly MarRow[], timeZone: string | undefined): TableRow[] {
  return rows.flatMap((row): TableRow[] => {
    const group = row.medication.requestId;
    const name = row.medication.dosage === null ? row.medication.medication : `${row.medication.medication} — ${row.medication.dosage}`;
    if (row.administrations.length === 0)
      return [{ group, cells: [name, '', 'NONE', '', '', '', 'nothing scheduled or recorded in this window'] }];
    return row.administrations.map((a) => ({
      group,
      cells: [
        name,
        printedTime(a.scheduledAt, timeZone, 'not scheduled'),
        STATE_LABELS[a.state],
        printedTime(a.administeredAt, timeZone),
        a.dose ?? '',
        a.performer ?? '',
        a.reason ?? '',
      ],
    }));
  });
}

function writeChart(writer: PageWriter, chart: PrintedChart, job: MarPrintJob): void {
  writeIdentity(writer, chart);
  writeAllergies(writer, chart);
  writer.paragraph('Active medications', { size: 11, bold: true, spaceBefore: 10 });
  if (chart.medications.length === 0) writer.paragraph('No active medication orders.', { size: 9 });
  else writer.table(MEDICATION_COLUMNS, medicationRows(chart.medications, job.timeZone));
  writer.paragraph(`Administration record, ${printedTime(job.from, job.timeZone)} to ${printedTime(job.to, job.timeZone)}`, {
    size: 11,
    bold: true,
    spaceBefore: 10,
  });
  if (chart.mar.length === 0) writer.paragraph('No active medication orders, so no administrations to show.', { size: 9 });
  else writer.table(MAR_COLUMNS, marRows(chart.mar, job.timeZone));
}

function writeSection(writer: PageWriter, section: PrintSection, job: MarPrintJob): void {
  const identity = section.kind === 'chart' ? section.chart : section.identity;
  writer.startSection(identityLine(identity));
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
