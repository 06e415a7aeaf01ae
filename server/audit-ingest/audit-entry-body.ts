// The hashed entry inside an uploaded AuditEvent (the audit-chain extension's `entry`: base64 of the
// entry's canonical JSON, docs/AUDIT.md). The hub recomputes the entry's hash from it, SHA-256 of
// previousHash ‖ entry, rather than trusting the hash it was sent, and takes what the trail is
// searched on (time, user, patient, action, session, query, outcome) from this hashed content.
import { createHash } from 'node:crypto';
import { AUDIT_CHAIN_EXTENSION_URL } from '../../shared/auth/index.js';
import { canonicalJson } from '../../shared/json/index.js';
import type { ChainPosition } from './audit-chain-extension.js';

/** The entry's canonical JSON text as uploaded, or null when the event carries none. */
export function entryOf(event: unknown): string | null {
  const extensions = (event as { extension?: unknown }).extension;
  if (!Array.isArray(extensions)) return null;
  const chain = extensions.find((e) => (e as { url?: unknown } | null)?.url === AUDIT_CHAIN_EXTENSION_URL) as
    { extension?: unknown } | undefined;
  const parts = Array.isArray(chain?.extension) ? (chain.extension as { url?: unknown; valueBase64Binary?: unknown }[]) : [];
  const value = parts.find((e) => e?.url === 'entry')?.valueBase64Binary;
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return null;
  return Buffer.from(value, 'base64').toString('utf8');
}

/** The entry's body (parsed once; null when it is not a JSON object). */
export function entryBodyOf(entry: string): Record<string, unknown> | null {
  return parseObject(entry);
}

/** Whether the entry is canonical JSON of an object whose own sequence is the chain position's, and hashes to the hash sent. */
export function entryMatchesChain(entry: string, body: Record<string, unknown> | null, position: ChainPosition): boolean {
  if (body === null || body.sequence !== position.sequence) return false;
  let canonical: string;
  try {
    canonical = canonicalJson(body);
  } catch {
    return false;
  }
  if (canonical !== entry) return false;
  return createHash('sha256').update(position.previousHash, 'ascii').update(entry, 'utf8').digest('hex') === position.hash;
}

/** What the privacy officer's view searches on, from the hashed entry (the event's `recorded` when there is none), and the event's type codes. */
export interface TrailIndex {
  readonly recordedMs: number | null;
  readonly userId: string | null;
  readonly patientId: string | null;
  readonly action: string | null;
  readonly sessionId: string | null;
  readonly query: string | null;
  readonly outcome: string | null;
  /** A failed sign-in's username as the workstation recorded it (`detail.username`), when it did. */
  readonly usernameTried: string | null;
  /** AuditEvent.type.code and subtype[0].code (from the event: the entry has the Wardline action). */
  readonly typeCode: string | null;
  readonly subtypeCode: string | null;
}

/** The index's values in the order of the audit_events columns recorded_ms … subtype_code (insert and backfill share it). */
export function trailIndexValues(index: TrailIndex): unknown[] {
  return [
    index.recordedMs,
    index.userId,
    index.patientId,
    index.action,
    index.sessionId,
    index.query,
    index.outcome,
    index.usernameTried,
    index.typeCode,
    index.subtypeCode,
  ];
}

export function indexOfEntry(body: Record<string, unknown> | null, event: unknown): TrailIndex {
  const detail = body?.detail !== null && typeof body?.detail === 'object' ? (body.detail as Record<string, unknown>) : null;
  return {
    recordedMs: timeOf(body?.time) ?? timeOf((event as { recorded?: unknown } | null)?.recorded),
    userId: indexText(body?.user),
    patientId: indexText(body?.patient),
    action: indexText(body?.action),
    sessionId: indexText(body?.session),
    query: indexText(body?.query),
    outcome: indexText(body?.outcome),
    usernameTried: indexText(detail?.username),
    typeCode: indexText((event as { type?: { code?: unknown } } | null)?.type?.code),
    subtypeCode: indexText((event as { subtype?: { code?: unknown }[] } | null)?.subtype?.[0]?.code),
  };
}

// Module-level helpers: closures made per call cost a property definition each under tsx (keepNames).
function indexText(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 2048) : null;
}

function timeOf(value: unknown): number | null {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
