// The chart as the screens receive it: the same shapes as the vault's chart queries
// (electron/vault/chart-types.ts), as zod, because shared/ cannot import the host. A host test
// keeps both in step. Times are ISO 8601 strings as the hub wrote them; absent facts are null.
import { z } from 'zod';
import { news2SummarySchema } from '../vital-signs/index.js';

export const chartAlertSchema = z.object({
  id: z.string(),
  text: z.string(),
  category: z.string().nullable(),
});

export const censusEntrySchema = z.object({
  patientId: z.string(),
  name: z.string(),
  birthDate: z.string().nullable(),
  gender: z.string().nullable(),
  mrn: z.string().nullable(),
  bed: z.string().nullable(),
  encounterId: z.string(),
  admittedAt: z.string().nullable(),
  alerts: z.array(chartAlertSchema),
  hasAllergies: z.boolean(),
  /** "No known allergies" documented (and no allergy): as opposed to nothing recorded. */
  noKnownAllergies: z.boolean(),
  lastVitalsAt: z.string().nullable(),
  /** NEWS2 of the latest set of vitals, or null without any. */
  news2: news2SummarySchema.nullable(),
});

export const patientHeaderSchema = z.object({
  id: z.string(),
  name: z.string(),
  birthDate: z.string().nullable(),
  gender: z.string().nullable(),
  mrn: z.string().nullable(),
});

export const encounterSummarySchema = z.object({
  id: z.string(),
  status: z.string(),
  admittedAt: z.string().nullable(),
  bed: z.string().nullable(),
  ward: z.string().nullable(),
  reason: z.string().nullable(),
});

export const allergySummarySchema = z.object({
  id: z.string(),
  substance: z.string(),
  criticality: z.string().nullable(),
  reactions: z.array(z.string()),
  verification: z.string().nullable(),
});

export const problemSummarySchema = z.object({
  id: z.string(),
  text: z.string(),
  code: z.string().nullable(),
  onset: z.string().nullable(),
});

export const medicationSummarySchema = z.object({
  requestId: z.string(),
  medication: z.string(),
  code: z.string().nullable(),
  dosage: z.string().nullable(),
  /** As needed (PRN): no scheduled times. */
  asNeeded: z.boolean(),
  /** Scheduled times of day (hh:mm) from the order's timing. */
  timesOfDay: z.array(z.string()),
  status: z.string(),
  authoredOn: z.string().nullable(),
});

export const observationComponentValueSchema = z.object({
  code: z.string(),
  display: z.string().nullable(),
  value: z.number().nullable(),
  unit: z.string().nullable(),
});

export const latestObservationSchema = z.object({
  observationId: z.string(),
  code: z.string(),
  display: z.string().nullable(),
  time: z.string().nullable(),
  value: z.number().nullable(),
  valueText: z.string().nullable(),
  unit: z.string().nullable(),
  interpretation: z.string().nullable(),
  referenceRange: z.string().nullable(),
  components: z.array(observationComponentValueSchema),
});

export const patientSummarySchema = z.object({
  patient: patientHeaderSchema,
  encounter: encounterSummarySchema.nullable(),
  allergies: z.array(allergySummarySchema),
  noKnownAllergies: z.boolean(),
  problems: z.array(problemSummarySchema),
  medications: z.array(medicationSummarySchema),
  vitals: z.array(latestObservationSchema),
  labs: z.array(latestObservationSchema),
  alerts: z.array(chartAlertSchema),
});

export const trendPointSchema = z.object({
  time: z.string(),
  value: z.number().nullable(),
  unit: z.string().nullable(),
  components: z.array(observationComponentValueSchema),
});

export const marAdministrationStateSchema = z.enum([
  'given',
  'late',
  'held',
  'in-progress',
  'on-hold',
  'stopped',
  'entered-in-error',
  'unknown',
]);

export const marAdministrationSchema = z.object({
  id: z.string(),
  state: marAdministrationStateSchema,
  status: z.string(),
  scheduledAt: z.string().nullable(),
  administeredAt: z.string().nullable(),
  dose: z.string().nullable(),
  reason: z.string().nullable(),
  performer: z.string().nullable(),
});

export const marRowSchema = z.object({
  medication: medicationSummarySchema,
  administrations: z.array(marAdministrationSchema),
});

export type CensusEntryData = z.infer<typeof censusEntrySchema>;
export type PatientSummaryData = z.infer<typeof patientSummarySchema>;
export type TrendPointData = z.infer<typeof trendPointSchema>;
export type MarRowData = z.infer<typeof marRowSchema>;
