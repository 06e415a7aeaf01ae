// The hub's authentication and authorization at the HTTP level, over real TLS, on both storage
// engines: device tokens (SMART Backend Services), forged and replayed assertions, revocation,
// enrollment tokens, user sign-in with MFA, refresh tokens bound to their device, credential stamps,
// ward isolation and the per-device rate limit. The FHIR-level ward scope is in fhir tests.
import { base64url, decodeJwt, exportJWK, exportSPKI, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  credentialStampsResponseSchema,
  generateDeviceKeyPair,
  hubErrorCode,
  sessionResponseSchema,
  tokenRequestBody,
  USER_TOKEN_HEADER,
  type SessionResponse,
} from '../../shared/auth/index.js';
import { addUser, createEnrollmentToken, currentTotpCode, revokeDevice, setPassword } from '../../server/identity/index.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, seedWard } from '../support/hub-fixtures.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };
const PASSWORD = 'correct horse battery';

async function body<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function expectUnauthorized(response: Response, code?: string): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  const outcome = await body<{ resourceType: string; issue: { diagnostics: string }[] }>(response);
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0]?.diagnostics.length).toBeGreaterThan(10);
  if (code !== undefined) expect(hubErrorCode(outcome)).toBe(code);
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

describe.each<HubEngine>(['sqlite', 'postgres'])('hub security over TLS on %s', (engine) => {
  let hub: TestHub;
  let deviceA: TestDevice;
  let deviceB: TestDevice;
  let mfaSecret: string;

  beforeAll(async () => {
    hub = await startHub({ engine });
    await seedWard(hub.db, 'a');
    await seedWard(hub.db, 'b');
    deviceA = await hub.enrollDevice('a');
    deviceB = await hub.enrollDevice('b');
    await addUser(hub.db, { username: 'nurse.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false });
    await addUser(hub.db, { username: 'nurse.b', password: PASSWORD, role: 'nurse', wards: ['b'], mfa: false });
    mfaSecret = (await addUser(hub.db, { username: 'doctor.a', password: PASSWORD, role: 'physician', wards: ['a'], mfa: true }))
      .totpSecret!;
  });

  afterAll(async () => {
    await hub?.stop();
  });

  /** POST /auth/token with a hand-made assertion. */
  async function tokenRequest(assertion: string): Promise<Response> {
    return hub.fetch('/auth/token', { method: 'POST', headers: FORM_HEADERS, body: tokenRequestBody(assertion) });
  }

  async function login(device: TestDevice, username: string, password: string, totp?: string): Promise<Response> {
    return device.fetch('/auth/login', { method: 'POST', headers: JSON_HEADERS, body: { username, password, ...(totp ? { totp } : {}) } });
  }

  it('refuses every request without a device token with a 401 OperationOutcome and a Bearer challenge', async () => {
    await expectUnauthorized(await hub.fetch('/fhir/Patient'), 'DEVICE_TOKEN_MISSING');
    await expectUnauthorized(
      await hub.fetch('/auth/login', { method: 'POST', headers: JSON_HEADERS, body: { username: 'nurse.a', password: PASSWORD } }),
      'DEVICE_TOKEN_MISSING',
    );
    await expectUnauthorized(await hub.fetch('/audit/chain'), 'DEVICE_TOKEN_MISSING');
    await expectUnauthorized(
      await hub.fetch('/fhir/Patient', { headers: { authorization: 'Bearer not-a-token' } }),
      'DEVICE_TOKEN_INVALID',
    );
    await expectUnauthorized(
      await hub.fetch('/fhir/Patient', { headers: { authorization: 'Basic bnVyc2U6cGFzcw==' } }),
      'DEVICE_TOKEN_INVALID',
    );
  });

  it("gives ward A's device nothing of ward B: its identity, its staff list, its users and its patients", async () => {
    const session = await body<{ device: { deviceId: string; ward: string } }>(await deviceA.fetch('/auth/session'));
    expect(session.device).toEqual({ deviceId: deviceA.clientId, ward: 'a', scope: { read: true, write: true } });

    const stamps = credentialStampsResponseSchema.parse(await body(await deviceA.fetch('/auth/credential-stamps')));
    expect(stamps.ward).toBe('a');
    expect(stamps.users.map((u) => u.username).sort()).toEqual(['doctor.a', 'nurse.a']);

    const foreignUser = await login(deviceA, 'nurse.b', PASSWORD);
    expect(foreignUser.status).toBe(403);
    expect(hubErrorCode(await body(foreignUser))).toBe('WARD_NOT_ASSIGNED');

    const { patientId } = await admitPatient(hub.db, 'b');
    expect((await deviceB.fetch(`/fhir/Patient/${patientId}`)).status).toBe(200);
    expect((await deviceA.fetch(`/fhir/Patient/${patientId}`)).status).toBe(403);
  });

  describe('client assertions at the token endpoint', () => {
    let publicJwk: Record<string, unknown>;
    beforeAll(async () => {
      const { d: _d, ...publicPart } = await exportJWK(deviceA.privateKey);
      publicJwk = publicPart;
    });

    function claims(overrides: JWTPayload = {}): JWTPayload {
      const now = new Date();
      return {
        iss: deviceA.clientId,
        sub: deviceA.clientId,
        aud: deviceA.tokenUrl,
        iat: seconds(now),
        exp: seconds(now) + 120,
        jti: crypto.randomUUID(),
        ...overrides,
      };
    }
    const sign = (payload: JWTPayload, key: CryptoKey = deviceA.privateKey) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'ES384', typ: 'JWT' }).sign(key);

    async function expectInvalidClient(response: Response): Promise<void> {
      expect(response.status).toBe(401);
      expect((await body<{ error: string }>(response)).error).toBe('invalid_client');
    }

    it('issues a device token of at most 15 minutes for a valid assertion, once per assertion', async () => {
      const assertion = await sign(claims());
      const issued = await tokenRequest(assertion);
      expect(issued.status).toBe(200);
      expect(issued.headers.get('cache-control')).toBe('no-store');
      const token = await body<{ access_token: string; token_type: string; expires_in: number }>(issued);
      expect(token.token_type).toBe('Bearer');
      expect(token.expires_in).toBeLessThanOrEqual(900);
      const jwt = decodeJwt(token.access_token);
      expect(jwt.exp! - jwt.iat!).toBeLessThanOrEqual(900);
      expect((await hub.fetch('/auth/session', { headers: { authorization: `Bearer ${token.access_token}` } })).status).toBe(200);
      await expectInvalidClient(await tokenRequest(assertion));
    });

    it('refuses an expired assertion and one that claims to be valid for longer than 5 minutes', async () => {
      const past = new Date(Date.now() - 15 * 60_000);
      await expectInvalidClient(await tokenRequest(await sign(claims({ iat: seconds(past), exp: seconds(past) + 120 }))));
      await expectInvalidClient(await tokenRequest(await sign(claims({ exp: seconds(new Date()) + 3600 }))));
    });

    it('refuses an assertion signed with another key, unsigned (alg none), or HMAC-signed with the device public key', async () => {
      await expectInvalidClient(await tokenRequest(await sign(claims(), (await generateDeviceKeyPair()).privateKey)));
      const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(claims()))}.`;
      await expectInvalidClient(await tokenRequest(none));
      const pem = await exportSPKI((await importJWK(publicJwk, 'ES384')) as CryptoKey);
      for (const secret of [pem, JSON.stringify(publicJwk)]) {
        const hmac = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
        await expectInvalidClient(await tokenRequest(hmac));
      }
    });

    it('refuses an assertion for another audience, or whose iss or sub is not the client id', async () => {
      await expectInvalidClient(await tokenRequest(await sign(claims({ aud: `${hub.url}/fhir` }))));
      await expectInvalidClient(await tokenRequest(await sign(claims({ aud: 'https://other-hub.example/auth/token' }))));
      await expectInvalidClient(await tokenRequest(await sign(claims({ sub: deviceB.clientId }))));
      await expectInvalidClient(await tokenRequest(await sign(claims({ iss: deviceB.clientId, sub: deviceB.clientId }))));
    });
  });

  it('refuses a revoked device on its very next request, with an access token that has not expired', async () => {
    const device = await hub.enrollDevice('a');
    const token = await device.accessToken();
    expect((await device.fetch('/fhir/Location')).status).toBe(200);
    await revokeDevice(hub.db, device.clientId);
    await expectUnauthorized(await hub.fetch('/fhir/Location', { headers: { authorization: `Bearer ${token}` } }), 'DEVICE_REVOKED');
    expect(decodeJwt(token).exp! * 1000).toBeGreaterThan(Date.now());
    const fresh = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES384' })
      .setIssuer(device.clientId)
      .setSubject(device.clientId)
      .setAudience(device.tokenUrl)
      .setIssuedAt()
      .setExpirationTime('2m')
      .setJti(crypto.randomUUID())
      .sign(device.privateKey);
    const refused = await tokenRequest(fresh);
    expect(refused.status).toBe(401);
    expect((await body<{ error_description: string }>(refused)).error_description).toMatch(/revoked/);
  });

  it('accepts an enrollment token once, and not after it expires', async () => {
    const enroll = async (enrollmentToken: string) =>
      hub.fetch('/auth/enroll', {
        method: 'POST',
        headers: JSON_HEADERS,
        body: { enrollmentToken, publicKeyJwk: (await generateDeviceKeyPair()).publicKeyJwk },
      });
    const token = await createEnrollmentToken(hub.db, { ward: 'a' });
    expect((await enroll(token)).status).toBe(201);
    await expectUnauthorized(await enroll(token), 'ENROLLMENT_TOKEN_INVALID');
    const stale = await createEnrollmentToken(hub.db, { ward: 'a', ttlMinutes: 24 * 60, now: new Date(Date.now() - 25 * 3_600_000) });
    await expectUnauthorized(await enroll(stale), 'ENROLLMENT_TOKEN_INVALID');
  });

  it('refuses a private key sent for enrollment', async () => {
    const { privateKey } = await generateDeviceKeyPair();
    const response = await hub.fetch('/auth/enroll', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: { enrollmentToken: await createEnrollmentToken(hub.db, { ward: 'a' }), publicKeyJwk: await exportJWK(privateKey) },
    });
    expect(response.status).toBe(400);
    expect(hubErrorCode(await body(response))).toBe('PRIVATE_KEY_SENT');
  });

  describe('user sign-in', () => {
    it('refuses a wrong password and an unknown user alike', async () => {
      const wrong = await login(deviceA, 'nurse.a', 'not the password');
      const unknown = await login(deviceA, 'nobody.here', 'not the password');
      await expectUnauthorized(wrong.clone(), 'INVALID_CREDENTIALS');
      expect(await wrong.text()).toBe(await unknown.text());
    });

    it('issues a user token of at most 15 minutes, bound to the device, with what an offline sign-in needs', async () => {
      const response = await login(deviceA, 'nurse.a', PASSWORD);
      expect(response.status).toBe(200);
      const session = sessionResponseSchema.parse(await body(response));
      expect(session.expiresIn).toBeLessThanOrEqual(900);
      const claims = decodeJwt(session.accessToken);
      expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(900);
      expect(session.offlineVerifier).toMatchObject({ userId: session.user.userId, role: 'nurse', wards: ['a'], mfaRequired: false });
      const asUser = await body<{ user: { userId: string } }>(
        await deviceA.fetch('/auth/session', { headers: { [USER_TOKEN_HEADER]: session.accessToken } }),
      );
      expect(asUser.user.userId).toBe(session.user.userId);
      await expectUnauthorized(
        await deviceB.fetch('/auth/session', { headers: { [USER_TOKEN_HEADER]: session.accessToken } }),
        'USER_TOKEN_WRONG_DEVICE',
      );
    });

    it('requires the TOTP code of an MFA account, checks it, and refuses the same code twice', async () => {
      await expectUnauthorized(await login(deviceA, 'doctor.a', PASSWORD), 'MFA_REQUIRED');
      const code = currentTotpCode(mfaSecret, new Date());
      await expectUnauthorized(await login(deviceA, 'doctor.a', PASSWORD, code === '123456' ? '654321' : '123456'), 'MFA_INVALID');
      const accepted = await login(deviceA, 'doctor.a', PASSWORD, code);
      expect(accepted.status).toBe(200);
      expect(sessionResponseSchema.parse(await body(accepted)).offlineVerifier.mfaRequired).toBe(true);
      await expectUnauthorized(await login(deviceA, 'doctor.a', PASSWORD, code), 'MFA_INVALID');
    });

    it('rotates refresh tokens and honours one only with the device token of the device it was issued to', async () => {
      const session: SessionResponse = sessionResponseSchema.parse(await body(await login(deviceA, 'nurse.a', PASSWORD)));
      const refresh = (device: TestDevice, refreshToken: string) =>
        device.fetch('/auth/refresh', { method: 'POST', headers: JSON_HEADERS, body: { refreshToken } });
      await expectUnauthorized(await refresh(deviceB, session.refreshToken), 'REFRESH_TOKEN_INVALID');
      const renewed = await refresh(deviceA, session.refreshToken);
      expect(renewed.status).toBe(200);
      const next = sessionResponseSchema.parse(await body(renewed));
      expect(next.refreshToken).not.toBe(session.refreshToken);
      expect((await deviceA.fetch('/auth/session', { headers: { [USER_TOKEN_HEADER]: next.accessToken } })).status).toBe(200);
      await expectUnauthorized(await refresh(deviceA, session.refreshToken), 'REFRESH_TOKEN_INVALID');
      // Reuse of a rotated token revokes the sign-in: its successor stops working too.
      await expectUnauthorized(await refresh(deviceA, next.refreshToken), 'REFRESH_TOKEN_INVALID');
    });

    it("changes the credential stamp when the password changes, ending the user's tokens", async () => {
      await addUser(hub.db, { username: 'changer', password: PASSWORD, role: 'clerk', wards: ['a'], mfa: false });
      const before = sessionResponseSchema.parse(await body(await login(deviceA, 'changer', PASSWORD)));
      const stampOf = async () =>
        credentialStampsResponseSchema
          .parse(await body(await deviceA.fetch('/auth/credential-stamps')))
          .users.find((u) => u.username === 'changer')!.credentialStamp;
      expect(await stampOf()).toBe(before.offlineVerifier.credentialStamp);
      await setPassword(hub.db, 'changer', 'a different long secret');
      expect(await stampOf()).not.toBe(before.offlineVerifier.credentialStamp);
      await expectUnauthorized(
        await deviceA.fetch('/auth/session', { headers: { [USER_TOKEN_HEADER]: before.accessToken } }),
        'USER_CREDENTIALS_CHANGED',
      );
      await expectUnauthorized(await login(deviceA, 'changer', PASSWORD), 'INVALID_CREDENTIALS');
      const after = sessionResponseSchema.parse(await body(await login(deviceA, 'changer', 'a different long secret')));
      expect(after.offlineVerifier.credentialStamp).toBe(await stampOf());
    });
  });

  it('writes no password, token or TOTP code to the hub log', async () => {
    const session = sessionResponseSchema.parse(await body(await login(deviceA, 'nurse.a', PASSWORD)));
    const logs = hub.logs();
    expect(logs).toContain('"event":"login"');
    for (const secret of [PASSWORD, mfaSecret, session.accessToken, session.refreshToken, await deviceA.accessToken()]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe('per-device rate limit over TLS', () => {
  let hub: TestHub;
  beforeAll(async () => {
    // The default limits (50/s, burst 200), with the bucket's clock frozen so no request refills it.
    hub = await startHub({ engine: 'sqlite', rateLimit: { nowMs: () => 0 } });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('answers the 201st request of a burst with 429 and Retry-After, and other devices go on', async () => {
    const busy = await hub.enrollDevice('a');
    const calm = await hub.enrollDevice('a');
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await busy.fetch('/auth/session')).status);
    expect(new Set(statuses)).toEqual(new Set([200]));
    const limited = await busy.fetch('/auth/session');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(hubErrorCode(await body(limited))).toBe('RATE_LIMITED');
    expect((await calm.fetch('/auth/session')).status).toBe(200);
  });
});
