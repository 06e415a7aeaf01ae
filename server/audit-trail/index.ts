// The privacy officer's view of the hub's trail: the audit events workstations uploaded, the reads
// the hub served under break-the-glass, and the sign-ins at the hub, searched as FHIR AuditEvents
// (GET /fhir/AuditEvent, the audit:view role only) and exported (`wardline-hub audit export`).
// Usernames and patients' names and MRNs are resolved when the trail is read, never stored in it;
// repeated census reads are collapsed in the view. Each search and export is itself recorded in the
// trail (audit_trail_views, its own table: who, when, the filters as ids), and so is what IT does from the
// hub's command line (audit_hub_actions: `wardline-hub upstream retry|close`, `ward add`, `token`,
// `user add|change`, `device revoke`, `feed add|revoke`, `rotate-keys`; each action's AuditEvent
// coding in HUB_ACTION_CODING). Reads the audit ingest's,
// the identity room's and the FHIR store's tables, paged by their (time, id) indexes.
export {
  searchAuditTrail,
  authorizeTrailView,
  trailRequestOf,
  DEFAULT_TRAIL_PAGE,
  MAX_TRAIL_PAGE,
  type TrailPage,
} from './trail-search.js';
export { auditTrailMigrations } from './migrations/0001-trail-views.js';
export {
  exportTrail,
  type TrailExporter,
  csvCell,
  TRAIL_EXPORT_FORMATS,
  TRAIL_CSV_COLUMNS,
  type TrailExportFormat,
} from './trail-export.js';
export { searchTrail, type TrailCursor, type TrailFilter, type TrailRow, type TrailSource } from './trail-query.js';
export { filterRecord, type TrailView, type TrailViewKind } from './trail-views.js';
export { AUDIT_REPEATS_EXTENSION_URL, AUDIT_FLAG_SYSTEM } from './trail-events.js';
export {
  recordHubAction,
  HUB_ACTIONS,
  HUB_ACTION_CODING,
  type HubAction,
  type HubActionCoding,
  type HubActionDetail,
  type HubActionRecord,
} from './hub-actions.js';
export { AuditTrailError, type AuditTrailErrorCode } from './audit-trail-error.js';
