// What every FHIR interaction is given: the database, the time, the base URL for links, the
// caller's access, the Prefer header, and the audit ingest it hands AuditEvents to.
import type { AuditEvent } from '../../shared/fhir/index.js';
import type { Principal } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import type { Access } from './access-policy.js';
import type { WriteJournal } from './write-policy.js';

/** The part of the audit ingest room the FHIR routes call (injected by server/app.ts). */
export interface AuditUpload {
  /**
   * Stores a run of events in order, as one after another; the first refusal is thrown.
   * `receivedTexts[i]`, when given, is events[i]'s JSON text as received (stored as it is).
   */
  recordAuditEvents(
    tx: SqlDatabase,
    principal: Principal,
    events: readonly AuditEvent[],
    nowIso: string,
    receivedTexts?: readonly (string | undefined)[],
  ): Promise<{ created: boolean }[]>;
  auditChainStatus(db: SqlDatabase, deviceId: string): Promise<{ highestContiguousSequence: number }>;
}

/** The privacy officer's search of the hub's trail (server/audit-trail, injected by server/app.ts). */
export interface AuditTrailSearch {
  search(principal: Principal, query: URLSearchParams, baseUrl: string, now: Date): Promise<{ body: string }>;
}

export type PreferReturn = 'representation' | 'minimal' | 'OperationOutcome';

export interface FhirContext {
  readonly db: SqlDatabase;
  readonly clock: () => Date;
  /** e.g. `https://hub.example:8443/fhir` (no trailing slash). */
  readonly baseUrl: string;
  readonly access: Access;
  readonly prefer: PreferReturn;
  readonly audit: AuditUpload | null;
  readonly trail: AuditTrailSearch | null;
  /** The writes of the current write transaction, judged together before it commits; null outside one. */
  readonly writes: WriteJournal | null;
}

export interface FhirResponse {
  readonly status: number;
  /** JSON (text or UTF-8 bytes), or null for no body. */
  readonly body: string | Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export function preferOf(header: string | string[] | undefined): PreferReturn {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const match = /return=(minimal|representation|OperationOutcome)/.exec(value);
  return (match?.[1] as PreferReturn | undefined) ?? 'representation';
}
