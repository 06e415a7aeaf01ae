// Reads an uploaded AuditEvent: its id, and its position in the device's hash chain from the
// audit-chain extension (sequence from 1, previousHash, hash — lowercase hex SHA-256).
import { AUDIT_CHAIN_EXTENSION_URL } from '../../shared/auth/index.js';
import { AuditIngestError } from './audit-ingest-error.js';

export interface ChainPosition {
  readonly eventId: string;
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
  /** `AuditEvent.source.observer.reference`, when present. */
  readonly observer: string | undefined;
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

interface Extension {
  url?: unknown;
  extension?: unknown;
  valueInteger?: unknown;
  valueString?: unknown;
}

export function chainPositionOf(event: unknown): ChainPosition {
  if (typeof event !== 'object' || event === null || (event as { resourceType?: unknown }).resourceType !== 'AuditEvent') {
    throw new AuditIngestError('AUDIT_EVENT_INVALID', 'Only AuditEvent resources are accepted here.');
  }
  const resource = event as { id?: unknown; extension?: unknown; source?: { observer?: { reference?: unknown } } };
  if (typeof resource.id !== 'string' || !FHIR_ID.test(resource.id)) {
    throw new AuditIngestError(
      'AUDIT_EVENT_INVALID',
      'An uploaded AuditEvent needs its client-assigned id (1–64 letters, digits, "-" or ".").',
    );
  }
  const chain = asExtensions(resource.extension).find((e) => e.url === AUDIT_CHAIN_EXTENSION_URL);
  if (chain === undefined) {
    throw new AuditIngestError(
      'AUDIT_CHAIN_MISSING',
      `AuditEvent ${resource.id} has no audit-chain extension (${AUDIT_CHAIN_EXTENSION_URL}).`,
    );
  }
  const parts = asExtensions(chain.extension);
  const sequence = parts.find((e) => e.url === 'sequence')?.valueInteger;
  const previousHash = parts.find((e) => e.url === 'previousHash')?.valueString;
  const hash = parts.find((e) => e.url === 'hash')?.valueString;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) {
    throw new AuditIngestError('AUDIT_CHAIN_MISSING', `AuditEvent ${resource.id}: the audit-chain "sequence" must be an integer from 1.`);
  }
  if (typeof previousHash !== 'string' || !HEX_SHA256.test(previousHash) || typeof hash !== 'string' || !HEX_SHA256.test(hash)) {
    throw new AuditIngestError(
      'AUDIT_CHAIN_MISSING',
      `AuditEvent ${resource.id}: "previousHash" and "hash" must be lowercase hex SHA-256 values.`,
    );
  }
  const reference = resource.source?.observer?.reference;
  return { eventId: resource.id, sequence, previousHash, hash, observer: typeof reference === 'string' ? reference : undefined };
}

function asExtensions(value: unknown): Extension[] {
  return Array.isArray(value) ? value.filter((e): e is Extension => typeof e === 'object' && e !== null) : [];
}
