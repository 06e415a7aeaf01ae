// The versioned FHIR resource store: tables and migrations, the hub clock, writes (new versions,
// tombstones), reads, search, history, patient compartments and ward scope, as SQL on SqlDatabase.
export { resourceStoreMigrations } from './resource-store-migrations.js';
export { beginWrite, endWrite, readWatermark, watermarkInstant, stampToInstant, parseInstantRange } from './hub-clock.js';
export type { WriteSession, Watermark, InstantRange } from './hub-clock.js';
export {
  readCurrent,
  readCurrentMany,
  readVersion,
  writeVersions,
  writeDeletion,
  VersionBatch,
  type NewVersion,
  type PreparedNewVersion,
} from './resource-store.js';
export { prepareContent, type PreparedContent } from './prepared-content.js';
export { contentText, versionContentSql, type StoredResource } from './stored-resource.js';
export { asciiJson } from './ascii-json.js';
export { currentByIdentifier, currentByIdentifiers, currentByToken, currentOfPatient } from './identifier-lookup.js';
export { searchResources, countResources, readManyInScope, patientCompartment } from './search-query.js';
export type { SearchFilter, SearchQuery, SearchOrder, SearchPosition, TokenAlternative, Comparator } from './search-query.js';
export { patientCompartmentPage, type CompartmentPage, type CompartmentPageQuery, type EntryFrame } from './compartment-page.js';
export { historyVersions, type HistoryQuery } from './history-query.js';
export { followOnWards, wardsThatHeld } from './ward-followed.js';
export { isPatientOnWard, isPatientRestricted, wardStayEndStamp, SHARED_TYPES, type AccessScope } from './access-scope.js';
export { noteLateUploads, isLateUploadOf, type RecordRef } from './late-uploads.js';
export { wardLocationRef, normalizeReference, identifierTokensOf, tokensOf } from './index-terms.js';
export { DATE_SEARCH_PARAM } from './clinical-terms.js';
export { nameWords, patientNameOf } from './patient-name.js';
export { patientIdsByNameWords } from './patient-name-lookup.js';
