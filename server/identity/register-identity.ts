// Wires the identity room into a Fastify app: seals secrets left in the clear by an earlier
// version, loads (or creates) the hub's token-signing key,
// decorates `app.authenticate` and `request.principal`, registers the /auth endpoints, and purges
// sign-in records past their retention while the hub runs.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { SqlDatabase } from '../storage/index.js';
import { createAuthenticate } from './authenticate.js';
import { authRoutes } from './auth-routes.js';
import './fastify-augmentation.js';
import { HubTokenKeys } from './hub-token-keys.js';
import { sealLegacySecrets } from './protected-secrets.js';
import { HubTokens } from './hub-tokens.js';
import { DeviceRateLimiter, type RateLimitOptions } from './rate-limiter.js';
import type { Principal } from './principal.js';
import { scheduleSignInPurge, type SignInRetention } from './sign-in-retention.js';

export interface IdentityDeps {
  readonly db: SqlDatabase;
  readonly clock: () => Date;
  readonly logger: FastifyBaseLogger;
  /**
   * The hub's public base URL (`https://host:port`, no trailing slash): issuer/audience of its
   * tokens; `${publicUrl}/auth/token` is the audience client assertions must name. A function when
   * the port is only known after listen().
   */
  readonly publicUrl: string | (() => string);
  /** Per-device rate limit; defaults 50 requests/s sustained, bursts of 200. */
  readonly rateLimit?: RateLimitOptions;
  /** How long the hub keeps its record of sign-ins, and how often it purges older ones. */
  readonly signIns?: SignInRetention;
}

export async function registerIdentity(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const hubUrl = (): string => (typeof deps.publicUrl === 'function' ? deps.publicUrl() : deps.publicUrl).replace(/\/+$/, '');
  // Secrets an earlier version stored in the clear are sealed before anything reads them.
  await sealLegacySecrets(deps.db);
  const keys = await HubTokenKeys.open(deps.db, deps.clock());
  const tokens = new HubTokens(keys, hubUrl);
  const rateLimiter = new DeviceRateLimiter(deps.rateLimit);
  const authenticate = createAuthenticate({ db: deps.db, clock: deps.clock, logger: deps.logger, tokens, rateLimiter });
  scheduleSignInPurge(app, { db: deps.db, clock: deps.clock, logger: deps.logger, ...deps.signIns });
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorate('authenticate', authenticate);
  await app.register(
    authRoutes({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      tokens,
      authenticate,
      tokenUrl: () => `${hubUrl()}/auth/token`,
    }),
  );
}
