// Vital signs as the ward reads them: the NEWS2 early-warning score (RCP 2017) and its escalation
// bands, the abnormal flag of each vital, the physiological ranges and cross-field checks every
// entry passes (host, hub-bound contract and form alike), the entry's shape, the reading of a typed
// decimal by locale, the NEWS2 of a chart's latest observations, round by round and the latest
// complete round a list leads with, the FHIR form of each vital sign
// (LOINC code, UCUM unit) and the check of a vital-signs Observation against all of it (the hub's).
// Runtime-neutral.
export {
  CONSCIOUSNESS_LEVELS,
  CONSCIOUSNESS_LABELS,
  NEWS2_PARAMETERS,
  NEWS2_PARAMETER_LABELS,
  NEWS2_BAND_LABELS,
  NEWS2_BAND_RESPONSES,
  news2,
  news2Band,
  news2Text,
  respiratoryRateScore,
  spo2Scale1Score,
  spo2Scale2Score,
  supplementalOxygenScore,
  systolicScore,
  pulseScore,
  consciousnessScore,
  temperatureScore,
  type Consciousness,
  type News2Band,
  type News2Input,
  type News2Parameter,
  type News2Score,
} from './news2.js';
export { vitalFlag, consciousnessFlag, isFlaggedVital, type FlaggedVital, type VitalFlag, type VitalFlagLevel } from './vital-flags.js';
export {
  VITAL_FIELD_KEYS,
  VITAL_RANGES,
  vitalProblems,
  vitalValueProblem,
  type VitalNumberField,
  type VitalProblem,
  type VitalRange,
  type VitalValuesToCheck,
} from './vital-ranges.js';
export { parseDecimal, decimalSeparatorOf, type DecimalReading } from './decimal-input.js';
export { vitalSignsEntrySchema, consciousnessSchema, type VitalSignsEntry } from './entry-schema.js';
export {
  VITAL_SIGN_CODES,
  CONSCIOUSNESS_CODINGS,
  consciousnessFromCode,
  news2OfObservations,
  NEWS2_CODES,
  type VitalObservationReading,
} from './news2-observations.js';
export {
  AIR_FLOW_LITRES_PER_MINUTE,
  BLOOD_PRESSURE,
  BODY_TEMPERATURE,
  DIASTOLIC_BP,
  HEART_RATE,
  OXYGEN_FLOW,
  OXYGEN_SATURATION,
  PAIN_SCORE,
  RESPIRATORY_RATE,
  SINGLE_VALUE_VITALS,
  SYSTOLIC_BP,
  type VitalSignDefinition,
} from './vital-definitions.js';
export { vitalObservationProblem, type VitalObservationLike, type VitalObservationProblem } from './vital-observation-check.js';
export { latestNews2, news2Rounds, type LatestNews2, type News2Round } from './news2-rounds.js';
export { news2SummarySchema, news2Summary, type News2RoundSummary, type News2Summary } from './news2-summary.js';
export {
  combinedDoseNotes,
  combinedNotes,
  correctionNoteText,
  inCombinersName,
  observationValueText,
  parseCorrectionNote,
  quantityText,
  withNotesInCombinersName,
  type Combiner,
} from './correction-note.js';
