// The AuditEvent id of an entry: a name-based UUID (version 5, RFC 9562) of the workstation id and
// the sequence, so the same entry always uploads under the same id (a repeat PUT is harmless) and
// two workstations never collide. 36 characters: a valid FHIR id.
import { createHash } from 'node:crypto';

/** The namespace of Wardline audit entry ids (a fixed, randomly chosen UUID). */
export const AUDIT_EVENT_ID_NAMESPACE = '6f1d2f0e-3c57-4d8a-9b4e-2a7c1e5d9f30';

const NAMESPACE_BYTES = Buffer.from(AUDIT_EVENT_ID_NAMESPACE.replaceAll('-', ''), 'hex');

export function auditEventIdOf(workstationId: string, sequence: number): string {
  const digest = createHash('sha1').update(NAMESPACE_BYTES).update(`${workstationId}/${sequence}`, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
