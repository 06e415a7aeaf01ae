// The codes and extensions Wardline relies on beyond base FHIR: the MRN system, the MAR's
// scheduled-time extension and the code-status Flag. (The restricted-chart label is shared/access.)
import type { MedicationAdministration } from '@medplum/fhirtypes';

export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** Patient.identifier.system of the hospital medical record number ("MRN" + 7 digits). */
export const MRN_SYSTEM = 'urn:wardline:mrn';

/**
 * Identifier system of what a workstation creates: the value is the client UUID it was created
 * under. The hub and the upstream EHR both deduplicate creates on it (If-None-Exist).
 */
export const CLIENT_ID_SYSTEM = 'urn:wardline:client-id';

/**
 * MedicationAdministration extension (valueDateTime) holding the dose's scheduled time. With it a
 * MAR computes due/given/late/held: `effectiveDateTime` is when the dose was actually given (or,
 * for status `not-done`, when it was held), `request` links the MedicationRequest.
 */
export const SCHEDULED_TIME_EXTENSION_URL = 'urn:wardline:extension:scheduled-time';

export function scheduledTimeOf(administration: MedicationAdministration): string | undefined {
  return administration.extension?.find((e) => e.url === SCHEDULED_TIME_EXTENSION_URL)?.valueDateTime;
}

export const FLAG_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/flag-category';

/**
 * A ward the hub serves is the Location `ward-{code}` (physicalType `wa`, identifier
 * WARD_SYSTEM|code), set up by IT with `wardline-hub ward add`. The code is what the ADT feed sends
 * in PV1-3's first component: 1–24 letters, digits, "." or "-" (so `ward-{code}` is a FHIR id, and
 * a bed under it, `ward-{code}-room-{room}-bed-{bed}`, is one too).
 */
export const WARD_SYSTEM = 'urn:wardline:ward';
export const WARD_CODE_PATTERN = /^[A-Za-z0-9.-]{1,24}$/;
/** The ward code rule in words, for every refusal of a code that breaks WARD_CODE_PATTERN. */
export const WARD_CODE_RULE = 'A ward code is 1–24 letters, digits, "." or "-" (as the ADT feed sends it in PV1-3).';

/** True when `code` is a ward code (WARD_CODE_PATTERN): the one check of the workstation's policy, enrollment, accounts, wards, ADT and the mirror. */
export function isWardCode(code: unknown): code is string {
  return typeof code === 'string' && WARD_CODE_PATTERN.test(code);
}

export function wardLocationId(code: string): string {
  return `ward-${code}`;
}

/** Location.physicalType codes (`wa` ward, `ro` room, `bd` bed) and Location.operationalStatus (HL7 v2 table 0116: O occupied, U unoccupied). */
export const LOCATION_PHYSICAL_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/location-physical-type';
export const BED_STATUS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0116';

/**
 * Code status is an active Flag with category `advance-directive` (FLAG_CATEGORY_SYSTEM) and one of
 * these SNOMED CT codes in Flag.code; the chart banner shows its display.
 */
export const CODE_STATUS = Object.freeze({
  category: Object.freeze({ system: FLAG_CATEGORY_SYSTEM, code: 'advance-directive', display: 'Advance Directive' }),
  fullCode: Object.freeze({ system: SNOMED_SYSTEM, code: '304252001', display: 'For resuscitation' }),
  doNotResuscitate: Object.freeze({ system: SNOMED_SYSTEM, code: '304253006', display: 'Not for resuscitation' }),
});
