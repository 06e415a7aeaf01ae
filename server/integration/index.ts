// The hub's integrations with the hospital's systems. upstream/: the mirror of the EHR's charts from
// its FHIR R4 server and the documentation sent back to it.
export * from './upstream/index.js';
