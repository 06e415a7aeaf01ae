// One entry of the audit trail: what is hashed (the body), its place in the chain, and how the
// hash is computed: SHA-256 over the previous entry's hash (64 lowercase hex characters, ASCII)
// followed by the canonical JSON (RFC 8785, UTF-8) of the body. The body carries its own sequence,
// so an entry moved to another place no longer verifies. Defined for readers in docs/AUDIT.md.
import { createHash } from 'node:crypto';
import { GENESIS_PREVIOUS_HASH } from '../../shared/auth/index.js';
import { canonicalJson } from '../../shared/json/index.js';

export { GENESIS_PREVIOUS_HASH };

/** What happened. Reads and queries touch patient data; the rest are security events. */
export const AUDIT_ACTIONS = [
  'chart-read',
  'query',
  'print',
  'create',
  'update',
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'lock',
  'unlock',
  'unlock-failed',
  'user-switch',
  'pin-set',
  'pin-lockout',
  'verifier-revoked',
  'btg-start',
  'btg-stop',
  'purge',
  'enrollment',
  'wipe',
  'rekey',
  'pin-mismatch',
  'device-refused',
  'ipc-rejected',
  'audit-view',
  'audit-export',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** FHIR AuditEvent.outcome, by name: 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
export type AuditOutcome = 'success' | 'minor-failure' | 'serious-failure' | 'major-failure';

/** Small facts beside the entry: reason codes, the view shown, counts. Never free-form clinical data. */
export type AuditDetail = Readonly<Record<string, string | number | boolean>>;

/** The hashed content of an entry, exactly as its canonical JSON is stored. */
export interface AuditEntryBody {
  /** Position in the chain, from 1, without gaps. */
  readonly sequence: number;
  /** When it happened: ISO 8601 UTC with milliseconds. */
  readonly time: string;
  /** The workstation (this audit log's own id, made when the log was created). */
  readonly device: string;
  /** The hub's user id of whoever acted, or null (a failed sign-in by an unknown name, the system). */
  readonly user: string | null;
  /** The session the action belongs to, when there is one. */
  readonly session: string | null;
  readonly action: AuditAction;
  /** The one patient concerned (a query writes one entry per patient), or null. */
  readonly patient: string | null;
  /** References ("Type/id") of the resources concerned, sorted. */
  readonly resources: readonly string[];
  readonly outcome: AuditOutcome;
  /** HL7 v3 ActReason code (TREAT, ETREAT, …), or null when no patient data is concerned. */
  readonly purposeOfUse: string | null;
  /** Whether the user asked for it (false: an idle timeout, the system acting on its own). */
  readonly requestor: boolean;
  /** For a query: the query as FHIR search text (e.g. "Encounter?location=…"), else null. */
  readonly query: string | null;
  readonly detail: AuditDetail;
}

/** An entry as stored: its body and its links. */
export interface AuditEntry extends AuditEntryBody {
  readonly previousHash: string;
  readonly hash: string;
}

/** What a caller hands to `record`: the body without what the log fills in. */
export interface NewAuditEntry {
  readonly action: AuditAction;
  /** Epoch ms; the log's clock when absent. */
  readonly at?: number;
  readonly user?: string | null;
  readonly session?: string | null;
  readonly patient?: string | null;
  readonly resources?: readonly string[];
  readonly outcome?: AuditOutcome;
  readonly purposeOfUse?: string | null;
  readonly requestor?: boolean;
  readonly query?: string | null;
  readonly detail?: AuditDetail;
}

/** hash = SHA-256(previousHash ‖ canonical JSON of the body), lowercase hex. */
export function entryHash(previousHash: string, bodyJson: string): string {
  return createHash('sha256').update(previousHash, 'latin1').update(bodyJson, 'utf8').digest('hex');
}

/** The canonical JSON text of a body (what is stored and hashed). */
export function bodyJsonOf(body: AuditEntryBody): string {
  return canonicalJson(body);
}
