// FHIR R4 for Wardline: validation of every resource on its way in (zod schemas for the supported
// types), reference helpers, the codes/extensions Wardline relies on, and the marks a change of
// recorded documentation carries (correction-marks.ts), and who a record may name as having done
// it (documentation-performers.ts). Runtime-neutral.
export type {
  AllergyIntolerance,
  Annotation,
  Attachment,
  AuditEvent,
  Bundle,
  BundleEntry,
  CodeableConcept,
  Coding,
  Condition,
  DocumentReference,
  Dosage,
  Encounter,
  Extension,
  ExtractResource,
  Flag,
  HumanName,
  Identifier,
  Location,
  MedicationAdministration,
  MedicationRequest,
  Meta,
  Observation,
  OperationOutcome,
  Patient,
  Period,
  Practitioner,
  Provenance,
  Quantity,
  Range,
  Ratio,
  Reference,
  Resource,
  ResourceType,
  Timing,
} from '@medplum/fhirtypes';
export { SUPPORTED_RESOURCE_TYPES, isSupportedResourceType, type SupportedResourceType } from './resource-types.js';
export { FhirValidationError } from './validation-error.js';
export { ID_PATTERN, INSTANT_PATTERN } from './primitives.js';
export { validateResource } from './validate.js';
export { PATIENT_OWNED_TYPES, isPatientOwnedType, patientIdOf, referenceId } from './references.js';
export { endOfChain, replacedBy } from './merge-chain.js';
export {
  cacheWindowStartMs,
  careEndMs,
  careWindowEndMs,
  dateUpperBoundMs,
  DEFAULT_CACHE_DAYS_BEFORE_ADMISSION,
  isInCareWindow,
  isTimeless,
} from './clinical-window.js';
export {
  CLIENT_ID_SYSTEM,
  CODE_STATUS,
  FLAG_CATEGORY_SYSTEM,
  LOINC_SYSTEM,
  MRN_SYSTEM,
  RXNORM_SYSTEM,
  SCHEDULED_TIME_EXTENSION_URL,
  SNOMED_SYSTEM,
  UCUM_SYSTEM,
  scheduledTimeOf,
  LOCATION_PHYSICAL_TYPE_SYSTEM,
  BED_STATUS_SYSTEM,
  WARD_SYSTEM,
  WARD_CODE_PATTERN,
  WARD_CODE_RULE,
  isWardCode,
  wardLocationId,
} from './wardline-conventions.js';
export {
  UPSTREAM_CONFLICT_TAG_SYSTEM,
  UPSTREAM_WITHHELD_TAG_SYSTEM,
  UPSTREAM_CONFLICT_CODES,
  UPSTREAM_CONFLICT_REASONS,
  isUpstreamConflictCode,
  upstreamConflictOfVersion,
  isUpstreamWithheld,
  ehrCopyOfConflict,
  withoutUpstreamMarks,
  type UpstreamConflictCode,
} from './upstream-conflict.js';
export { nameHasEveryWord, nameWords } from './name-search.js';
export {
  changeOfRetracted,
  isRetracted,
  OBSERVATION_CORRECTION_STATUSES,
  RETRACTED_IN_EHR_MESSAGE,
  RETRACTED_IS_FINAL_MESSAGE,
  RETRACTED_STATUS,
  unmarkedCorrection,
  withdrawalUndoneBy,
} from './correction-marks.js';
export {
  CONFLICT_COMBINATION_POLICY_URI,
  RECORDED_AGAIN_POLICY_URI,
  noteAuthorOf,
  noteOfSomeoneElse,
  performerNotRecorder,
  performersOf,
  type DocumentationRecorder,
  type NamedPerformer,
} from './documentation-performers.js';
export { MAX_BUNDLE_ENTRIES, MAX_REQUEST_BODY_BYTES, MAX_RESOURCE_DEPTH } from './request-limits.js';
export { auditEventOutsideShape, type AuditEventShapeBreach } from './audit-event-shape.js';
export {
  AUDIT_AGENT_LABELS,
  AUDIT_CODES,
  AUDIT_ENTITY_TYPE,
  AUDIT_EVENT_TYPE,
  AUDIT_REVIEW_PURPOSE,
  AUDIT_SOURCE_SITE,
  BALP,
  DCM,
  EXTRA_SECURITY_ROLE_TYPE,
  OBJECT_ROLE,
  PARTICIPATION_TYPE,
  RESTFUL_INTERACTION,
  SECURITY_SOURCE_TYPE,
  WARDLINE_AUDIT_SUBTYPE,
  WARDLINE_USER_SYSTEM,
  WARDLINE_WORKSTATION_SYSTEM,
  auditOutcomeDescriptionOf,
  isAuditAgentLabel,
  isAuditCodeDisplay,
} from './audit-event-codes.js';
