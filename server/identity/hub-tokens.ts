// The short-lived tokens the hub issues and checks: device access tokens (SMART Backend Services,
// 5 minutes) and user tokens (10 minutes, bound to one device and one credential stamp). Both are
// ES256 JWTs with distinct `typ` headers, so one can never stand in for the other.
//
// Verified tokens are remembered (by their exact text) until they expire, so a device polling every
// few hundred milliseconds costs one signature check per token, not one per request. Revocation is
// not cached here: the authenticate preHandler checks it in the database on every request.
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { IdentityError } from './identity-error.js';
import type { IdentityErrorCode } from '../../shared/auth/index.js';
import { HUB_TOKEN_ALG, type HubTokenKeys } from './hub-token-keys.js';
import { newId } from './secrets.js';
import { scopeOfClaim, scopeText, type GrantedScope } from './token-scope.js';

export const DEVICE_TOKEN_SECONDS = 300;
export const USER_TOKEN_SECONDS = 600;
const DEVICE_TOKEN_TYPE = 'wardline-device+jwt';
const USER_TOKEN_TYPE = 'wardline-user+jwt';
const CACHE_LIMIT = 20_000;

export interface DeviceTokenClaims {
  readonly deviceId: string;
  readonly ward: string;
  /** What the token was granted (its `scope` claim). */
  readonly scope: GrantedScope;
}

export interface UserTokenClaims {
  readonly userId: string;
  readonly deviceId: string;
  readonly credentialStamp: string;
}

interface Cached<T> {
  readonly claims: T;
  readonly expiresAtMs: number;
}

export class HubTokens {
  private readonly deviceCache = new Map<string, Cached<DeviceTokenClaims>>();
  private readonly userCache = new Map<string, Cached<UserTokenClaims>>();

  constructor(
    private readonly keys: HubTokenKeys,
    /** The hub's public base URL: issuer and audience of its tokens. */
    private readonly hubUrl: () => string,
  ) {}

  async issueDeviceToken(claims: DeviceTokenClaims, now: Date): Promise<{ token: string; expiresIn: number }> {
    const token = await this.sign(
      { ward: claims.ward, scope: scopeText(claims.scope) },
      claims.deviceId,
      DEVICE_TOKEN_TYPE,
      DEVICE_TOKEN_SECONDS,
      now,
    );
    return { token, expiresIn: DEVICE_TOKEN_SECONDS };
  }

  async issueUserToken(claims: UserTokenClaims, now: Date): Promise<{ token: string; expiresIn: number }> {
    const token = await this.sign(
      { dev: claims.deviceId, stamp: claims.credentialStamp },
      claims.userId,
      USER_TOKEN_TYPE,
      USER_TOKEN_SECONDS,
      now,
    );
    return { token, expiresIn: USER_TOKEN_SECONDS };
  }

  async verifyDeviceToken(token: string, now: Date): Promise<DeviceTokenClaims> {
    return this.verify(token, now, this.deviceCache, DEVICE_TOKEN_TYPE, ['DEVICE_TOKEN_INVALID', 'DEVICE_TOKEN_EXPIRED'], (payload) => {
      if (typeof payload.sub !== 'string' || typeof payload.ward !== 'string') return null;
      return { deviceId: payload.sub, ward: payload.ward, scope: scopeOfClaim(payload.scope) };
    });
  }

  async verifyUserToken(token: string, now: Date): Promise<UserTokenClaims> {
    return this.verify(token, now, this.userCache, USER_TOKEN_TYPE, ['USER_TOKEN_INVALID', 'USER_TOKEN_EXPIRED'], (payload) => {
      if (typeof payload.sub !== 'string' || typeof payload.dev !== 'string' || typeof payload.stamp !== 'string') return null;
      return { userId: payload.sub, deviceId: payload.dev, credentialStamp: payload.stamp };
    });
  }

  private async sign(claims: JWTPayload, subject: string, typ: string, lifetimeSeconds: number, now: Date): Promise<string> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: HUB_TOKEN_ALG, typ, kid: this.keys.signing.kid })
      .setIssuer(this.hubUrl())
      .setAudience(this.hubUrl())
      .setSubject(subject)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + lifetimeSeconds)
      .setJti(newId())
      .sign(this.keys.signing.privateKey);
  }

  private async verify<T>(
    token: string,
    now: Date,
    cache: Map<string, Cached<T>>,
    typ: string,
    [invalidCode, expiredCode]: readonly [IdentityErrorCode, IdentityErrorCode],
    read: (payload: JWTPayload) => T | null,
  ): Promise<T> {
    // Errors are built only when thrown: a cached token check is on every request's hot path.
    const expired = (): IdentityError =>
      new IdentityError(
        expiredCode,
        expiredCode === 'DEVICE_TOKEN_EXPIRED'
          ? 'The device token has expired: request a new one from /auth/token.'
          : 'Your sign-in has expired: sign in again (or refresh the session).',
      );
    const invalid = (): IdentityError =>
      new IdentityError(
        invalidCode,
        invalidCode === 'DEVICE_TOKEN_INVALID'
          ? 'The device token is not one this hub issued. Request a new one from /auth/token; if this persists, re-enroll the workstation.'
          : 'The user token is not one this hub issued. Sign in again.',
      );
    const cached = cache.get(token);
    if (cached !== undefined) {
      if (cached.expiresAtMs <= now.getTime()) throw expired();
      return cached.claims;
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        async (header) => {
          const key = header.kid === undefined ? undefined : await this.keys.publicKey(header.kid);
          if (key === undefined) throw invalid();
          return key;
        },
        {
          algorithms: [HUB_TOKEN_ALG],
          typ,
          issuer: this.hubUrl(),
          audience: this.hubUrl(),
          currentDate: now,
          requiredClaims: ['exp', 'sub'],
        },
      ));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw expired();
      throw invalid();
    }
    const claims = read(payload);
    if (claims === null || typeof payload.exp !== 'number') throw invalid();
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(token, { claims, expiresAtMs: payload.exp * 1000 });
    return claims;
  }
}
