// SMART Backend Services (client_credentials with a private_key_jwt client assertion): the token
// endpoint comes from the upstream's .well-known/smart-configuration; the assertion is signed with
// the hub's registered key (ES384, ES256 or RS384 by the key's kind) and names its key (kid); the
// access token is kept until a minute before it expires.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { CLIENT_ASSERTION_TYPE } from '../../../shared/auth/index.js';
import { UpstreamError } from './upstream-error.js';
import type { UpstreamHttp } from './upstream-http.js';

export const DEFAULT_UPSTREAM_SCOPE =
  'system/*.read system/Observation.write system/MedicationAdministration.write system/Provenance.write';
const ASSERTION_LIFETIME_SECONDS = 300;
const RENEW_BEFORE_MS = 60_000;

export interface SmartClientKey {
  readonly alg: 'ES384' | 'ES256' | 'RS384';
  readonly key: CryptoKey;
  readonly kid: string;
}

/** Reads the hub's private key (PKCS#8 PEM) and picks the algorithm its kind calls for. */
export async function loadSmartClientKey(pem: string, keyId?: string): Promise<SmartClientKey> {
  let alg: SmartClientKey['alg'];
  try {
    const key = createPrivateKey(pem);
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (key.asymmetricKeyType === 'rsa') alg = 'RS384';
    else if (key.asymmetricKeyType === 'ec' && (curve === 'secp384r1' || curve === 'P-384')) alg = 'ES384';
    else if (key.asymmetricKeyType === 'ec' && (curve === 'prime256v1' || curve === 'P-256')) alg = 'ES256';
    else throw new Error('unsupported key kind');
  } catch {
    throw new UpstreamError(
      'KEY_INVALID',
      'The upstream client key is not a usable private key: give a PKCS#8 PEM file holding an EC P-384, EC P-256 or RSA key.',
    );
  }
  const key = await importPKCS8(pem, alg, { extractable: true });
  const kid = keyId ?? (await calculateJwkThumbprint(await exportJWK(key)));
  return { alg, key, kid };
}

export interface SmartTokenSource {
  /** A valid access token (discovers the token endpoint and signs in when needed). */
  accessToken(): Promise<string>;
  /** Forgets the token (the upstream answered 401). */
  invalidate(): void;
}

export function createSmartTokenSource(options: {
  readonly http: UpstreamHttp;
  readonly baseUrl: string;
  readonly clientId: string;
  readonly key: SmartClientKey;
  readonly scope?: string;
  readonly clock: () => Date;
}): SmartTokenSource {
  let tokenEndpoint: string | undefined;
  let cached: { token: string; renewAtMs: number } | undefined;

  async function discover(): Promise<string> {
    if (tokenEndpoint) return tokenEndpoint;
    const res = await options.http.send(`${options.baseUrl}/.well-known/smart-configuration`, { headers: { accept: 'application/json' } });
    const endpoint = res.status === 200 ? (parseJson(res.body) as { token_endpoint?: unknown } | null)?.token_endpoint : undefined;
    if (typeof endpoint !== 'string' || !endpoint.startsWith('https://')) {
      throw new UpstreamError(
        res.status >= 500 ? 'UNAVAILABLE' : 'DISCOVERY_FAILED',
        'The upstream server did not name an https token endpoint in .well-known/smart-configuration; check the upstream URL.',
        { status: res.status },
      );
    }
    tokenEndpoint = endpoint;
    return endpoint;
  }

  async function signIn(): Promise<{ token: string; renewAtMs: number }> {
    const endpoint = await discover();
    const nowSeconds = Math.floor(options.clock().getTime() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: options.key.alg, typ: 'JWT', kid: options.key.kid })
      .setIssuer(options.clientId)
      .setSubject(options.clientId)
      .setAudience(endpoint)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + ASSERTION_LIFETIME_SECONDS)
      .setJti(randomUUID())
      .sign(options.key.key);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: options.scope ?? DEFAULT_UPSTREAM_SCOPE,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    }).toString();
    const res = await options.http.send(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    const answer = parseJson(res.body) as { access_token?: unknown; expires_in?: unknown } | null;
    if (res.status >= 500 || res.status === 429) {
      throw new UpstreamError('UNAVAILABLE', `The upstream token endpoint answered ${res.status}; the mirror retries.`, {
        status: res.status,
      });
    }
    if (res.status !== 200 || typeof answer?.access_token !== 'string') {
      throw new UpstreamError(
        'TOKEN_REFUSED',
        `The upstream token endpoint refused the hub (HTTP ${res.status}): check the client id and that the hub's public key is registered there.`,
        { status: res.status },
      );
    }
    const lifetimeMs = (typeof answer.expires_in === 'number' ? answer.expires_in : 300) * 1000;
    return { token: answer.access_token, renewAtMs: options.clock().getTime() + Math.max(lifetimeMs - RENEW_BEFORE_MS, lifetimeMs / 2) };
  }

  // One sign-in at a time: requests that need a token meanwhile (a page asked for ahead) wait for it.
  let signingIn: Promise<{ token: string; renewAtMs: number }> | undefined;
  return {
    async accessToken() {
      if (!cached || options.clock().getTime() >= cached.renewAtMs) {
        signingIn ??= signIn().finally(() => {
          signingIn = undefined;
        });
        cached = await signingIn;
      }
      return cached.token;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
