import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createClientAssertion,
  exportDevicePrivateKey,
  generateDeviceKeyPair,
  hubErrorCode,
  importDevicePrivateKey,
  publicJwkOf,
} from './index.js';

describe('workstation keys and client assertions', () => {
  it('makes an ES384 key pair whose private half survives a round trip through the keystore format', async () => {
    const { privateKey, publicKeyJwk } = await generateDeviceKeyPair();
    expect(Object.keys(publicKeyJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const stored = await exportDevicePrivateKey(privateKey);
    expect(stored.d).toBeDefined();
    expect(publicJwkOf(stored)).toEqual(publicKeyJwk);
    const restored = await importDevicePrivateKey(stored);
    const tokenUrl = 'https://hub.test/auth/token';
    const assertion = await createClientAssertion({ privateKey: restored, clientId: 'c-1', tokenUrl });
    const { payload } = await jwtVerify(assertion, await importJWK(publicKeyJwk, 'ES384'), {
      audience: tokenUrl,
      issuer: 'c-1',
      subject: 'c-1',
    });
    expect(typeof payload.jti).toBe('string');
  });

  it("refuses to import a public key as the workstation's private key", async () => {
    const { publicKeyJwk } = await generateDeviceKeyPair();
    await expect(importDevicePrivateKey(publicKeyJwk)).rejects.toThrow(/no private key/);
  });

  it('signs assertions that live at most 5 minutes, each with its own jti', async () => {
    const { privateKey } = await generateDeviceKeyPair();
    const now = new Date('2026-03-02T08:00:00Z');
    const first = await createClientAssertion({ privateKey, clientId: 'c-1', tokenUrl: 'u', now, keyId: 'k1' });
    const second = await createClientAssertion({ privateKey, clientId: 'c-1', tokenUrl: 'u', now });
    const claims = decodeJwt(first);
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(decodeProtectedHeader(first)).toMatchObject({ alg: 'ES384', kid: 'k1' });
    expect(claims.jti).not.toBe(decodeJwt(second).jti);
    await expect(createClientAssertion({ privateKey, clientId: 'c-1', tokenUrl: 'u', lifetimeSeconds: 600 })).rejects.toThrow(RangeError);
  });

  it("reads the hub's stable error code from an OperationOutcome", () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ details: { coding: [{ system: 'https://wardline.example/fhir/CodeSystem/hub-error', code: 'MFA_REQUIRED' }] } }],
    };
    expect(hubErrorCode(outcome)).toBe('MFA_REQUIRED');
    expect(hubErrorCode({ error: 'invalid_client' })).toBeUndefined();
  });
});
