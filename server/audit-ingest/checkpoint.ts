// Device-signed checkpoints of the audit chain head: a compact JWS (ES384) over {deviceId,
// sequence, hash, time}, verified with the key the device registered at enrollment and stored as
// evidence. A checkpoint that disagrees with the event the hub holds at that sequence is flagged.
import { compactVerify, type CryptoKey } from 'jose';
import type { FastifyBaseLogger } from 'fastify';
import type { SqlDatabase } from '../storage/index.js';
import {
  AUDIT_CHECKPOINT_TYPE,
  auditCheckpointClaimsSchema,
  DEVICE_KEY_ALG,
  type AuditCheckpointClaims,
  type AuditCheckpointResponse,
} from '../../shared/auth/index.js';
import { AuditIngestError } from './audit-ingest-error.js';
import { recordChainFlag } from './chain-flags.js';

/** How far ahead of the hub's clock a checkpoint's time may be (workstation clock drift). */
const MAX_FUTURE_MS = 5 * 60_000;

export async function recordCheckpoint(
  db: SqlDatabase,
  device: { deviceId: string; publicKey: CryptoKey },
  jws: string,
  now: Date,
  logger?: FastifyBaseLogger,
): Promise<AuditCheckpointResponse> {
  const claims = await verifiedClaims(jws, device.publicKey);
  if (claims.deviceId !== device.deviceId) {
    throw new AuditIngestError('CHECKPOINT_INVALID', 'This checkpoint names another device; a workstation signs only its own chain.', 403);
  }
  if (Date.parse(claims.time) > now.getTime() + MAX_FUTURE_MS) {
    throw new AuditIngestError('CHECKPOINT_INVALID', "The checkpoint's time is in the future. Check the workstation clock.");
  }
  const nowIso = now.toISOString();
  await db.execute(
    `INSERT INTO audit_checkpoints (device_id, sequence, hash, signed_time, jws, received_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [claims.deviceId, claims.sequence, claims.hash, claims.time, jws, nowIso],
  );
  const held = await db.query<{ event_id: string; hash: string }>(
    'SELECT event_id, hash FROM audit_events WHERE device_id = $1 AND sequence = $2',
    [claims.deviceId, claims.sequence],
  );
  if (held.length === 0) return { deviceId: claims.deviceId, sequence: claims.sequence, matchesHeldChain: null };
  const matches = held.some((e) => e.hash === claims.hash);
  if (!matches) {
    for (const event of held) {
      await recordChainFlag(
        db,
        { deviceId: claims.deviceId, sequence: claims.sequence, kind: 'checkpoint-mismatch', eventId: event.event_id },
        nowIso,
        logger,
      );
    }
  }
  return { deviceId: claims.deviceId, sequence: claims.sequence, matchesHeldChain: matches };
}

async function verifiedClaims(jws: string, publicKey: CryptoKey): Promise<AuditCheckpointClaims> {
  let payload: Uint8Array;
  let typ: unknown;
  try {
    ({
      payload,
      protectedHeader: { typ },
    } = await compactVerify(jws, publicKey, { algorithms: [DEVICE_KEY_ALG] }));
  } catch {
    throw new AuditIngestError(
      'CHECKPOINT_SIGNATURE_INVALID',
      "The checkpoint's signature does not match this workstation's registered key (it must be a compact JWS, ES384).",
    );
  }
  if (typ !== AUDIT_CHECKPOINT_TYPE) {
    throw new AuditIngestError('CHECKPOINT_INVALID', `A checkpoint's JWS header must say typ "${AUDIT_CHECKPOINT_TYPE}".`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw new AuditIngestError('CHECKPOINT_INVALID', "The checkpoint's payload is not JSON.");
  }
  const claims = auditCheckpointClaimsSchema.safeParse(parsed);
  if (!claims.success) {
    throw new AuditIngestError(
      'CHECKPOINT_INVALID',
      'A checkpoint holds { deviceId, sequence (from 1), hash (hex SHA-256), time (ISO 8601) }.',
    );
  }
  return claims.data;
}
