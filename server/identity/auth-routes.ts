// The identity endpoints: POST /auth/enroll, POST /auth/token (SMART Backend Services), and, with a
// device token, POST /auth/login, /auth/refresh, /auth/logout, GET /auth/credential-stamps and
// GET /auth/session. Registered as an encapsulated plugin: its form parser and error handler do
// not leak into the FHIR routes.
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import type { SqlDatabase } from '../storage/index.js';
import {
  CLIENT_ASSERTION_TYPE,
  enrollRequestSchema,
  loginRequestSchema,
  refreshRequestSchema,
  type CredentialStampsResponse,
  type EnrollResponse,
  type TokenResponse,
} from '../../shared/auth/index.js';
import type { AuthenticatePreHandler } from './fastify-augmentation.js';
import { verifyClientAssertion } from './client-assertion-verifier.js';
import { enrollDevice } from './enrollment.js';
import { purgeExpiredIdentityRows } from './housekeeping.js';
import type { HubTokens } from './hub-tokens.js';
import { IdentityError } from './identity-error.js';
import { checkLogin } from './login.js';
import { sendOutcome } from './operation-outcome.js';
import { revokeRefreshTokenFamily, spendRefreshToken } from './refresh-tokens.js';
import { issueSession } from './session.js';
import { credentialStampsOfWard, findUserById, findUserByUsername, openTotpSecret } from './users.js';
import { recordSignIn } from './sign-in-log.js';
import { grantScope, scopeText } from './token-scope.js';

export interface AuthRoutesDeps {
  readonly db: SqlDatabase;
  readonly clock: () => Date;
  readonly logger: FastifyBaseLogger;
  readonly tokens: HubTokens;
  readonly authenticate: AuthenticatePreHandler;
  readonly tokenUrl: () => string;
}

const PURGE_EVERY_MS = 10 * 60_000;

export function authRoutes(deps: AuthRoutesDeps) {
  const { db, clock, logger, tokens, authenticate } = deps;
  let lastPurge = 0;

  return async function identityRoutes(scope: FastifyInstance): Promise<void> {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    scope.setErrorHandler((error, _request, reply) => {
      if (error instanceof IdentityError) return sendOutcome(reply, error.httpStatus, error.code, error.message);
      const status =
        typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
      if (status >= 400 && status < 500)
        return sendOutcome(
          reply,
          status,
          'INVALID_REQUEST',
          'The request body could not be read; send JSON as documented for this endpoint.',
        );
      logger.error(
        { event: 'identity-error', err: { name: (error as Error).name, code: (error as { code?: unknown }).code } },
        'identity endpoint failed',
      );
      return sendOutcome(
        reply,
        500,
        'INTERNAL',
        'The hub could not complete this request. Try again; if it persists, ask IT to check the hub logs.',
      );
    });

    scope.post('/auth/enroll', async (request, reply) => {
      const body = enrollRequestSchema.safeParse(request.body);
      if (!body.success) return badRequest(reply, 'Send JSON { enrollmentToken, publicKeyJwk, name? }.');
      const device = await enrollDevice(db, body.data, clock());
      logger.info({ event: 'device-enrolled', deviceId: device.clientId, ward: device.ward }, 'workstation enrolled');
      const response: EnrollResponse = { clientId: device.clientId, ward: device.ward, tokenUrl: deps.tokenUrl() };
      return reply.code(201).send(response);
    });

    scope.post('/auth/token', async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        return oauthError(reply, 400, 'invalid_request', 'Send the token request as application/x-www-form-urlencoded.');
      }
      const form = request.body as Record<string, string>;
      if (form.grant_type !== 'client_credentials')
        return oauthError(reply, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      if (
        form.client_assertion_type !== CLIENT_ASSERTION_TYPE ||
        typeof form.client_assertion !== 'string' ||
        form.client_assertion === ''
      ) {
        return oauthError(reply, 400, 'invalid_request', `Send client_assertion_type=${CLIENT_ASSERTION_TYPE} and a client_assertion.`);
      }
      const granted = grantScope(typeof form.scope === 'string' ? form.scope : undefined);
      if (granted === null) {
        return oauthError(reply, 400, 'invalid_scope', 'Ask for system/*.read and/or system/*.write (SMART Backend Services scopes).');
      }
      const now = clock();
      if (now.getTime() - lastPurge > PURGE_EVERY_MS) {
        lastPurge = now.getTime();
        const purged = await purgeExpiredIdentityRows(db, now);
        logger.debug({ event: 'identity-purge', rows: purged }, 'expired identity rows deleted');
      }
      let device;
      try {
        device = await verifyClientAssertion(db, form.client_assertion, { tokenUrl: deps.tokenUrl(), now });
      } catch (error) {
        if (!(error instanceof IdentityError)) throw error;
        logger.info({ event: 'token-refused', code: error.code }, 'client assertion refused');
        return oauthError(reply, 401, 'invalid_client', error.message);
      }
      const issued = await tokens.issueDeviceToken({ deviceId: device.clientId, ward: device.ward, scope: granted }, now);
      const response: TokenResponse = {
        access_token: issued.token,
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        scope: scopeText(granted),
      };
      return reply.send(response);
    });

    scope.post('/auth/login', { preHandler: authenticate }, async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      const body = loginRequestSchema.safeParse(request.body);
      if (!body.success) return badRequest(reply, 'Send JSON { username, password, totp? } (totp: the 6-digit code).');
      const { deviceId, ward } = request.principal.device;
      const now = clock();
      try {
        const user = await checkLogin(db, body.data, ward, now);
        await recordSignIn(db, {
          at: now.getTime(),
          deviceId,
          userId: user.userId,
          usernameTried: body.data.username,
          succeeded: true,
          code: null,
        });
        logger.info({ event: 'login', userId: user.userId, deviceId }, 'user signed in');
        // The second factor was just checked: the enrolled workstation gets the TOTP secret (over
        // TLS) to check codes at an offline sign-in of this user.
        const totpSecret = user.mfaRequired ? (openTotpSecret(db, user) ?? undefined) : undefined;
        return reply.send(await issueSession(db, tokens, user, deviceId, now, undefined, totpSecret));
      } catch (error) {
        if (error instanceof IdentityError) {
          const known = await findUserByUsername(db, body.data.username);
          await recordSignIn(db, {
            at: now.getTime(),
            deviceId,
            userId: known?.userId ?? null,
            usernameTried: body.data.username,
            succeeded: false,
            code: error.code,
          });
          logger.info({ event: 'login-refused', code: error.code, deviceId }, 'sign-in refused');
        }
        throw error;
      }
    });

    scope.post('/auth/refresh', { preHandler: authenticate }, async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      const body = refreshRequestSchema.safeParse(request.body);
      if (!body.success) return badRequest(reply, 'Send JSON { refreshToken }.');
      const { deviceId, ward } = request.principal.device;
      const now = clock();
      const grant = await spendRefreshToken(db, body.data.refreshToken, deviceId, now);
      const user = await findUserById(db, grant.userId);
      if (user === null || user.disabled || user.credentialStamp !== grant.credentialStamp) {
        throw new IdentityError('USER_CREDENTIALS_CHANGED', 'Your password was changed or your account was disabled. Sign in again.');
      }
      if (!user.wards.includes(ward)) {
        throw new IdentityError('WARD_NOT_ASSIGNED', 'Your account is no longer assigned to the ward of this workstation.', 403);
      }
      logger.info({ event: 'session-refreshed', userId: user.userId, deviceId }, 'user session refreshed');
      return reply.send(await issueSession(db, tokens, user, deviceId, now, { familyId: grant.familyId, expiresAt: grant.expiresAt }));
    });

    scope.post('/auth/logout', { preHandler: authenticate }, async (request, reply) => {
      const body = refreshRequestSchema.safeParse(request.body);
      if (!body.success) return badRequest(reply, 'Send JSON { refreshToken }.');
      await revokeRefreshTokenFamily(db, body.data.refreshToken, request.principal.device.deviceId, clock());
      return reply.code(204).send();
    });

    scope.get('/auth/credential-stamps', { preHandler: authenticate }, async (request, reply) => {
      const { ward } = request.principal.device;
      const response: CredentialStampsResponse = { ward, users: await credentialStampsOfWard(db, ward, clock()) };
      return reply.header('Cache-Control', 'no-store').send(response);
    });

    scope.get('/auth/session', { preHandler: authenticate }, async (request, reply) => {
      return reply.header('Cache-Control', 'no-store').send(request.principal);
    });
  };
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return sendOutcome(reply, 400, 'INVALID_REQUEST', message);
}

/** RFC 6749 §5.2 error answer: what SMART Backend Services clients expect from a token endpoint. */
function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').send({ error, error_description: description });
}
