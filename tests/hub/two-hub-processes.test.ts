// Two hub processes (`wardline-hub serve --postgres URL`, real child processes) on one PostgreSQL
// database: what one writes the other reads; conditional creates racing through both make exactly
// one resource; If-Match through one refuses a version already replaced through the other; a
// device revoked through one is refused by the other at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Observation } from '../../shared/fhir/index.js';
import { createClientAssertion, generateDeviceKeyPair, tokenRequestBody, USER_TOKEN_HEADER } from '../../shared/auth/index.js';
import { addUser, createEnrollmentToken, revokeDevice } from '../../server/identity/index.js';
import { newHubKey, openHubDatabase, type SqlDatabase } from '../../server/storage/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { migrateHub } from '../../server/app.js';
import { httpsFetchTrusting } from '../support/https-fetch.js';
import { testPostgres } from '../support/hub-harness.js';
import { admitPatient, observation, seedWard, TEST_IDENTIFIER_SYSTEM } from '../support/hub-fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface HubProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: string[];
}

function startHubProcess(args: string[]): Promise<HubProcess> {
  const child = spawn(process.execPath, [join(root, 'bin/wardline-hub.js'), 'serve', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    let url = '';
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const match = /^Wardline hub listening on (\S+)/.exec(line);
      if (match) url = match[1]!;
      if (line.startsWith('Press Ctrl-C')) resolve({ child, url, output });
    });
    child.on('exit', (code) => reject(new Error(`hub exited with ${code}: ${output.join('')}`)));
  });
}

function stop(hub: HubProcess | undefined): Promise<number | null> {
  if (!hub || hub.child.exitCode !== null) return Promise.resolve(hub?.child.exitCode ?? null);
  return new Promise((resolve) => {
    hub.child.removeAllListeners('exit');
    hub.child.on('exit', (code) => resolve(code));
    hub.child.kill('SIGINT');
  });
}

describe('two hub processes on one PostgreSQL', () => {
  let folder: string;
  let db: SqlDatabase;
  let first: HubProcess;
  let second: HubProcess;
  let caPem: string;
  let patientId: string;
  let tokenFirst: string;
  let nurseToken: string;
  let tokenSecond: string;
  let clientId: string;
  const client = { fetch: null as unknown as ReturnType<typeof httpsFetchTrusting>['fetch'], close: () => undefined as void };

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wardline-two-hubs-'));
    const url = await (await testPostgres()).createDatabase();
    // One hub key for every process on the database (it seals the signing keys and TOTP secrets they share).
    const hubKey = newHubKey();
    db = await openHubDatabase({ postgresUrl: url, hubKey: { current: hubKey } });
    await migrateHub(db);
    await seedWard(db, 'a');
    patientId = (await admitPatient(db, 'a')).patientId;
    const tls = createDevCertificate();
    caPem = tls.certPem;
    await writeFile(join(folder, 'cert.pem'), tls.certPem);
    await writeFile(join(folder, 'key.pem'), tls.keyPem, { mode: 0o600 });
    await writeFile(join(folder, 'hub.key'), `${hubKey.toString('base64')}\n`, { mode: 0o600 });
    const common = [
      '--postgres',
      url,
      '--cert',
      join(folder, 'cert.pem'),
      '--key',
      join(folder, 'key.pem'),
      '--key-file',
      join(folder, 'hub.key'),
      '--port',
      '0',
      '--log-level',
      'warn',
    ];
    // Both processes answer as the same hub (one public URL, as behind a load balancer).
    [first, second] = await Promise.all([
      startHubProcess([...common, '--data', join(folder, 'one'), '--public-url', 'https://127.0.0.1:1']),
      startHubProcess([...common, '--data', join(folder, 'two'), '--public-url', 'https://127.0.0.1:1']),
    ]);
    Object.assign(client, httpsFetchTrusting(caPem));

    // Enroll through the first process, get a token from each (tokens are signed with keys in the DB).
    const keys = await generateDeviceKeyPair();
    const enrollmentToken = await createEnrollmentToken(db, { ward: 'a' });
    const enrolled = await client.fetch(`${first.url}/auth/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enrollmentToken, publicKeyJwk: keys.publicKeyJwk }),
    });
    expect(enrolled.status).toBe(201);
    const body = (await enrolled.json()) as { clientId: string; tokenUrl: string };
    clientId = body.clientId;
    const token = async (hubUrl: string): Promise<string> => {
      const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl: body.tokenUrl });
      const response = await client.fetch(`${hubUrl}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestBody(assertion),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { access_token: string }).access_token;
    };
    tokenFirst = await token(first.url);
    tokenSecond = await token(second.url);
    // A nurse of the ward signs in through the first process; her token works through both.
    await addUser(db, { username: 'nurse.a', password: 'correct horse battery', role: 'nurse', wards: ['a'], mfa: false });
    const login = await client.fetch(`${first.url}/auth/login`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenFirst}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nurse.a', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    nurseToken = ((await login.json()) as { accessToken: string }).accessToken;
  });

  afterAll(async () => {
    const codes = await Promise.all([stop(first), stop(second)]);
    expect(codes).toEqual([0, 0]);
    client.close();
    await db?.close();
    await rm(folder, { recursive: true, force: true });
  });

  const call = (
    hub: HubProcess,
    token: string,
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    client.fetch(`${hub.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: `Bearer ${token}`,
        [USER_TOKEN_HEADER]: nurseToken,
        'content-type': 'application/fhir+json',
        ...(init.headers ?? {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  it('reads through one process what was written through the other', async () => {
    const created = await call(first, tokenFirst, '/fhir/Observation', { body: observation(patientId) });
    expect(created.status).toBe(201);
    const written = (await created.json()) as Observation;
    const read = await call(second, tokenSecond, `/fhir/Observation/${written.id}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as Observation).meta?.versionId).toBe('1');
  });

  it('creates exactly one resource when conditional creates race through both processes', async () => {
    const marker = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(i % 2 === 0 ? first : second, i % 2 === 0 ? tokenFirst : tokenSecond, '/fhir/Observation', {
          body: observation(patientId, { identifier: marker }),
          headers: { 'if-none-exist': `identifier=${TEST_IDENTIFIER_SYSTEM}|${marker}` },
        }),
      ),
    );
    expect(responses.map((r) => r.status).filter((s) => s === 201)).toHaveLength(1);
    expect(responses.map((r) => r.status).filter((s) => s === 200)).toHaveLength(9);
    const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as Observation).id)));
    expect(ids.size).toBe(1);
    const found = (await (
      await call(second, tokenSecond, `/fhir/Observation?identifier=${TEST_IDENTIFIER_SYSTEM}|${marker}`)
    ).json()) as Bundle;
    expect(found.entry).toHaveLength(1);
  });

  it('refuses through one process an If-Match on a version already replaced through the other', async () => {
    const created = (await (await call(first, tokenFirst, '/fhir/Observation', { body: observation(patientId) })).json()) as Observation;
    const updated = await call(second, tokenSecond, `/fhir/Observation/${created.id}`, {
      method: 'PUT',
      body: { ...created, status: 'amended' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(updated.status).toBe(200);
    const stale = await call(first, tokenFirst, `/fhir/Observation/${created.id}`, {
      method: 'PUT',
      body: { ...created, status: 'cancelled' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(stale.status).toBe(412);
    const current = (await (await call(first, tokenFirst, `/fhir/Observation/${created.id}`)).json()) as Observation;
    expect(current.status).toBe('amended');
  });

  it('reports through either process the same history since a checkpoint', async () => {
    const checkpoint = (
      (await (
        await call(
          first,
          tokenFirst,
          `/fhir/Observation/_history?_since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`,
        )
      ).json()) as Bundle
    ).meta!.lastUpdated!;
    await call(first, tokenFirst, '/fhir/Observation', { body: observation(patientId) });
    await call(second, tokenSecond, '/fhir/Observation', { body: observation(patientId) });
    const viaFirst = (await (
      await call(first, tokenFirst, `/fhir/Observation/_history?_since=${encodeURIComponent(checkpoint)}`)
    ).json()) as Bundle;
    const viaSecond = (await (
      await call(second, tokenSecond, `/fhir/Observation/_history?_since=${encodeURIComponent(checkpoint)}`)
    ).json()) as Bundle;
    expect(viaFirst.entry).toHaveLength(2);
    expect(viaSecond.entry?.map((e) => e.fullUrl)).toEqual(viaFirst.entry?.map((e) => e.fullUrl));
  });

  it('refuses a device revoked through one process on its next request to the other', async () => {
    await revokeDevice(db, clientId);
    expect((await call(second, tokenSecond, `/fhir/Patient/${patientId}`)).status).toBe(401);
    expect((await call(first, tokenFirst, `/fhir/Patient/${patientId}`)).status).toBe(401);
  });
});
