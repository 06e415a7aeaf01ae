// The SMART Backend Services client assertion (private_key_jwt) a workstation signs with its own
// key to obtain a short-lived device token from the hub's token endpoint.
import { SignJWT, type CryptoKey } from 'jose';
import { CLIENT_ASSERTION_TYPE, DEVICE_KEY_ALG, MAX_CLIENT_ASSERTION_LIFETIME_SECONDS } from './wire-constants.js';

export interface ClientAssertionInput {
  readonly privateKey: CryptoKey;
  /** The client id the hub gave at enrollment (iss = sub). */
  readonly clientId: string;
  /** The hub's token URL (aud), e.g. `https://hub.example:8443/auth/token`. */
  readonly tokenUrl: string;
  readonly now?: Date;
  /** Seconds until exp; at most 300 (the hub refuses more). Default 300. */
  readonly lifetimeSeconds?: number;
  /** Optional `kid` header (e.g. the JWK thumbprint of the public key). */
  readonly keyId?: string;
}

export async function createClientAssertion(input: ClientAssertionInput): Promise<string> {
  const lifetime = input.lifetimeSeconds ?? MAX_CLIENT_ASSERTION_LIFETIME_SECONDS;
  if (!(lifetime > 0 && lifetime <= MAX_CLIENT_ASSERTION_LIFETIME_SECONDS)) {
    throw new RangeError(`A client assertion lives 1–${MAX_CLIENT_ASSERTION_LIFETIME_SECONDS} s, not ${lifetime} s.`);
  }
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: DEVICE_KEY_ALG, typ: 'JWT', ...(input.keyId === undefined ? {} : { kid: input.keyId }) })
    .setIssuer(input.clientId)
    .setSubject(input.clientId)
    .setAudience(input.tokenUrl)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + lifetime)
    .setJti(globalThis.crypto.randomUUID())
    .sign(input.privateKey);
}

/** The form body of POST /auth/token for a client assertion. */
export function tokenRequestBody(clientAssertion: string, scope = 'system/*.read system/*.write'): string {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: clientAssertion,
    scope,
  }).toString();
}
