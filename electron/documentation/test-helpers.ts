// For tests that cross rooms (tests/hub): the documentation room's own builders of documentation, a
// correction and its Provenance, so a test sends the hub exactly what the workstation makes.
export { amendedResource } from './amendment.js';
export { clinicalNote, documentationProvenance, medicationAdministration, vitalSignObservations } from './documentation-builders.js';
