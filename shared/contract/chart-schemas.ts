// The chart's shapes, once: what the vault's chart queries return (electron/vault/chart-types.ts
// are these schemas' output types) and what the screens receive. Plain, serialisable objects shaped
// for the screens (census, chart summary, trend, MAR). Times are ISO 8601 strings as the hub wrote
// them; absent facts are null.
import { z } from 'zod';
import {
  CENSUS_ROW_FIELDS,
  CHART_SUMMARY_FIELDS,
  ENCOUNTER_SUMMARY_FIELDS,
  clinicalFields,
  type ChartCategory,
  type ClinicalField,
  READ_ONLY_CHART_REASONS,
} from '../access/index.js';
import { MAX_CYCLE_MONTHS } from '../medication-safety/index.js';
import { news2SummarySchema } from '../vital-signs/index.js';

/** An active Flag (an alert shown on the census and the chart banner). */
export const chartAlertSchema = z.object({
  id: z.string(),
  text: z.string(),
  /** Flag.category code, e.g. "safety", "clinical", "behavioral". */
  category: z.string().nullable(),
});

/** A slot of a scheduled order recorded more than once (shared/medication-safety doubleDoseSlots), for the census and the banner. */
export const doubleDoseSlotSchema = z.object({
  medication: z.string(),
  scheduledAt: z.string(),
  count: z.number().int().min(2),
});

export const censusEntrySchema = z.object({
  patientId: z.string(),
  /** "Family, Given" from the official (or first) name. */
  name: z.string(),
  birthDate: z.string().nullable(),
  gender: z.string().nullable(),
  mrn: z.string().nullable(),
  /** The bed (Location display or id) of the in-progress encounter. */
  bed: z.string().nullable(),
  encounterId: z.string(),
  /** Encounter.period.start. */
  admittedAt: z.string().nullable(),
  alerts: z.array(chartAlertSchema),
  hasAllergies: z.boolean(),
  /** "No known allergies" documented (and no allergy): as opposed to nothing recorded. */
  noKnownAllergies: z.boolean(),
  lastVitalsAt: z.string().nullable(),
  /** NEWS2 of the latest complete round of vitals (with a newer incomplete one beside it), or null without any. */
  news2: news2SummarySchema.nullable(),
  /** Slots recorded more than once in the last and next day (absent for a role that may not read medication). */
  dosesRecordedTwice: z.array(doubleDoseSlotSchema),
  /** When this workstation last brought the patient's chart up to date with the hub; null before it was loaded. */
  dataAsOf: z.string().nullable(),
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
  /** Reaction manifestations, as text. */
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
  /** Dosage instruction text (dose, route, frequency). */
  dosage: z.string().nullable(),
  /** As needed (PRN): no scheduled times. */
  asNeeded: z.boolean(),
  /** Scheduled times of day (hh:mm) from the order's timing, on each of its dose days. */
  timesOfDay: z.array(z.string()),
  /** The days its doses fall on (shared/medication-safety's DoseDays): every day, given weekdays, every N days, weeks, months or years. */
  doseDays: z.object({
    cycleDays: z
      .number()
      .int()
      .min(1)
      .max(31 * MAX_CYCLE_MONTHS),
    offsets: z.array(z.number().int().min(0).max(365)),
    weekAligned: z.boolean(),
    anchor: z.string().nullable(),
    until: z.string().nullable().optional(),
    cycleMonths: z.number().int().min(1).max(MAX_CYCLE_MONTHS).optional(),
  }),
  /** The ordered dose from the structured dosage (doseAndRate.doseQuantity, its UCUM code), or null. */
  orderedDose: z.object({ value: z.number(), unit: z.string() }).nullable(),
  status: z.string(),
  authoredOn: z.string().nullable(),
});

export const observationComponentValueSchema = z.object({
  code: z.string(),
  display: z.string().nullable(),
  value: z.number().nullable(),
  unit: z.string().nullable(),
});

/** The latest observation for one code (a vital sign or a lab). */
export const latestObservationSchema = z.object({
  observationId: z.string(),
  /** The code as stored: "system|code" (e.g. "http://loinc.org|8867-4"), or the bare code. */
  code: z.string(),
  display: z.string().nullable(),
  time: z.string().nullable(),
  value: z.number().nullable(),
  /** valueString / valueCodeableConcept text, when the value is not a quantity. */
  valueText: z.string().nullable(),
  unit: z.string().nullable(),
  /** Interpretation code (e.g. "H", "L", "N", "HH"), labs mainly. */
  interpretation: z.string().nullable(),
  referenceRange: z.string().nullable(),
  /** Blood pressure panels carry systolic/diastolic here. */
  components: z.array(observationComponentValueSchema),
});

export const patientSummarySchema = z.object({
  patient: patientHeaderSchema,
  /** The in-progress encounter, or the latest one when none is in progress. */
  encounter: encounterSummarySchema.nullable(),
  allergies: z.array(allergySummarySchema),
  /** True when "no known allergies" is documented (as opposed to nothing recorded). */
  noKnownAllergies: z.boolean(),
  problems: z.array(problemSummarySchema),
  medications: z.array(medicationSummarySchema),
  /** Latest value per vital-sign code, by code. */
  vitals: z.array(latestObservationSchema),
  /** NEWS2 of the latest complete round of vitals (with a newer incomplete one beside it), as the census shows it; null without any. */
  news2: news2SummarySchema.nullable(),
  /** Latest result per laboratory code, by code. */
  labs: z.array(latestObservationSchema),
  alerts: z.array(chartAlertSchema),
  /** Slots recorded more than once in the last and next day, as the census flags them (absent for a role that may not read medication). */
  dosesRecordedTwice: z.array(doubleDoseSlotSchema),
  /** When this workstation last brought the chart up to date with the hub (an emergency copy: when it was fetched); null before it was loaded. */
  dataAsOf: z.string().nullable(),
});

export const trendPointSchema = z.object({
  /** The effective instant, in UTC (ISO 8601 with milliseconds). */
  time: z.string(),
  value: z.number().nullable(),
  unit: z.string().nullable(),
  /** A coded value in words (the ACVPU level of consciousness), null for a quantity. */
  valueText: z.string().nullable(),
  /** Blood pressure: systolic and diastolic. Empty for single-valued vitals. */
  components: z.array(observationComponentValueSchema),
});

/** given: administered (on time); late: administered after the scheduled time plus tolerance;
 *  held: not given on purpose (status not-done, with a reason); other FHIR statuses pass through. */
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
  /** FHIR MedicationAdministration.status as recorded. */
  status: z.string(),
  scheduledAt: z.string().nullable(),
  administeredAt: z.string().nullable(),
  dose: z.string().nullable(),
  /** Why it was held / not given, or a note. */
  reason: z.string().nullable(),
  performer: z.string().nullable(),
});

export const marRowSchema = z.object({
  medication: medicationSummarySchema,
  administrations: z.array(marAdministrationSchema),
});

/**
 * A payload as the host hands it to the signed-in role: each clinical field (shared/access,
 * chart-fields.ts) may be absent, and is for a role that may not read its category. `fields` must
 * name every field of the schema and no other, so a new field does not compile until it is classified.
 */
function asReadByRole<Shape extends z.ZodRawShape, M extends { readonly [K in keyof Shape]: ChartCategory }>(
  schema: z.ZodObject<Shape>,
  fields: M & { readonly [K in Exclude<keyof M, keyof Shape>]: never },
) {
  const mask = Object.fromEntries(clinicalFields(fields).map((field) => [field, true]));
  return schema.partial(mask as never) as unknown as z.ZodObject<{
    [K in keyof Shape]: K extends ClinicalField<M> ? z.ZodOptional<Shape[K]> : Shape[K];
  }>;
}

/** A census row as chart:census answers it: without the alerts, allergies, vital signs or doses the role may not read. */
export const censusRowSchema = asReadByRole(censusEntrySchema, CENSUS_ROW_FIELDS);
/**
 * A chart summary as chart:summary answers it: without the categories the role may not read (its
 * admission without the reason), and whether this workstation may document the chart (shared/access
 * readOnlyReasonOf, the rule the host enforces on every save).
 */
export const chartSummarySchema = asReadByRole(
  patientSummarySchema.extend({
    encounter: asReadByRole(encounterSummarySchema, ENCOUNTER_SUMMARY_FIELDS).nullable(),
    /** Why nothing can be documented for this patient from this workstation (an emergency copy of a patient on another ward), or null when it can (the role decides the rest). */
    readOnly: z.enum(READ_ONLY_CHART_REASONS).nullable(),
  }),
  CHART_SUMMARY_FIELDS,
);

/** A census row as the vault builds it (every field); the window receives CensusRowData. */
export type CensusEntryData = z.infer<typeof censusEntrySchema>;
/** A chart summary as the vault builds it (every field); the window receives ChartSummaryData. */
export type PatientSummaryData = z.infer<typeof patientSummarySchema>;
/** A census row as the window receives it (chart:census): the clinical fields only for a role that may read them. */
export type CensusRowData = z.infer<typeof censusRowSchema>;
/** A chart summary as the window receives it (chart:summary): the clinical fields only for a role that may read them. */
export type ChartSummaryData = z.infer<typeof chartSummarySchema>;
export type TrendPointData = z.infer<typeof trendPointSchema>;
export type MarRowData = z.infer<typeof marRowSchema>;
