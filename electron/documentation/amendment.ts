// Corrections of recorded documentation, as FHIR says them: a vital sign corrected in value keeps its
// id and becomes status "corrected" (the hub keeps the earlier version in its history, and a note on
// the record says what it was, why and who changed it); a vital sign or a dose retracted becomes
// "entered-in-error" with the same kind of note. A wrong dose is retracted, not edited: the right
// one is recorded again through the five rights. The reason is one of the contract's codes.
import {
  amendmentReasonLabel,
  type AmendableType,
  type AmendmentRequestData,
  type RecordedEntryData,
} from '../../shared/contract/index.js';
import type { MedicationAdministration, Observation, Resource } from '../../shared/fhir/index.js';
import {
  correctionNoteText,
  observationValueText,
  quantityText,
  VITAL_RANGES,
  VITAL_SIGN_CODES,
  vitalProblems,
  type VitalNumberField,
} from '../../shared/vital-signs/index.js';
import { SyncError } from '../sync/index.js';
import type { ResourceStore } from '../vault/index.js';
import type { DocumentationAuthor } from './documentation-builders.js';

/** The vital signs whose single value can be corrected, by LOINC code. */
const CORRECTABLE_VITALS: Readonly<Record<string, VitalNumberField>> = {
  [VITAL_SIGN_CODES.heartRate]: 'heartRate',
  [VITAL_SIGN_CODES.respiratoryRate]: 'respiratoryRate',
  [VITAL_SIGN_CODES.temperature]: 'temperatureCelsius',
  [VITAL_SIGN_CODES.oxygenSaturation]: 'oxygenSaturation',
  [VITAL_SIGN_CODES.painScore]: 'painScore',
  [VITAL_SIGN_CODES.oxygenFlow]: 'oxygenFlowLitresPerMinute',
};

/** The short name the ward uses for a vital sign (the LOINC display is long), by LOINC code. */
const VITAL_LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(CORRECTABLE_VITALS).map(([code, field]) => [code, VITAL_RANGES[field].label])),
  [VITAL_SIGN_CODES.bloodPressurePanel]: 'Blood pressure',
  [VITAL_SIGN_CODES.consciousness]: 'Consciousness (ACVPU)',
};

function codeOf(observation: Observation): string | undefined {
  return observation.code.coding?.find((c) => c.system === undefined || c.system === 'http://loinc.org')?.code;
}

export function isVitalSign(observation: Observation): boolean {
  return (observation.category ?? []).some((c) => (c.coding ?? []).some((coding) => coding.code === 'vital-signs'));
}

function isBloodPressure(observation: Observation): boolean {
  return codeOf(observation) === VITAL_SIGN_CODES.bloodPressurePanel;
}

function administrationValueText(administration: MedicationAdministration): string | null {
  if (administration.status === 'not-done') return 'Not given';
  const dose = administration.dosage?.dose;
  return dose === undefined ? null : quantityText(dose.value, dose.unit);
}

const RETRACTED = new Set(['entered-in-error', 'cancelled']);

/** The patient's vital signs and administrations from `fromIso` to `toIso` (only the types asked for), newest first. */
export function recordedEntries(
  resources: Pick<ResourceStore, 'ofPatientBetween' | 'versionOf'>,
  patientId: string,
  window: { readonly from: string; readonly to: string },
  types: ReadonlySet<AmendableType>,
): RecordedEntryData[] {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const entries: RecordedEntryData[] = [];
  if (types.has('Observation')) {
    for (const observation of resources.ofPatientBetween(patientId, 'Observation', from, to)) {
      if (isVitalSign(observation))
        entries.push(recordedEntryOf(observation, resources.versionOf('Observation', observation.id!)?.versionId ?? null));
    }
  }
  if (types.has('MedicationAdministration')) {
    for (const administration of resources.ofPatientBetween(patientId, 'MedicationAdministration', from, to)) {
      entries.push(recordedEntryOf(administration, resources.versionOf('MedicationAdministration', administration.id!)?.versionId ?? null));
    }
  }
  return entries.sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
}

/** An Observation (vital sign) or MedicationAdministration as the correction list shows it. */
export function recordedEntryOf(resource: Observation | MedicationAdministration, versionId: string | null): RecordedEntryData {
  const notes = (resource.note ?? []).map((note) => note.text);
  const retracted = RETRACTED.has(resource.status);
  if (resource.resourceType === 'Observation') {
    const correctable = !retracted && (isBloodPressure(resource) || CORRECTABLE_VITALS[codeOf(resource) ?? ''] !== undefined);
    const fields: RecordedEntryData['fields'] = !correctable ? [] : isBloodPressure(resource) ? ['systolic', 'diastolic'] : ['value'];
    return {
      resourceType: 'Observation',
      id: resource.id!,
      versionId,
      label:
        VITAL_LABELS[codeOf(resource) ?? ''] ??
        resource.code.text ??
        resource.code.coding?.[0]?.display ??
        codeOf(resource) ??
        'Observation',
      value: observationValueText(resource),
      time: resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? null,
      status: resource.status,
      notes,
      recordedBy: resource.performer?.[0]?.display ?? resource.performer?.[0]?.reference ?? null,
      canCorrect: correctable,
      canRetract: !retracted,
      fields,
    };
  }
  const actor = resource.performer?.[0]?.actor;
  return {
    resourceType: 'MedicationAdministration',
    id: resource.id!,
    versionId,
    label:
      resource.medicationCodeableConcept?.text ??
      resource.medicationCodeableConcept?.coding?.[0]?.display ??
      resource.medicationReference?.display ??
      'Medication',
    value: administrationValueText(resource),
    time: resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? null,
    status: resource.status,
    notes,
    recordedBy: actor?.display ?? actor?.reference ?? null,
    canCorrect: false,
    canRetract: !retracted,
    fields: [],
  };
}

function invalid(message: string): SyncError {
  return new SyncError('INVALID_DOCUMENTATION', message);
}

function reasonText(request: AmendmentRequestData): string {
  return `Reason: ${amendmentReasonLabel(request.reason)}.${request.note === undefined ? '' : ` ${request.note}`}`;
}

function withNote<T extends Observation | MedicationAdministration>(
  resource: T,
  text: string,
  author: DocumentationAuthor,
  now: string,
): T {
  const authorReference =
    author.display === undefined ? { reference: author.reference } : { reference: author.reference, display: author.display };
  return { ...resource, note: [...(resource.note ?? []), { authorReference, time: now, text }] };
}

function correctedObservation(observation: Observation, values: { value?: number; systolic?: number; diastolic?: number }): Observation {
  if (isBloodPressure(observation)) {
    const { systolic, diastolic } = values;
    if (systolic === undefined || diastolic === undefined || values.value !== undefined) {
      throw invalid('A corrected blood pressure needs both the systolic and the diastolic value.');
    }
    const problem = vitalProblems({ systolic, diastolic })[0];
    if (problem !== undefined) throw invalid(problem.message);
    const set = (code: string, value: number) => (component: NonNullable<Observation['component']>[number]) =>
      component.code.coding?.some((coding) => coding.code === code) && component.valueQuantity !== undefined
        ? { ...component, valueQuantity: { ...component.valueQuantity, value } }
        : component;
    return {
      ...observation,
      component: (observation.component ?? [])
        .map(set(VITAL_SIGN_CODES.systolic, systolic))
        .map(set(VITAL_SIGN_CODES.diastolic, diastolic)),
    };
  }
  const field = CORRECTABLE_VITALS[codeOf(observation) ?? ''];
  if (field === undefined || observation.valueQuantity === undefined) {
    throw invalid(
      'Only a vital sign with one measured value, or a blood pressure, can be corrected. Mark this one entered in error instead.',
    );
  }
  const { value } = values;
  if (value === undefined || values.systolic !== undefined || values.diastolic !== undefined) throw invalid('Enter the corrected value.');
  const problem = vitalProblems({ [field]: value })[0];
  if (problem !== undefined) throw invalid(problem.message);
  return { ...observation, valueQuantity: { ...observation.valueQuantity, value } };
}

/**
 * The amended version of a cached record: corrected (vital signs only) or entered in error, with a
 * note saying what it was, why and who. Refuses what cannot be amended, with a sentence the nurse can act on.
 */
export function amendedResource(
  cached: Resource,
  request: AmendmentRequestData,
  author: DocumentationAuthor,
  now: string,
): Observation | MedicationAdministration {
  if (request.reason === 'other' && request.note === undefined) throw invalid('Say in the note why this record is changed.');
  if (cached.resourceType === 'Observation') {
    if (!isVitalSign(cached)) throw invalid('Only vital signs are corrected here; results come from the laboratory.');
    if (RETRACTED.has(cached.status)) throw invalid('This vital sign is already marked entered in error.');
    if (request.action === 'entered-in-error') {
      return withNote({ ...cached, status: 'entered-in-error' }, `Entered in error. ${reasonText(request)}`, author, now);
    }
    const before = observationValueText(cached);
    const corrected = correctedObservation(cached, request.values);
    const after = observationValueText(corrected);
    if (before === after) throw invalid('The corrected value is the same as the recorded one; nothing was changed.');
    return withNote({ ...corrected, status: 'corrected' }, correctionNoteText(before, after, reasonText(request)), author, now);
  }
  if (cached.resourceType === 'MedicationAdministration') {
    if (cached.status === 'entered-in-error') throw invalid('This administration is already marked entered in error.');
    if (request.action !== 'entered-in-error') {
      throw invalid('A recorded dose is not edited: mark it entered in error, then record the right dose in the administration dialog.');
    }
    return withNote({ ...cached, status: 'entered-in-error' }, `Entered in error. ${reasonText(request)}`, author, now);
  }
  throw invalid('Only vital signs and medication administrations can be corrected here.');
}
