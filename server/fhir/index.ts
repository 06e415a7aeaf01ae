// The hub's FHIR R4 API: the routes under /fhir, the versioned resource store behind them (see
// store/), ward-scoped access with break-the-glass, Bundles, paging, and the CapabilityStatement.
export { registerFhirRoutes, type FhirRoutesOptions } from './fhir-routes.js';
export { resourceStoreMigrations } from './store/index.js';
export { capabilityStatement, capabilityOf, supports, CAPABILITY_TYPES } from './capability.js';
export { FhirError, type FhirErrorCode } from './fhir-error.js';
export { BTG_REASON_HEADER, integrationAccess } from './access-policy.js';
export { MAX_BUNDLE_ENTRIES } from './bundle-request.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './search-parameters.js';
export { importResources, putResources, deleteResources } from './import-resources.js';
export { writeExternalVersions, PreparedResource, type ExternalDecision, type ExternalWriteResult } from './external-versions.js';
export type { AuditUpload, AuditTrailSearch } from './fhir-context.js';
export { patientLabels, patientIdsByMrn, patientIdsByName, nameMatches, patientNameOf, type PatientLabel } from './patient-labels.js';
export type { FhirResponse } from './fhir-context.js';
export {
  asciiJson,
  prepareContent,
  type PreparedContent,
  parseInstantRange,
  followOnWards,
  wardsThatHeld,
  versionContentSql,
} from './store/index.js';
export { DATA_OPERATION, PARTICIPANT_TYPE } from './hub-provenance.js';
export { feedTransaction, writesInTransaction, type FeedWriter, type FeedResource } from './feed-writes.js';
export { feedGroupTransaction, type FeedGroup, type IdentifierLookup } from './feed-group.js';
export { followMergedRecords, survivingPatient } from './surviving-references.js';
export { readCurrent, contentText } from './store/index.js';
