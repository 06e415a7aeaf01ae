import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import {
  createClientAssertion,
  generateDeviceKeyPair,
  hubErrorCode,
  sessionResponseSchema,
  tokenRequestBody,
  USER_TOKEN_HEADER,
  type SessionResponse,
} from '../../shared/auth/index.js';
import { addUser, createEnrollmentToken, identityMigrations, registerIdentity, revokeDevice, setPassword } from './index.js';

const publicUrl = 'https://hub.test:8443';
let db: SqlDatabase;
let app: FastifyInstance;
let monotonicMs: number;
let logLines: string[];

beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  await runMigrations(db, identityMigrations);
  logLines = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  monotonicMs = 0;
  app = Fastify();
  await registerIdentity(app, { db, clock: () => new Date(), logger, publicUrl, rateLimit: { nowMs: () => monotonicMs } });
  app.get('/probe', { preHandler: app.authenticate }, async (request) => request.principal);
  await app.ready();
});
afterEach(async () => {
  await app.close();
  await db.close();
});

async function enrolled(ward = '4east'): Promise<{ clientId: string; token: () => Promise<string> }> {
  const keys = await generateDeviceKeyPair();
  const enrollmentToken = await createEnrollmentToken(db, { ward });
  const enroll = await app.inject({ method: 'POST', url: '/auth/enroll', payload: { enrollmentToken, publicKeyJwk: keys.publicKeyJwk } });
  expect(enroll.statusCode).toBe(201);
  const { clientId, tokenUrl } = enroll.json<{ clientId: string; tokenUrl: string }>();
  expect(tokenUrl).toBe(`${publicUrl}/auth/token`);
  return {
    clientId,
    async token() {
      const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl });
      const response = await app.inject({
        method: 'POST',
        url: '/auth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: tokenRequestBody(assertion),
      });
      expect(response.statusCode).toBe(200);
      return response.json<{ access_token: string }>().access_token;
    },
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the authenticate preHandler', () => {
  it('answers a request without a device token with a 401 OperationOutcome and a Bearer challenge', async () => {
    const response = await app.inject({ method: 'GET', url: '/probe' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(response.headers['content-type']).toMatch(/application\/fhir\+json/);
    const body = response.json<{ resourceType: string; issue: { diagnostics: string }[] }>();
    expect(body.resourceType).toBe('OperationOutcome');
    expect(hubErrorCode(body)).toBe('DEVICE_TOKEN_MISSING');
    expect(body.issue[0]?.diagnostics).toMatch(/device token/);
  });

  it('attributes a request to the device and its ward', async () => {
    const device = await enrolled('icu');
    const response = await app.inject({ method: 'GET', url: '/probe', headers: bearer(await device.token()) });
    expect(response.json()).toEqual({ device: { deviceId: device.clientId, ward: 'icu', scope: { read: true, write: true } } });
  });

  it('refuses a revoked device on its very next request, although its access token has not expired', async () => {
    const device = await enrolled();
    const token = await device.token();
    expect((await app.inject({ method: 'GET', url: '/probe', headers: bearer(token) })).statusCode).toBe(200);
    await revokeDevice(db, device.clientId);
    const refused = await app.inject({ method: 'GET', url: '/probe', headers: bearer(token) });
    expect(refused.statusCode).toBe(401);
    expect(hubErrorCode(refused.json())).toBe('DEVICE_REVOKED');
  });

  it('lets a device make 200 requests at once, then answers 429 with Retry-After, and lets it go on as the bucket refills', async () => {
    const device = await enrolled();
    const other = await enrolled();
    const token = await device.token();
    for (let i = 0; i < 200; i++) expect((await app.inject({ method: 'GET', url: '/probe', headers: bearer(token) })).statusCode).toBe(200);
    const limited = await app.inject({ method: 'GET', url: '/probe', headers: bearer(token) });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(hubErrorCode(limited.json())).toBe('RATE_LIMITED');
    expect((await app.inject({ method: 'GET', url: '/probe', headers: bearer(await other.token()) })).statusCode).toBe(200);
    monotonicMs += 1000;
    expect((await app.inject({ method: 'GET', url: '/probe', headers: bearer(token) })).statusCode).toBe(200);
  });

  it('takes a user token only from the device it was issued to, and drops it when the password changes', async () => {
    await addUser(db, { username: 'nurse1', password: 'long enough secret', role: 'nurse', wards: ['4east'], mfa: false });
    const a = await enrolled();
    const b = await enrolled();
    const tokenA = await a.token();
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: bearer(tokenA),
      payload: { username: 'nurse1', password: 'long enough secret' },
    });
    expect(login.statusCode).toBe(200);
    const session: SessionResponse = sessionResponseSchema.parse(login.json());
    const withUser = await app.inject({
      method: 'GET',
      url: '/probe',
      headers: { ...bearer(tokenA), [USER_TOKEN_HEADER]: session.accessToken },
    });
    expect(withUser.json()).toMatchObject({ user: { userId: session.user.userId, role: 'nurse', wards: ['4east'] } });

    const elsewhere = await app.inject({
      method: 'GET',
      url: '/probe',
      headers: { ...bearer(await b.token()), [USER_TOKEN_HEADER]: session.accessToken },
    });
    expect(elsewhere.statusCode).toBe(401);
    expect(hubErrorCode(elsewhere.json())).toBe('USER_TOKEN_WRONG_DEVICE');

    await setPassword(db, 'nurse1', 'changed long secret');
    const stale = await app.inject({
      method: 'GET',
      url: '/probe',
      headers: { ...bearer(tokenA), [USER_TOKEN_HEADER]: session.accessToken },
    });
    expect(hubErrorCode(stale.json())).toBe('USER_CREDENTIALS_CHANGED');
    const refresh = await app.inject({
      method: 'POST',
      url: '/auth/refresh',
      headers: bearer(tokenA),
      payload: { refreshToken: session.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('never writes passwords, tokens or codes to the log', async () => {
    await addUser(db, { username: 'nurse2', password: 'very secret words', role: 'nurse', wards: ['4east'], mfa: false });
    const device = await enrolled();
    const token = await device.token();
    await app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: bearer(token),
      payload: { username: 'nurse2', password: 'wrong secret words' },
    });
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: bearer(token),
      payload: { username: 'nurse2', password: 'very secret words' },
    });
    const session = sessionResponseSchema.parse(login.json());
    await app.inject({ method: 'GET', url: '/probe', headers: { ...bearer(token), [USER_TOKEN_HEADER]: 'garbage.user.token' } });
    const log = logLines.join('');
    expect(log).toContain('"event":"login"');
    for (const secret of ['very secret words', 'wrong secret words', token, session.accessToken, session.refreshToken]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('the token endpoint', () => {
  it('answers malformed token requests with OAuth errors', async () => {
    const wrongGrant = await app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=password&username=x',
    });
    expect([wrongGrant.statusCode, wrongGrant.json().error]).toEqual([400, 'unsupported_grant_type']);
    const json = await app.inject({ method: 'POST', url: '/auth/token', payload: { grant_type: 'client_credentials' } });
    expect([json.statusCode, json.json().error]).toEqual([400, 'invalid_request']);
    const forged = await app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: tokenRequestBody('eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.'),
    });
    expect([forged.statusCode, forged.json().error]).toEqual([401, 'invalid_client']);
    expect(forged.headers['cache-control']).toBe('no-store');
  });
});
