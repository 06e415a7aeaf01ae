// The wards the hub serves, as IT sets them up (`wardline-hub ward add|list`): each is the Location
// `ward-{code}` (shared/fhir WARD_SYSTEM, WARD_CODE_PATTERN), written through server/fhir's
// feedTransaction like the ADT feed's writes, so it is versioned, synced to the ward's workstations
// and seen at once by a hub that is serving. The ADT feed admits only to such a ward (AE 103
// otherwise), an enrollment token is issued only for one, and the upstream mirror refuses to start
// with a --upstream-ward that is not one. Retiring a ward is not offered (docs/OPERATIONS.md).
export { addWard, listWards, isWardServed, checkWardCode, type WardAdded, type WardSummary } from './ward-setup.js';
export { WardError, type WardErrorCode } from './ward-error.js';
