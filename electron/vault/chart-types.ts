// What the chart queries return: the chart's shapes declared once, as zod, in shared/contract
// (chart-schemas.ts, and the note in documentation-channels.ts). These are those schemas' output
// types, read-only, so the vault's answers and what the screens receive cannot drift apart.
import type { z } from 'zod';
import type {
  allergySummarySchema,
  censusEntrySchema,
  chartAlertSchema,
  DeepReadonly,
  encounterSummarySchema,
  latestObservationSchema,
  marAdministrationSchema,
  marAdministrationStateSchema,
  marRowSchema,
  medicationSummarySchema,
  noteSchema,
  observationComponentValueSchema,
  patientHeaderSchema,
  patientSummarySchema,
  problemSummarySchema,
  trendPointSchema,
} from '../../shared/contract/index.js';

type Shape<S extends z.ZodType> = DeepReadonly<z.output<S>>;

export type ChartAlert = Shape<typeof chartAlertSchema>;
export type CensusEntry = Shape<typeof censusEntrySchema>;
export type PatientHeader = Shape<typeof patientHeaderSchema>;
export type EncounterSummary = Shape<typeof encounterSummarySchema>;
export type AllergySummary = Shape<typeof allergySummarySchema>;
export type ProblemSummary = Shape<typeof problemSummarySchema>;
export type MedicationSummary = Shape<typeof medicationSummarySchema>;
export type ObservationComponentValue = Shape<typeof observationComponentValueSchema>;
export type LatestObservation = Shape<typeof latestObservationSchema>;
export type PatientSummary = Shape<typeof patientSummarySchema>;
export type TrendPoint = Shape<typeof trendPointSchema>;
export type MarAdministrationState = z.output<typeof marAdministrationStateSchema>;
export type MarAdministration = Shape<typeof marAdministrationSchema>;
export type MarRow = Shape<typeof marRowSchema>;
export type NoteEntry = Shape<typeof noteSchema>;
