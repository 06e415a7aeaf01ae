// The documentation room: documentation made on this workstation (vital signs, medication
// administrations, checked against the five rights first; notes, amendments of cached resources:
// corrections and entered-in-error, with a coded reason) built as valid FHIR and stored with its
// outbox entry, the downtime and combination Provenances, what kind of documentation an outbox
// entry is (and the actions it needs), whether a chart may be documented here at all (not an
// emergency copy of a patient on another ward), and settling the conflicts the hub's answers left. It sits
// on top of the sync room, which pushes the outbox and knows nothing of documentation.
export { Documentation, openDocumentation } from './documentation.js';
export { DOWNTIME_POLICY_URI, CONFLICT_COMBINATION_POLICY_URI, noteKindOf, type DocumentationAuthor } from './documentation-builders.js';
export type { AuditBeforeCommit, DocumentationReceipt } from './local-documentation.js';
export type { AdministrationSafetyPolicy } from './administration-safety.js';
export type { ConflictChoice } from './conflict-resolution.js';
export { withdrawnRecordsOf, type WithdrawnRecord } from './withdrawn-records.js';
export { documentationKindOf, readActionsOf, documentActionsOf, type DocumentationKind } from './documentation-kind.js';
export { recordedEntries } from './amendment.js';
export { readOnlyReasonFor } from './read-only-charts.js';
