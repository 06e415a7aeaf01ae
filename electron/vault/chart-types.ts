// What the chart queries return: plain, serialisable objects shaped for the screens (census,
// chart summary, trend, MAR). Times are ISO 8601 strings as the hub wrote them; absent facts are null.
import type { News2Summary } from '../../shared/vital-signs/index.js';

/** An active Flag (an alert shown on the census and the chart banner). */
export interface ChartAlert {
  readonly id: string;
  readonly text: string;
  /** Flag.category code, e.g. "safety", "clinical", "behavioral". */
  readonly category: string | null;
}

export interface CensusEntry {
  readonly patientId: string;
  /** "Family, Given" from the official (or first) name. */
  readonly name: string;
  readonly birthDate: string | null;
  readonly gender: string | null;
  readonly mrn: string | null;
  /** The bed (Location display or id) of the in-progress encounter. */
  readonly bed: string | null;
  readonly encounterId: string;
  /** Encounter.period.start. */
  readonly admittedAt: string | null;
  readonly alerts: readonly ChartAlert[];
  readonly hasAllergies: boolean;
  /** "No known allergies" documented (and no allergy): as opposed to nothing recorded. */
  readonly noKnownAllergies: boolean;
  readonly lastVitalsAt: string | null;
  /** NEWS2 of the latest set of vitals, or null without any. */
  readonly news2: News2Summary | null;
}

export interface PatientHeader {
  readonly id: string;
  readonly name: string;
  readonly birthDate: string | null;
  readonly gender: string | null;
  readonly mrn: string | null;
}

export interface EncounterSummary {
  readonly id: string;
  readonly status: string;
  readonly admittedAt: string | null;
  readonly bed: string | null;
  readonly ward: string | null;
  readonly reason: string | null;
}

export interface AllergySummary {
  readonly id: string;
  readonly substance: string;
  readonly criticality: string | null;
  /** Reaction manifestations, as text. */
  readonly reactions: readonly string[];
  readonly verification: string | null;
}

export interface ProblemSummary {
  readonly id: string;
  readonly text: string;
  readonly code: string | null;
  readonly onset: string | null;
}

export interface MedicationSummary {
  readonly requestId: string;
  readonly medication: string;
  readonly code: string | null;
  /** Dosage instruction text (dose, route, frequency). */
  readonly dosage: string | null;
  /** As needed (PRN): no scheduled times. */
  readonly asNeeded: boolean;
  /** Scheduled times of day (hh:mm, the ward's clock) from the order's timing. */
  readonly timesOfDay: readonly string[];
  readonly status: string;
  readonly authoredOn: string | null;
}

export interface ObservationComponentValue {
  readonly code: string;
  readonly display: string | null;
  readonly value: number | null;
  readonly unit: string | null;
}

/** The latest observation for one code (a vital sign or a lab). */
export interface LatestObservation {
  readonly observationId: string;
  /** The code as stored: "system|code" (e.g. "http://loinc.org|8867-4"), or the bare code. */
  readonly code: string;
  readonly display: string | null;
  readonly time: string | null;
  readonly value: number | null;
  /** valueString / valueCodeableConcept text, when the value is not a quantity. */
  readonly valueText: string | null;
  readonly unit: string | null;
  /** Interpretation code (e.g. "H", "L", "N", "HH"), labs mainly. */
  readonly interpretation: string | null;
  readonly referenceRange: string | null;
  /** Blood pressure panels carry systolic/diastolic here. */
  readonly components: readonly ObservationComponentValue[];
}

export interface PatientSummary {
  readonly patient: PatientHeader;
  /** The in-progress encounter, or the latest one when none is in progress. */
  readonly encounter: EncounterSummary | null;
  readonly allergies: readonly AllergySummary[];
  /** True when "no known allergies" is documented (as opposed to nothing recorded). */
  readonly noKnownAllergies: boolean;
  readonly problems: readonly ProblemSummary[];
  readonly medications: readonly MedicationSummary[];
  /** Latest value per vital-sign code, by code. */
  readonly vitals: readonly LatestObservation[];
  /** Latest result per laboratory code, by code. */
  readonly labs: readonly LatestObservation[];
  readonly alerts: readonly ChartAlert[];
}

export interface TrendPoint {
  /** The effective instant, in UTC (ISO 8601 with milliseconds). */
  readonly time: string;
  readonly value: number | null;
  readonly unit: string | null;
  /** Blood pressure: systolic and diastolic. Empty for single-valued vitals. */
  readonly components: readonly ObservationComponentValue[];
}

/** given: administered (on time); late: administered after the scheduled time plus tolerance;
 *  held: not given on purpose (status not-done, with a reason); other FHIR statuses pass through. */
export type MarAdministrationState = 'given' | 'late' | 'held' | 'in-progress' | 'on-hold' | 'stopped' | 'entered-in-error' | 'unknown';

export interface MarAdministration {
  readonly id: string;
  readonly state: MarAdministrationState;
  /** FHIR MedicationAdministration.status as recorded. */
  readonly status: string;
  readonly scheduledAt: string | null;
  readonly administeredAt: string | null;
  readonly dose: string | null;
  /** Why it was held / not given, or a note. */
  readonly reason: string | null;
  readonly performer: string | null;
}

export interface MarRow {
  readonly medication: MedicationSummary;
  readonly administrations: readonly MarAdministration[];
}

/** A note (DocumentReference) as the chart shows it. */
export interface NoteEntry {
  readonly id: string;
  /** DocumentReference.date. */
  readonly date: string | null;
  /** The description, else the attachment's title, else the note type. */
  readonly title: string;
  /** The first author's display (or reference). */
  readonly author: string | null;
  /** The plain text of the note; empty when it carries none. */
  readonly text: string;
  /** DocumentReference.status (current, superseded, entered-in-error). */
  readonly status: string;
}
