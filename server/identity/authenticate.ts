// The preHandler every hub route but enrollment and the token endpoint runs: a valid device token
// (Authorization: Bearer), the device not revoked, within its rate limit; and, when the request
// carries X-Wardline-User, a valid user token issued to this same device for the account's current
// credential stamp. Sets `request.principal`.
//
// Revocation is checked in the database on every request (one primary-key lookup of
// identity_devices; microseconds on SQLite, one round trip on PostgreSQL) rather than cached: IT
// revokes from the CLI, another process, and a revoked device must be refused on its very next
// request by every hub process. Signature checks are cached per token (hub-tokens.ts). The same
// lookup reads when the device was last in contact; a read (GET) is noted as a contact (a write at
// most once a minute per device, device-contact.ts) before its route runs.
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { SqlDatabase } from '../storage/index.js';
import { noteDeviceContact } from './device-contact.js';
import { deviceStatus } from './devices.js';
import type { AuthenticatePreHandler } from './fastify-augmentation.js';
import type { HubTokens } from './hub-tokens.js';
import { IdentityError } from './identity-error.js';
import { sendOutcome } from './operation-outcome.js';
import type { Principal, UserPrincipal } from './principal.js';
import type { DeviceRateLimiter } from './rate-limiter.js';
import { findUserById } from './users.js';

export interface AuthenticateDeps {
  readonly db: SqlDatabase;
  readonly clock: () => Date;
  readonly logger: FastifyBaseLogger;
  readonly tokens: HubTokens;
  readonly rateLimiter: DeviceRateLimiter;
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i;

export function createAuthenticate(deps: AuthenticateDeps): AuthenticatePreHandler {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      sendOutcome(
        reply,
        401,
        'DEVICE_TOKEN_MISSING',
        'This request needs a device token (Authorization: Bearer …). Enroll the workstation, then get a token from /auth/token.',
        false,
      );
      return reply;
    }
    let deviceId: string | undefined;
    try {
      const match = BEARER.exec(header);
      if (match?.[1] === undefined)
        throw new IdentityError('DEVICE_TOKEN_INVALID', 'The Authorization header must read "Bearer <device token>".');
      const now = deps.clock();
      const claims = await deps.tokens.verifyDeviceToken(match[1], now);
      deviceId = claims.deviceId;
      const decision = deps.rateLimiter.take(deviceId);
      if (!decision.allowed) {
        reply.header('Retry-After', String(decision.retryAfterSeconds));
        sendOutcome(
          reply,
          429,
          'RATE_LIMITED',
          `This workstation sends more than ${deps.rateLimiter.sustainedPerSecond} requests per second. Retry after ${decision.retryAfterSeconds} s; if it persists, ask IT to check the workstation.`,
        );
        return reply;
      }
      const device = await deviceStatus(deps.db, deviceId);
      if (device === null) throw new IdentityError('DEVICE_UNKNOWN', 'This workstation is not enrolled at this hub. Enroll it again.');
      if (device.revoked)
        throw new IdentityError('DEVICE_REVOKED', "This workstation's enrollment was revoked by IT. Ask IT to enroll it again.");
      // A read is a contact: its answer could tell the device that a patient left its ward.
      if (request.method === 'GET') await noteDeviceContact(deps.db, deviceId, now, device.lastSeen);
      const userToken = request.headers['x-wardline-user'];
      const user = userToken === undefined ? undefined : await authenticateUser(deps, userToken, deviceId, now);
      const devicePrincipal = { deviceId, ward: device.ward, scope: claims.scope };
      const principal: Principal = user === undefined ? { device: devicePrincipal } : { device: devicePrincipal, user };
      request.principal = principal;
    } catch (error) {
      if (!(error instanceof IdentityError)) throw error;
      const level = error.code === 'DEVICE_REVOKED' ? 'warn' : 'info';
      deps.logger[level]({ event: 'auth-refused', code: error.code, deviceId }, 'request refused by authentication');
      sendOutcome(reply, error.httpStatus, error.code, error.message);
      return reply;
    }
  };
}

async function authenticateUser(deps: AuthenticateDeps, header: string | string[], deviceId: string, now: Date): Promise<UserPrincipal> {
  if (typeof header !== 'string' || header === '') {
    throw new IdentityError('USER_TOKEN_INVALID', 'Send exactly one X-Wardline-User header with the user token.');
  }
  const claims = await deps.tokens.verifyUserToken(header.replace(/^Bearer[ ]+/i, ''), now);
  if (claims.deviceId !== deviceId) {
    throw new IdentityError('USER_TOKEN_WRONG_DEVICE', 'This user token was issued to another workstation. Sign in again here.');
  }
  const user = await findUserById(deps.db, claims.userId);
  if (user === null || user.disabled || user.credentialStamp !== claims.credentialStamp) {
    throw new IdentityError('USER_CREDENTIALS_CHANGED', 'Your password was changed or your account was disabled. Sign in again.');
  }
  return { userId: user.userId, username: user.username, role: user.role, wards: user.wards };
}
