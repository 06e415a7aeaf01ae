// The print channel: the downtime MAR and medication list of one patient or of the whole ward, as a
// PDF. The session guard decides first (for one patient with the patient in hand; for the ward, the
// census and each chart on it), then the machine policy (printing may be forbidden: the refusal is
// audited), then the data is read through the audited chart reads, and one print entry per patient
// is committed to the audit trail before the document leaves the host (through its PrintDelivery:
// the OS print dialog, the printouts folder where policy allows, or back to the page in evaluation mode).
import {
  printEntry,
  printRefusedEntry,
  type AuditedChartReads,
  type AuditDetail,
  type AuditLog,
  type NewAuditEntry,
} from '../audit/index.js';
import {
  checkPrintWindow,
  PrintError,
  renderMarPdf,
  type PrintDelivery,
  type PrintedChart,
  type PrintedIdentity,
  type PrintSection,
} from '../print/index.js';
import { CODE_STATUS } from '../../shared/fhir/index.js';
import { guard, isSessionError, type Action, type GuardedPatient, type GuardedSessions, type UserContext } from '../session/index.js';
import type { CensusEntry } from '../vault/index.js';
import type { PatientLookup } from './chart-handlers.js';
import { HostError } from './host-error.js';
import type { IpcHandler } from './ipc-router.js';
import { guardAll } from './patient-guard.js';

export interface PrintHandlers {
  readonly 'print:mar': IpcHandler<'print:mar'>;
}

export interface PrintHandlerOptions {
  readonly sessions: GuardedSessions;
  readonly chart: AuditedChartReads;
  readonly patients: PatientLookup;
  readonly audit: Pick<AuditLog, 'record' | 'recordAll'>;
  /** The machine policy's printing.allowed. */
  readonly printingAllowed: boolean;
  /** When the cached ward data was last brought up to date (ISO 8601), or null: never synced. */
  readonly dataAsOf: () => string | null;
  /** Epoch ms (the host's clock). */
  readonly now: () => number;
  /** IANA zone for the printed times; the host's own zone when absent. */
  readonly timeZone?: string;
  /** The MAR lists the doses due this many hours ahead (policy printing.marHoursAhead, default 12). */
  readonly marHoursAhead: number;
  /** How the document leaves the host: the print dialog, the printouts folder, or back to the page. */
  readonly delivery: PrintDelivery;
}

const DOCUMENT = 'mar';
/** Printing the MAR of a patient shows their medications and allergies: the guard checks all three. */
const PRINT_ACTIONS: readonly Action[] = ['print', 'category:read:medication', 'category:read:allergies'];
const MAX_RESOURCES_PER_ENTRY = 200;

/** What one print holds: who prints, the document's sections, and whose chart each entry records. */
interface PrintPlan {
  readonly printer: UserContext;
  readonly sections: PrintSection[];
  /** One per patient in the document; chart is null when only their census line was printed. */
  readonly printed: Array<{ readonly user: UserContext; readonly patientId: string; readonly chart: PrintedChart | null }>;
}

const PRINTING_DISABLED_MESSAGE =
  'Printing is turned off on this workstation by the machine policy. Use another workstation that may print, or ask IT to allow printing here.';
const POLICY_REASON = 'printing is not allowed by the machine policy';

function identityOf(entry: CensusEntry): PrintedIdentity {
  return { name: entry.name, mrn: entry.mrn, birthDate: entry.birthDate, gender: entry.gender, bed: entry.bed };
}

function withheldReason(patient: GuardedPatient | null): string {
  if (patient === null) return 'this chart is not in the chart cache of this workstation.';
  if (patient.restricted)
    return 'this chart is restricted. Open it with emergency access (break-the-glass), then print this patient on their own.';
  return 'your access does not cover this chart on this workstation.';
}

export function printHandlers(options: PrintHandlerOptions): PrintHandlers {
  const { sessions, chart, patients, audit } = options;
  const guardPatient = (patient: GuardedPatient | null): UserContext =>
    guardAll((action) => guard(sessions, patient === null ? { action } : { action, patient }), PRINT_ACTIONS);

  const refuseUnlessAllowed = (user: UserContext, patientId: string | null, scope: 'patient' | 'ward'): void => {
    if (options.printingAllowed) return;
    audit.record(printRefusedEntry(user, patientId, DOCUMENT, POLICY_REASON, { scope }));
    throw new HostError('PRINTING_DISABLED', PRINTING_DISABLED_MESSAGE);
  };

  /** Reads one chart through the audited reads; null when the cache no longer holds it. */
  const readChart = (user: UserContext, patientId: string, from: string, to: string, bed: string | null): PrintedChart | null => {
    const summary = chart.patientSummary(user, patientId);
    if (summary === null) return null;
    const mar = chart.medicationAdministrationRecord(user, patientId, from, to);
    return {
      name: summary.patient.name,
      mrn: summary.patient.mrn,
      birthDate: summary.patient.birthDate,
      gender: summary.patient.gender,
      bed: summary.encounter?.bed ?? bed,
      allergies: summary.allergies,
      noKnownAllergies: summary.noKnownAllergies,
      codeStatus: summary.alerts.find((a) => a.category === CODE_STATUS.category.code)?.text ?? null,
      alerts: summary.alerts.filter((a) => a.category !== CODE_STATUS.category.code).map((a) => a.text),
      medications: summary.medications,
      mar,
    };
  };

  const printedEntry = (user: UserContext, patientId: string, printed: PrintedChart | null, detail: AuditDetail): NewAuditEntry => {
    const resources =
      printed === null ? [] : printed.medications.map((m) => `MedicationRequest/${m.requestId}`).slice(0, MAX_RESOURCES_PER_ENTRY);
    const counts: AuditDetail =
      printed === null
        ? { withheld: true }
        : { medications: printed.medications.length, administrations: printed.mar.reduce((n, row) => n + row.administrations.length, 0) };
    return printEntry(user, patientId, DOCUMENT, resources, { ...detail, ...counts });
  };

  /** The guard's answer for a chart on the ward print, or null when it must be left out (restricted, out of scope). */
  const guardOnWardPrint = (patient: GuardedPatient | null): UserContext | null => {
    if (patient === null) return null;
    try {
      return guardPatient(patient);
    } catch (error) {
      if (isSessionError(error, 'BTG_REQUIRED') || isSessionError(error, 'FORBIDDEN') || isSessionError(error, 'OUT_OF_SCOPE')) return null;
      throw error;
    }
  };

  const patientPrint = (patientId: string, from: string, to: string): PrintPlan => {
    const patient = patients(patientId);
    const printer = guardPatient(patient);
    refuseUnlessAllowed(printer, patientId, 'patient');
    checkPrintWindow(from, to);
    const one = patient === null ? null : readChart(printer, patientId, from, to, null);
    if (one === null) throw notInCache();
    return { printer, sections: [{ kind: 'chart', chart: one }], printed: [{ user: printer, patientId, chart: one }] };
  };

  const wardPrint = (from: string, to: string): PrintPlan => {
    const printer = guardAll((action) => guard(sessions, { action }), ['census:read', 'print']);
    refuseUnlessAllowed(printer, null, 'ward');
    checkPrintWindow(from, to);
    const plan: PrintPlan = { printer, sections: [], printed: [] };
    for (const entry of chart.census(printer)) {
      const patient = patients(entry.patientId);
      const user = guardOnWardPrint(patient);
      const one = user === null ? null : readChart(user, entry.patientId, from, to, entry.bed);
      plan.sections.push(
        one === null
          ? { kind: 'withheld', identity: identityOf(entry), reason: withheldReason(user === null ? patient : null) }
          : { kind: 'chart', chart: one },
      );
      plan.printed.push({ user: user ?? printer, patientId: entry.patientId, chart: one });
    }
    return plan;
  };

  return {
    'print:mar': async ({ scope, from, to }) => {
      const plan = 'patientId' in scope ? patientPrint(scope.patientId, from, to) : wardPrint(from, to);
      const pdf = await renderMarPdf({
        printedBy: plan.printer.username,
        printedAt: options.now(),
        dataAsOf: options.dataAsOf(),
        from,
        to,
        hoursAhead: options.marHoursAhead,
        sections: plan.sections,
        ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      });
      const detail = {
        scope: 'patientId' in scope ? 'patient' : 'ward',
        from,
        to,
        file: pdf.fileName,
        pages: pdf.pages,
        delivery: options.delivery.kind,
      };
      audit.recordAll(plan.printed.map((p) => printedEntry(p.user, p.patientId, p.chart, detail)));
      const delivered = await options.delivery.deliver(pdf);
      const counts = { pages: pdf.pages, patients: plan.sections.length };
      return delivered.delivery === 'in-page'
        ? { ...delivered, mediaType: 'application/pdf' as const, ...counts }
        : { ...delivered, ...counts };
    },
  };
}

function notInCache(): PrintError {
  return new PrintError(
    'NOT_IN_CACHE',
    "This patient's chart is not in the chart cache of this workstation, so it cannot be printed here.",
  );
}
