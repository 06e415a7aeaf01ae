// For tests that cross rooms (tests/hub): the documentation room's own builders of a correction and
// its Provenance, so a test sends the hub exactly what the workstation's amend makes.
export { amendedResource } from './amendment.js';
export { documentationProvenance } from './documentation-builders.js';
