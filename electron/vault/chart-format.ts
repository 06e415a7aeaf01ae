// Pure derivations from stored FHIR JSON to the chart's plain objects (chart-types.ts): names,
// identifiers, alerts, allergies, problems, medications, observations, administrations.
import { MRN_SYSTEM, type MedicationRequest } from '../../shared/fhir/index.js';
import { orderScheduleOf } from '../../shared/medication-safety/index.js';
import type {
  AllergySummary,
  ChartAlert,
  LatestObservation,
  MedicationSummary,
  ObservationComponentValue,
  PatientHeader,
  ProblemSummary,
} from './chart-types.js';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function array(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function firstCoding(concept: unknown): Json | undefined {
  return isObject(concept) ? array(concept.coding)[0] : undefined;
}

/** A CodeableConcept as words: its text, else the first coding's display, else its code. */
export function conceptText(concept: unknown): string | null {
  if (!isObject(concept)) return null;
  const coding = firstCoding(concept);
  return text(concept.text) ?? text(coding?.display) ?? text(coding?.code);
}

export function conceptCodeOf(concept: unknown): string | null {
  return text(firstCoding(concept)?.code);
}

/** The id in a relative reference ("Patient/123" → "123"), or null. */
export function referencedId(reference: unknown, type?: string): string | null {
  if (!isObject(reference) || typeof reference.reference !== 'string') return null;
  const parts = reference.reference.split('/');
  const id = parts[parts.length - 1];
  const referencedType = parts[parts.length - 2];
  if (id === undefined || id.length === 0) return null;
  if (type !== undefined && referencedType !== type) return null;
  return id;
}

/** "Family, Given Middle" from the official name (else the usual, else the first). */
export function personName(resource: Json): string {
  const names = array(resource.name);
  const name = names.find((n) => n.use === 'official') ?? names.find((n) => n.use === 'usual') ?? names[0];
  if (name === undefined) return '';
  const given = Array.isArray(name.given) ? name.given.filter((g): g is string => typeof g === 'string').join(' ') : '';
  const family = text(name.family);
  if (family !== null && given.length > 0) return `${family}, ${given}`;
  return family ?? (given.length > 0 ? given : (text(name.text) ?? ''));
}

/** The medical record number: Wardline's MRN system, else the identifier typed MR (v2-0203). */
export function mrnOf(patient: Json): string | null {
  const identifiers = array(patient.identifier);
  const wardline = identifiers.find((identifier) => identifier.system === MRN_SYSTEM);
  if (wardline !== undefined) return text(wardline.value);
  const typed = identifiers.find((identifier) =>
    array(isObject(identifier.type) ? identifier.type.coding : undefined).some((coding) => coding.code === 'MR'),
  );
  const bySystem = identifiers.find((identifier) => typeof identifier.system === 'string' && /mrn|medical-record/i.test(identifier.system));
  return text((typed ?? bySystem)?.value);
}

export function patientHeader(patient: Json): PatientHeader {
  return {
    id: String(patient.id),
    name: personName(patient),
    birthDate: text(patient.birthDate),
    gender: text(patient.gender),
    mrn: mrnOf(patient),
  };
}

/** True for a resource the hub marked as a mistake: never shown as a current fact. */
function enteredInError(resource: Json): boolean {
  const verification = conceptCodeOf(resource.verificationStatus);
  return resource.status === 'entered-in-error' || verification === 'entered-in-error' || verification === 'refuted';
}

/** An active Flag whose period has not ended at `nowMs`. */
export function isActiveFlag(flag: Json, nowMs: number): boolean {
  if (flag.status !== 'active') return false;
  const end = isObject(flag.period) ? text(flag.period.end) : null;
  return end === null || Date.parse(end) > nowMs;
}

export function chartAlert(flag: Json): ChartAlert {
  return {
    id: String(flag.id),
    text: conceptText(flag.code) ?? '',
    category: conceptCodeOf(array(flag.category)[0]),
  };
}

/** SNOMED CT codes recording the absence of allergies ("no known allergy" and its kinds). */
const NO_KNOWN_ALLERGY_CODES: ReadonlySet<string> = new Set(['716186003', '409137002', '428607008', '429625007', '428197003']);

function isCurrentAllergyRecord(allergy: Json): boolean {
  const clinical = conceptCodeOf(allergy.clinicalStatus);
  return !enteredInError(allergy) && (clinical === null || clinical === 'active');
}

/** A documented "no known allergies" record. */
export function isNoKnownAllergy(allergy: Json): boolean {
  return isCurrentAllergyRecord(allergy) && NO_KNOWN_ALLERGY_CODES.has(conceptCodeOf(allergy.code) ?? '');
}

/** A current allergy or intolerance (not a "no known allergies" record, not refuted or in error). */
export function isCurrentAllergy(allergy: Json): boolean {
  return isCurrentAllergyRecord(allergy) && !NO_KNOWN_ALLERGY_CODES.has(conceptCodeOf(allergy.code) ?? '');
}

export function allergySummary(allergy: Json): AllergySummary {
  return {
    id: String(allergy.id),
    substance: conceptText(allergy.code) ?? '',
    criticality: text(allergy.criticality),
    reactions: array(allergy.reaction).flatMap((reaction) =>
      array(reaction.manifestation)
        .map((manifestation) => conceptText(manifestation))
        .filter((t): t is string => t !== null),
    ),
    verification: conceptCodeOf(allergy.verificationStatus),
  };
}

const ACTIVE_PROBLEM_STATES = new Set(['active', 'recurrence', 'relapse']);

export function isActiveProblem(condition: Json): boolean {
  const clinical = conceptCodeOf(condition.clinicalStatus);
  return !enteredInError(condition) && clinical !== null && ACTIVE_PROBLEM_STATES.has(clinical);
}

export function problemSummary(condition: Json): ProblemSummary {
  return {
    id: String(condition.id),
    text: conceptText(condition.code) ?? '',
    code: conceptCodeOf(condition.code),
    onset:
      text(condition.onsetDateTime) ??
      (isObject(condition.onsetPeriod) ? text(condition.onsetPeriod.start) : null) ??
      text(condition.recordedDate),
  };
}

/** An order in force (MedicationRequest.status active): the summary's medications and the MAR's rows. */
export function isActiveRequest(request: Json): boolean {
  return request.status === 'active';
}

export function medicationSummary(request: Json): MedicationSummary {
  const dosage = array(request.dosageInstruction)[0];
  // Stored resources passed the hub's FHIR validation: the structured dosage has its FHIR shape.
  const schedule = orderScheduleOf(request as unknown as MedicationRequest);
  return {
    requestId: String(request.id),
    medication:
      conceptText(request.medicationCodeableConcept) ??
      (isObject(request.medicationReference) ? text(request.medicationReference.display) : null) ??
      '',
    code: conceptCodeOf(request.medicationCodeableConcept),
    dosage: dosage === undefined ? null : text(dosage.text),
    asNeeded: schedule.prn,
    timesOfDay: [...schedule.timesOfDay],
    doseDays: { ...schedule.doseDays, offsets: [...schedule.doseDays.offsets] },
    orderedDose: schedule.orderedDose,
    status: String(request.status),
    authoredOn: text(request.authoredOn),
  };
}

export function observationTime(observation: Json): string | null {
  return (
    text(observation.effectiveDateTime) ??
    text(observation.effectiveInstant) ??
    (isObject(observation.effectivePeriod) ? text(observation.effectivePeriod.start) : null) ??
    text(observation.issued)
  );
}

function quantityOf(holder: Json): { value: number | null; unit: string | null } {
  const quantity = isObject(holder.valueQuantity) ? holder.valueQuantity : undefined;
  if (quantity !== undefined) {
    return { value: typeof quantity.value === 'number' ? quantity.value : null, unit: text(quantity.unit) ?? text(quantity.code) };
  }
  if (typeof holder.valueInteger === 'number') return { value: holder.valueInteger, unit: null };
  return { value: null, unit: null };
}

export function observationComponents(observation: Json): ObservationComponentValue[] {
  return array(observation.component).map((component) => ({
    code: conceptCodeOf(component.code) ?? '',
    display: conceptText(component.code),
    ...quantityOf(component),
  }));
}

function referenceRangeText(observation: Json): string | null {
  const range = array(observation.referenceRange)[0];
  if (range === undefined) return null;
  if (text(range.text) !== null) return text(range.text);
  const low = isObject(range.low) && typeof range.low.value === 'number' ? range.low.value : null;
  const high = isObject(range.high) && typeof range.high.value === 'number' ? range.high.value : null;
  if (low === null && high === null) return null;
  return `${low ?? ''}–${high ?? ''}`;
}

export function latestObservation(observation: Json, storedCode: string): LatestObservation {
  return {
    observationId: String(observation.id),
    code: storedCode,
    display: conceptText(observation.code),
    time: observationTime(observation),
    ...quantityOf(observation),
    valueText: text(observation.valueString) ?? conceptText(observation.valueCodeableConcept),
    interpretation: conceptCodeOf(array(observation.interpretation)[0]),
    referenceRange: referenceRangeText(observation),
    components: observationComponents(observation),
  };
}
