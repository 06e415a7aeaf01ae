// The five rights at one administration, on the host: the facts the shared rules need, read from
// the vault (the order, the chart's MRN and current allergies, the doses already recorded against
// the order, this workstation's own included), the verdict, and its enforcement when a dose is
// recorded: a hard stop, an unconfirmed patient or a missing reason refuses the dose, writing nothing.
import type { AllergyIntolerance, MedicationRequest } from '../../shared/fhir/index.js';
import {
  ALLERGY_CLASSES,
  administrationVerdict,
  localWardClock,
  missingReasons,
  orderScheduleOf,
  standingDoses,
  type AdministrationVerdict,
  type DrugClass,
  type EarlierDose,
  type PatientConfirmation,
  type ReasonCheck,
  type SubstanceName,
  type WardClock,
} from '../../shared/medication-safety/index.js';
import type { Vault } from '../vault/index.js';
import { SyncError } from '../sync/index.js';
import { ucumConverter } from './ucum-converter.js';

type SyncErrorCode = ConstructorParameters<typeof SyncError>[0];

export interface AdministrationSafetyPolicy {
  /** On time within this long of the scheduled time. */
  readonly windowMs: number;
  /** The site's allergy classes, checked beside Wardline's table. */
  readonly allergyClasses: readonly DrugClass[];
  readonly clock?: WardClock;
}

export interface AdministrationToCheck {
  readonly given: boolean;
  readonly effectiveAt: string;
  readonly scheduledAt: string | null;
  readonly dose: { readonly value: number; readonly unit: string } | null;
  readonly patientConfirmation?: PatientConfirmation | undefined;
  readonly reasons?: Partial<Record<ReasonCheck, string>> | undefined;
}

const DAY_MS = 86_400_000;
const GIVEN = new Set(['given', 'late']);

function conceptSubstance(concept: { coding?: { code?: string }[]; text?: string } | undefined, fallback: string): SubstanceName {
  const codes = (concept?.coding ?? []).map((coding) => coding.code).filter((code): code is string => typeof code === 'string');
  const text = concept?.text ?? (concept?.coding ?? []).map((coding) => (coding as { display?: string }).display ?? '').join(' ');
  return { codes, text: text.trim() === '' ? fallback : text };
}

function allergiesOf(vault: Vault, patientId: string): { allergies: SubstanceName[]; mrn: string | null } {
  const summary = vault.patientSummary(patientId);
  if (summary === null) return { allergies: [], mrn: null };
  const allergies = summary.allergies.map((allergy) => {
    const resource = vault.resources.read('AllergyIntolerance', allergy.id) as AllergyIntolerance | null;
    const substance = conceptSubstance(resource?.code, allergy.substance);
    return { codes: substance.codes, text: allergy.substance };
  });
  return { allergies, mrn: summary.patient.mrn };
}

/**
 * The doses recorded against the order within one of its cycles (a day, a week…) and a day either
 * side of `aroundIso`; a dose marked entered in error is not one of them (shared standingDoses), so
 * it never blocks recording the right dose for its slot.
 */
function earlierDoses(vault: Vault, patientId: string, orderId: string, aroundIso: string, cycleDays: number): EarlierDose[] {
  const around = Date.parse(aroundIso);
  const from = new Date(around - (cycleDays + 1) * DAY_MS).toISOString();
  const to = new Date(around + (cycleDays + 1) * DAY_MS).toISOString();
  const row = vault.medicationAdministrationRecord(patientId, from, to).find((r) => r.medication.requestId === orderId);
  return standingDoses(row?.administrations ?? []).map((a) => ({
    scheduledAt: a.scheduledAt,
    administeredAt: a.administeredAt,
    given: GIVEN.has(a.state),
  }));
}

/** The verdict of the five rights for a dose of `order` (active, the patient's, in the vault). */
export function administrationSafetyVerdict(
  vault: Vault,
  patientId: string,
  order: MedicationRequest,
  dose: AdministrationToCheck,
  policy: AdministrationSafetyPolicy,
): AdministrationVerdict {
  const { allergies, mrn } = allergiesOf(vault, patientId);
  const schedule = orderScheduleOf(order);
  return administrationVerdict(
    {
      order: schedule,
      drug: conceptSubstance(order.medicationCodeableConcept, order.medicationReference?.display ?? ''),
      allergies,
      allergyClasses: [...ALLERGY_CLASSES, ...policy.allergyClasses],
      chartMrn: mrn,
      earlier: earlierDoses(vault, patientId, order.id ?? '', dose.scheduledAt ?? dose.effectiveAt, schedule.doseDays.cycleDays),
      windowMs: policy.windowMs,
      convert: ucumConverter,
      clock: policy.clock ?? localWardClock,
    },
    dose,
  );
}

const REASON_NAMES: Readonly<Record<ReasonCheck, string>> = {
  dose: 'why the dose differs from the order',
  time: 'why the dose is given outside its time window',
  allergy: 'why the drug is given despite an allergy in its class',
};

/** Refuses the dose (SyncError, nothing written) unless the patient is confirmed, nothing stops it and every reason is given. */
export function enforceAdministrationSafety(verdict: AdministrationVerdict, dose: AdministrationToCheck): void {
  if (dose.patientConfirmation === undefined) {
    throw new SyncError(
      'PATIENT_NOT_CONFIRMED',
      'Confirm the patient first: scan the wristband or type the MRN, and check it matches the chart. Nothing was saved.',
    );
  }
  const stop = verdict.hardStops[0];
  if (stop !== undefined) throw new SyncError(stop.code as SyncErrorCode, `${stop.message} Nothing was saved.`);
  const missing = missingReasons(verdict, dose.reasons ?? {});
  if (missing.length > 0) {
    throw new SyncError('REASON_REQUIRED', `Give a reason: ${missing.map((check) => REASON_NAMES[check]).join('; ')}. Nothing was saved.`);
  }
}
