// A device-signed checkpoint of the workstation's audit chain head: compact JWS (ES384) over
// {deviceId, sequence, hash, time}, posted to the hub's POST /audit/checkpoint.
import { CompactSign, type CryptoKey } from 'jose';
import { AUDIT_CHECKPOINT_TYPE, DEVICE_KEY_ALG } from './wire-constants.js';
import { auditCheckpointClaimsSchema, type AuditCheckpointClaims } from './schemas.js';

export async function createAuditCheckpoint(privateKey: CryptoKey, claims: AuditCheckpointClaims): Promise<string> {
  const payload = auditCheckpointClaimsSchema.parse(claims);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: DEVICE_KEY_ALG, typ: AUDIT_CHECKPOINT_TYPE })
    .sign(privateKey);
}
