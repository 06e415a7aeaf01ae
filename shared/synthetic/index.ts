// The seeded synthetic ward generator: realistic, clearly synthetic charts (demographics, problems,
// allergies, orders and MAR, vitals, labs, notes, alert flags) for tests, benchmarks and the hub's demo.
export type { GenerateWardOptions, SyntheticPatient, SyntheticWard, WardSpec } from './types.js';
export { generatePatientHistory, generateWard } from './generate.js';
export { SyntheticDataError } from './synthetic-data-error.js';
export { LAB_TESTS, VITAL_SIGNS, type LabTestDefinition, type VitalSignDefinition } from './observation-codes.js';
export { ALLERGIES, MEDICATIONS, type AllergyDefinition, type MedicationDefinition } from './clinical-catalog.js';
