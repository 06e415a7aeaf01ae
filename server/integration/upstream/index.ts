// The upstream EHR mirror: the charts of each served ward's patients pulled from an upstream FHIR R4
// server (SMART Backend Services, $everything or per-type search, _lastUpdated polling with a
// persisted cursor per ward and type, paging, 429/Retry-After, backoff through outages) into the
// hub's store, and the documentation workstations uploaded sent back upstream through a durable
// outbox (conditional create on the client id; refusals kept for IT; documentation the EHR
// contradicts held as a conflict, written back tagged for the ward's workstations to settle; later
// versions updated with If-Match, a 412 held as a conflict; the EHR's own later changes to its copy
// taken in as hub versions with a Provenance naming the EHR, neither sent back; its echoes skipped). Deletions at the EHR found by
// re-listing and mirrored as tombstones; an ADT-admitted record merged into the EHR's Patient with
// its MRN, and the feed's visit and the EHR's Encounter of one stay made one (mapped visit-number system); one leader among the hub processes on a database (a lease row, fenced in every write).
// IT puts refused or held documentation back, or closes it for good (recorded in the EHR by hand).
// Owns the upstream_* tables and `wardline-hub upstream status|retry|close`'s content.
export { createUpstreamMirror, type UpstreamMirror, type UpstreamMirrorOptions, type CycleReport } from './upstream-mirror.js';
export {
  UPSTREAM_DEFAULTS,
  parseUpstreamWard,
  parseUpstreamVisitSystem,
  type UpstreamConfig,
  type UpstreamWard,
  type UpstreamVisitSystem,
} from './upstream-config.js';
export { readUpstreamStatus, formatUpstreamStatus, type UpstreamStatus } from './upstream-status.js';
export { retryOutboxEntry, closeOutboxEntry, CLOSE_REASON_MAX, type OutboxEntryAction, type OutboxCloser } from './outbox-actions.js';
export { upstreamMigrations } from './migrations/0001-upstream.js';
export { UpstreamError, type UpstreamErrorCode } from './upstream-error.js';
export { MIRRORED_TYPES } from './upstream-resource.js';
export { FULL_PULL_BATCH } from './chart-mirror.js';
export { HUB_PROVENANCE_TAG_SYSTEM } from './documentation-outbox.js';
