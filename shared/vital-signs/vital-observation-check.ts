// Whether a vital-signs Observation holds what the workstation's entry and correction would let a
// nurse record: one of the vital signs Wardline charts (LOINC code), its value in the UCUM unit
// Wardline writes for that code, within the physiological range of vital-ranges.ts (blood pressure:
// both values, diastolic below systolic; ACVPU: one of its SNOMED CT findings). A record marked
// entered in error is a retraction and keeps whatever it held. The hub judges every Observation a
// workstation sends with this; the messages name the vital sign and the rule, never the value sent.
import { CONSCIOUSNESS_CODINGS, VITAL_SIGN_CODES } from './news2-observations.js';
import {
  AIR_FLOW_LITRES_PER_MINUTE,
  BLOOD_PRESSURE,
  DIASTOLIC_BP,
  SINGLE_VALUE_VITALS,
  SYSTOLIC_BP,
  type VitalSignDefinition,
} from './vital-definitions.js';
import { VITAL_RANGES, vitalProblems, vitalValueProblem } from './vital-ranges.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const SNOMED = 'http://snomed.info/sct';

interface CodingLike {
  readonly system?: string | undefined;
  readonly code?: string | undefined;
}
interface QuantityLike {
  readonly value?: number | undefined;
  readonly system?: string | undefined;
  readonly code?: string | undefined;
}
interface ConceptLike {
  readonly coding?: readonly CodingLike[] | undefined;
}

/** The parts of an Observation the check reads. */
export interface VitalObservationLike {
  readonly status?: string | undefined;
  readonly code?: ConceptLike | undefined;
  readonly valueQuantity?: QuantityLike | undefined;
  readonly valueCodeableConcept?: ConceptLike | undefined;
  readonly component?:
    readonly { readonly code?: ConceptLike | undefined; readonly valueQuantity?: QuantityLike | undefined }[] | undefined;
}

export interface VitalObservationProblem {
  readonly kind: 'unknown-code' | 'missing-value' | 'wrong-unit' | 'out-of-range';
  readonly message: string;
}

const CONSCIOUSNESS_LABEL = 'Consciousness (ACVPU)';

const loincCodes = (concept: ConceptLike | undefined): string[] =>
  (concept?.coding ?? []).filter((coding) => coding.system === LOINC && typeof coding.code === 'string').map((coding) => coding.code!);

/** A value[x] other than the one the vital sign takes (valueString "999", a valueInteger …). */
function hasOtherValue(observation: VitalObservationLike, allowed: string | null): boolean {
  return Object.entries(observation).some(([key, value]) => key.startsWith('value') && key !== allowed && value !== undefined);
}

function quantityProblem(
  label: string,
  definition: VitalSignDefinition,
  quantity: QuantityLike | undefined,
): VitalObservationProblem | { readonly value: number } {
  if (quantity === undefined || typeof quantity.value !== 'number') {
    return { kind: 'missing-value', message: `This ${label} has no value; a vital sign is recorded with its measured value.` };
  }
  if (quantity.system !== UCUM || quantity.code !== definition.unit) {
    return {
      kind: 'wrong-unit',
      message: `${label} is recorded in the UCUM unit "${definition.unit}" (system ${UCUM}); this one carries another unit.`,
    };
  }
  return { value: quantity.value };
}

const isProblem = (result: VitalObservationProblem | { readonly value: number }): result is VitalObservationProblem => 'kind' in result;

function outOfRange(label: string, field: keyof typeof VITAL_RANGES): VitalObservationProblem {
  const range = VITAL_RANGES[field];
  return {
    kind: 'out-of-range',
    message: `${label} must be a measurement from ${range.min} to ${range.max} ${range.unit}${range.decimals === 0 ? ', a whole number' : ` with at most ${range.decimals} decimal place`}; the value sent is not.`,
  };
}

function singleValueProblem(observation: VitalObservationLike, code: string): VitalObservationProblem | null {
  const { definition, field } = SINGLE_VALUE_VITALS[code]!;
  const label = VITAL_RANGES[field].label;
  if (hasOtherValue(observation, 'valueQuantity')) {
    return { kind: 'wrong-unit', message: `${label} is recorded as a Quantity (valueQuantity), not as another kind of value.` };
  }
  const read = quantityProblem(label, definition, observation.valueQuantity);
  if (isProblem(read)) return read;
  if (field === 'oxygenFlowLitresPerMinute' && read.value === AIR_FLOW_LITRES_PER_MINUTE) return null;
  return vitalValueProblem(field, read.value) === null ? null : outOfRange(label, field);
}

function bloodPressureProblem(observation: VitalObservationLike): VitalObservationProblem | null {
  const label = 'Blood pressure';
  if (hasOtherValue(observation, null)) {
    return { kind: 'wrong-unit', message: 'A blood pressure is recorded as its systolic and diastolic components, not as one value.' };
  }
  const values: Partial<Record<'systolic' | 'diastolic', number>> = {};
  for (const [key, definition] of [
    ['systolic', SYSTOLIC_BP],
    ['diastolic', DIASTOLIC_BP],
  ] as const) {
    const component = (observation.component ?? []).find((c) => loincCodes(c.code).includes(definition.code));
    const read = quantityProblem(`${label} (${key})`, definition, component?.valueQuantity);
    if (isProblem(read)) {
      return read.kind === 'missing-value'
        ? { kind: 'missing-value', message: 'A blood pressure needs both its systolic and its diastolic value.' }
        : read;
    }
    values[key] = read.value;
  }
  if (vitalProblems(values).length === 0) return null;
  const { systolic: sys, diastolic: dia } = VITAL_RANGES;
  return {
    kind: 'out-of-range',
    message: `${label} must be a systolic from ${sys.min} to ${sys.max} and a diastolic from ${dia.min} to ${dia.max} mmHg, whole numbers, the diastolic below the systolic; the values sent are not.`,
  };
}

function consciousnessProblem(observation: VitalObservationLike): VitalObservationProblem | null {
  if (hasOtherValue(observation, 'valueCodeableConcept')) {
    return { kind: 'wrong-unit', message: `${CONSCIOUSNESS_LABEL} is recorded as a SNOMED CT finding (valueCodeableConcept).` };
  }
  const codings = observation.valueCodeableConcept?.coding ?? [];
  if (codings.length === 0) {
    return { kind: 'missing-value', message: `This ${CONSCIOUSNESS_LABEL} has no value; record the level of responsiveness.` };
  }
  const known = Object.values(CONSCIOUSNESS_CODINGS).map((finding) => finding.code);
  return codings.some((coding) => coding.system === SNOMED && known.includes(coding.code ?? ''))
    ? null
    : { kind: 'out-of-range', message: `${CONSCIOUSNESS_LABEL} takes one of the five ACVPU findings (SNOMED CT); the value sent is none.` };
}

/**
 * Why a vital-signs Observation cannot stand as recorded, or null. A retraction (entered-in-error)
 * is not judged: it withdraws a record, whatever the record held.
 */
export function vitalObservationProblem(observation: VitalObservationLike): VitalObservationProblem | null {
  if (observation.status === 'entered-in-error') return null;
  const codes = loincCodes(observation.code);
  const single = codes.find((code) => SINGLE_VALUE_VITALS[code] !== undefined);
  if (single !== undefined) return singleValueProblem(observation, single);
  if (codes.includes(BLOOD_PRESSURE.code)) return bloodPressureProblem(observation);
  if (codes.includes(VITAL_SIGN_CODES.consciousness)) return consciousnessProblem(observation);
  const charted = [...Object.values(SINGLE_VALUE_VITALS).map((vital) => VITAL_RANGES[vital.field].label), 'blood pressure', 'ACVPU'];
  return {
    kind: 'unknown-code',
    message: `Wardline documents these vital signs, each by its LOINC code: ${charted.join(', ')}. This Observation is none of them (only a retraction, entered-in-error, is taken for another code).`,
  };
}
