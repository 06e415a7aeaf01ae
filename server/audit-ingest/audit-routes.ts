// The audit endpoints a workstation calls with its device token: GET /audit/chain (where its chain
// stands at the hub) and POST /audit/checkpoint (a signed chain head). AuditEvents themselves
// arrive through the FHIR batch endpoint, which calls recordAuditEvent for each entry.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { devicePublicKey, sendOutcome } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { auditCheckpointRequestSchema, type AuditChainStatusResponse } from '../../shared/auth/index.js';
import { AuditIngestError } from './audit-ingest-error.js';
import { auditChainStatus } from './chain-status.js';
import { recordCheckpoint } from './checkpoint.js';

export interface AuditIngestDeps {
  readonly db: SqlDatabase;
  readonly clock: () => Date;
  readonly logger: FastifyBaseLogger;
}

/** Registers the audit endpoints; needs `app.authenticate`, so call it after registerIdentity. */
export async function registerAuditIngest(app: FastifyInstance, deps: AuditIngestDeps): Promise<void> {
  const { db, clock, logger } = deps;
  await app.register(async (scope) => {
    scope.setErrorHandler((error, _request, reply) => {
      if (error instanceof AuditIngestError) return sendOutcome(reply, error.httpStatus, error.code, error.message);
      const status =
        typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
      if (status >= 400 && status < 500)
        return sendOutcome(reply, status, 'INVALID_REQUEST', 'The request body could not be read; send JSON { jws }.');
      logger.error(
        { event: 'audit-ingest-error', err: { name: (error as Error).name, code: (error as { code?: unknown }).code } },
        'audit endpoint failed',
      );
      return sendOutcome(
        reply,
        500,
        'INTERNAL',
        'The hub could not complete this request. Try again; if it persists, ask IT to check the hub logs.',
      );
    });

    scope.get('/audit/chain', { preHandler: app.authenticate }, async (request, reply) => {
      const { deviceId } = request.principal.device;
      const response: AuditChainStatusResponse = { deviceId, ...(await auditChainStatus(db, deviceId)) };
      return reply.header('Cache-Control', 'no-store').send(response);
    });

    scope.post('/audit/checkpoint', { preHandler: app.authenticate }, async (request, reply) => {
      const body = auditCheckpointRequestSchema.safeParse(request.body);
      if (!body.success) return sendOutcome(reply, 400, 'INVALID_REQUEST', 'Send JSON { jws } with the compact JWS of the chain head.');
      const { deviceId } = request.principal.device;
      const publicKey = await devicePublicKey(db, deviceId);
      if (publicKey === null) return sendOutcome(reply, 401, 'DEVICE_REVOKED', "This workstation's enrollment was revoked by IT.");
      const result = await recordCheckpoint(db, { deviceId, publicKey }, body.data.jws, clock(), logger);
      logger.info(
        { event: 'audit-checkpoint', deviceId, sequence: result.sequence, matches: result.matchesHeldChain },
        'audit checkpoint stored',
      );
      return reply.code(201).send(result);
    });
  });
}
