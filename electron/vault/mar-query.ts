// The medication administration record: for each active MedicationRequest of a patient, its
// administrations scheduled (or, without a schedule, given) in a time window, each marked
// given / late / held. The scheduled time is Wardline's extension (shared/fhir scheduledTimeOf);
// effectiveDateTime is when the dose was given, or held.
import { referenceId, scheduledTimeOf, type MedicationAdministration } from '../../shared/fhir/index.js';
import { conceptText, isActiveRequest, isObject, medicationSummary, text, array, type Json } from './chart-format.js';
import type { MarAdministration, MarAdministrationState, MarRow } from './chart-types.js';
import type { ChartReads } from './chart-reads.js';

/** A dose given more than this long after its scheduled time is late (the usual 60-minute rule
 *  for medicines that are not time-critical). */
export const LATE_AFTER_MS = 60 * 60 * 1000;
/** How far a dose may be given or held from its scheduled time and still be found by the window. */
const SEARCH_MARGIN_MS = 24 * 60 * 60 * 1000;

function administrationTime(administration: Json): string | null {
  return (
    text(administration.effectiveDateTime) ?? (isObject(administration.effectivePeriod) ? text(administration.effectivePeriod.start) : null)
  );
}

export function marState(status: string, scheduledAt: string | null, administeredAt: string | null): MarAdministrationState {
  switch (status) {
    case 'completed': {
      if (scheduledAt === null || administeredAt === null) return 'given';
      return Date.parse(administeredAt) - Date.parse(scheduledAt) > LATE_AFTER_MS ? 'late' : 'given';
    }
    case 'not-done':
      return 'held';
    case 'in-progress':
    case 'on-hold':
    case 'stopped':
    case 'entered-in-error':
      return status;
    default:
      return 'unknown';
  }
}

function doseText(administration: Json): string | null {
  const dosage = isObject(administration.dosage) ? administration.dosage : undefined;
  if (dosage === undefined) return null;
  const dose = isObject(dosage.dose) ? dosage.dose : undefined;
  if (dose !== undefined && typeof dose.value === 'number')
    return `${dose.value}${text(dose.unit) === null ? '' : ` ${String(dose.unit)}`}`;
  return text(dosage.text);
}

function marAdministration(administration: Json): MarAdministration {
  const scheduledAt = scheduledTimeOf(administration as unknown as MedicationAdministration) ?? null;
  const administeredAt = administrationTime(administration);
  const status = String(administration.status);
  const performer = array(administration.performer)[0];
  return {
    id: String(administration.id),
    state: marState(status, scheduledAt, administeredAt),
    status,
    scheduledAt,
    administeredAt,
    dose: doseText(administration),
    reason:
      conceptText(array(administration.statusReason)[0]) ??
      conceptText(array(administration.reasonCode)[0]) ??
      text(array(administration.note)[0]?.text),
    performer:
      performer !== undefined && isObject(performer.actor) ? (text(performer.actor.display) ?? text(performer.actor.reference)) : null,
  };
}

export function medicationAdministrationRecord(reads: ChartReads, patientId: string, fromMs: number, toMs: number): MarRow[] {
  const byRequest = new Map<string, MarAdministration[]>();
  for (const administration of reads.administrations(patientId, fromMs - SEARCH_MARGIN_MS, toMs + SEARCH_MARGIN_MS)) {
    const entry = marAdministration(administration);
    const anchor = Date.parse(entry.scheduledAt ?? entry.administeredAt ?? '');
    if (Number.isNaN(anchor) || anchor < fromMs || anchor > toMs) continue;
    const requestId = referenceId(
      isObject(administration.request) ? (text(administration.request.reference) ?? undefined) : undefined,
      'MedicationRequest',
    );
    if (requestId === undefined) continue;
    const list = byRequest.get(requestId) ?? [];
    list.push(entry);
    byRequest.set(requestId, list);
  }
  const anchorOf = (entry: MarAdministration): number => Date.parse(entry.scheduledAt ?? entry.administeredAt ?? '');
  return reads
    .ofPatient(patientId, 'MedicationRequest')
    .filter(isActiveRequest)
    .map((request) => ({
      medication: medicationSummary(request),
      administrations: (byRequest.get(String(request.id)) ?? []).sort((a, b) => anchorOf(a) - anchorOf(b)),
    }));
}
