// The hub's composition: Fastify over HTTPS only (TLS ≥ 1.2), migrations, the identity room
// (tokens, users, devices; it provides `authenticate`), the audit ingest, the FHIR routes, and the
// privacy officer's search of the trail (answered for GET /fhir/AuditEvent).
// The hub keeps no state that matters outside its database, so several processes can share one
// PostgreSQL.
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { auditChainStatus, auditIngestMigrations, recordAuditEvents, registerAuditIngest } from './audit-ingest/index.js';
import { auditTrailMigrations, searchAuditTrail } from './audit-trail/index.js';
import { registerFhirRoutes, resourceStoreMigrations } from './fhir/index.js';
import { adtMigrations, upstreamMigrations } from './integration/index.js';
import { identityMigrations, registerIdentity, type RateLimitOptions, type SignInRetention } from './identity/index.js';
import { registerRequestLogging } from './logging.js';
import { runMigrations, type SqlDatabase } from './storage/index.js';
import { MAX_REQUEST_BODY_BYTES } from '../shared/fhir/index.js';

export const DEFAULT_BODY_LIMIT = MAX_REQUEST_BODY_BYTES;

export interface HubOptions {
  readonly db: SqlDatabase;
  readonly logger: Logger;
  readonly tls: { readonly certPem: string; readonly keyPem: string };
  /** `https://host:port` as clients reach the hub; a function when the port is known only after listen. */
  readonly publicUrl: string | (() => string);
  readonly clock?: () => Date;
  /** Largest request body in bytes (default 10 MB). */
  readonly bodyLimit?: number;
  readonly rateLimit?: RateLimitOptions;
  /** How long sign-in records are kept (default 365 days), and how often the hub purges older ones. */
  readonly signIns?: SignInRetention;
}

/** Every migration of every hub store, in the order they must run. */
export const hubMigrations = [
  ...resourceStoreMigrations,
  ...identityMigrations,
  ...auditIngestMigrations,
  ...auditTrailMigrations,
  ...upstreamMigrations,
  ...adtMigrations,
];

export async function migrateHub(db: SqlDatabase): Promise<string[]> {
  return runMigrations(db, hubMigrations);
}

export async function buildHub(options: HubOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? (() => new Date());
  await migrateHub(options.db);
  const app = Fastify({
    https: { cert: options.tls.certPem, key: options.tls.keyPem, minVersion: 'TLSv1.2' },
    loggerInstance: options.logger,
    // Fastify's own request lines carry the URL (ids, query values): off; logging.ts writes ours.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  registerRequestLogging(app);
  await registerIdentity(app, {
    db: options.db,
    clock,
    logger: app.log,
    publicUrl: options.publicUrl,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.signIns ? { signIns: options.signIns } : {}),
  });
  await registerAuditIngest(app, { db: options.db, clock, logger: app.log });
  await registerFhirRoutes(app, {
    db: options.db,
    clock,
    publicUrl: options.publicUrl,
    authenticate: app.authenticate,
    audit: {
      recordAuditEvents: (tx, principal, events, nowIso, receivedTexts) =>
        recordAuditEvents(tx, principal, events, nowIso, app.log, receivedTexts),
      auditChainStatus,
    },
    trail: {
      search: async (principal, query, baseUrl, now) => {
        const page = await searchAuditTrail(options.db, principal, query, baseUrl, now);
        app.log.info(
          { event: 'audit-trail-viewed', deviceId: principal.device.deviceId, userId: principal.user?.userId, rows: page.rows },
          'audit trail searched',
        );
        return page;
      },
    },
  });
  return app;
}
