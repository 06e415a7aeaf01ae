// Issue 17: the mirror pulls each chart with `Patient/$everything` where the upstream offers it, and
// by a search per resource type otherwise. The test upstream (Medplum's engine, Synthea patients)
// has no $everything, so here it is offered by a thin front (its CapabilityStatement names the
// operation, and it answers `Patient/{id}/$everything` from the engine's own repository, with
// resource types the mirror does not keep among them); everything else passes through to the
// engine, the front's own address in place of the engine's, and the front exchanges the hub's
// client assertion for one of its own at the engine's token endpoint (a SMART gateway). Two hubs mirror the same ward, one through the front and one from the engine directly:
// the first asks $everything once per patient and no per-type search for the first pull, and both
// end up holding the same charts. The incremental polling after it works the same through both.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSearchRequest } from '@medplum/core';
import type { Bundle, Encounter, Observation, Resource } from '@medplum/fhirtypes';
import { exportJWK, exportPKCS8, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUpstreamMirror,
  MIRRORED_TYPES,
  UPSTREAM_DEFAULTS,
  type UpstreamConfig,
  type UpstreamMirror,
} from '../../server/integration/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { seedWard } from '../support/hub-fixtures.js';
import { startUpstreamFhirServer, type UpstreamFhirServer } from '../support/upstream-fhir-server.js';

const WARD = '4north';
const CLIENT_ID = 'wardline-hub-everything-test';
const DAY_MS = 86_400_000;
/** Types an EHR's $everything returns that the mirror does not keep. */
const NOT_MIRRORED = ['Procedure', 'Immunization', 'Claim'];

interface Front {
  readonly baseUrl: string;
  readonly caPem: string;
  /** Every request path the front received. */
  readonly paths: string[];
  close(): Promise<void>;
}

/** An HTTPS front for the upstream that offers Patient/$everything and passes the rest through. */
async function startEverythingFront(upstream: UpstreamFhirServer, keys: { publicKey: CryptoKey; privateKey: CryptoKey }): Promise<Front> {
  const tls = createDevCertificate();
  const target = new URL(upstream.baseUrl);
  const basePath = target.pathname.replace(/\/+$/, '');
  let frontOrigin = '';
  const paths: string[] = [];

  const everything = async (patientId: string): Promise<Bundle> => {
    const resources: Resource[] = [];
    const types = [...MIRRORED_TYPES, ...NOT_MIRRORED.map((type) => ({ type, patientParam: 'patient' }))];
    for (const { type, patientParam } of types) {
      const value = patientParam === '_id' ? patientId : `Patient/${patientId}`;
      const found = await upstream.repo.search({ ...parseSearchRequest(`${type}?${patientParam}=${value}`), count: 10_000 });
      resources.push(...(found.entry ?? []).map((entry) => entry.resource as Resource));
    }
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: resources.length,
      entry: resources.map((resource) => ({
        fullUrl: `${frontBase}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'match' },
      })),
    };
  };

  const pass = (
    method: string,
    path: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<{ status: number; type: string; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const forwarded = request(
        { host: target.hostname, port: target.port, path, method, headers: { ...headers, host: target.host }, ca: upstream.caPem },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              type: String(res.headers['content-type'] ?? 'application/fhir+json'),
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      forwarded.on('error', reject);
      forwarded.end(body);
    });

  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const path = req.url ?? '/';
        paths.push(path);
        const headers: Record<string, string> = {};
        for (const name of ['authorization', 'content-type', 'accept', 'if-none-exist', 'if-match']) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const pathname = path.split('?')[0]!;
        if (pathname === '/auth/token' && req.method === 'POST') {
          const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
          await jwtVerify(form.get('client_assertion') ?? '', keys.publicKey, {
            audience: `${frontOrigin}/auth/token`,
            issuer: CLIENT_ID,
            subject: CLIENT_ID,
          });
          const now = Math.floor(Date.now() / 1000);
          const own = await new SignJWT({})
            .setProtectedHeader({ alg: 'ES384', typ: 'JWT' })
            .setIssuer(CLIENT_ID)
            .setSubject(CLIENT_ID)
            .setAudience(`${target.origin}/auth/token`)
            .setIssuedAt(now)
            .setExpirationTime(now + 300)
            .setJti(randomBytes(16).toString('hex'))
            .sign(keys.privateKey);
          form.set('client_assertion', own);
          const exchanged = await pass(
            'POST',
            '/auth/token',
            { 'content-type': 'application/x-www-form-urlencoded' },
            Buffer.from(form.toString()),
          );
          res.writeHead(exchanged.status, { 'content-type': exchanged.type }).end(exchanged.body);
          return;
        }
        const operation = new RegExp(`^${basePath}/Patient/([A-Za-z0-9\\-.]+)/\\$everything$`).exec(pathname);
        if (operation && req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(await everything(operation[1]!)));
          return;
        }
        const answer = await pass(req.method ?? 'GET', path, headers, Buffer.concat(chunks));
        let body = Buffer.from(answer.body.toString('utf8').replaceAll(target.origin, frontOrigin));
        if (pathname === `${basePath}/metadata` && answer.status === 200) {
          const statement = JSON.parse(body.toString('utf8')) as { rest: { resource?: { type: string; operation?: unknown[] }[] }[] };
          for (const resource of statement.rest[0]!.resource ?? []) {
            if (resource.type === 'Patient') {
              resource.operation = [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }];
            }
          }
          body = Buffer.from(JSON.stringify(statement));
        }
        res.writeHead(answer.status, { 'content-type': answer.type }).end(body);
      })().catch((error: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  frontOrigin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const frontBase = `${frontOrigin}${basePath}`;
  return {
    baseUrl: frontBase,
    caPem: tls.certPem,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let upstream: UpstreamFhirServer;
let front: Front;
let folder: string;
const hubs: TestHub[] = [];
const mirrors: UpstreamMirror[] = [];
let viaEverything: { hub: TestHub; mirror: UpstreamMirror };
let viaSearch: { hub: TestHub; mirror: UpstreamMirror };
const patients: string[] = [];
const admissions: string[] = [];

function vitalSign(patientId: string, encounterId: string, value: number): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${patientId}` },
    encounter: { reference: `Encounter/${encounterId}` },
    effectiveDateTime: new Date().toISOString(),
    valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

/** What a hub holds (not deleted), by resource type, of the mirrored types. */
async function holdings(hub: TestHub): Promise<Record<string, number>> {
  const rows = await hub.db.query<{ res_type: string; n: unknown }>(
    'SELECT res_type, COUNT(*) AS n FROM fhir_resources WHERE deleted = 0 GROUP BY res_type ORDER BY res_type',
  );
  return Object.fromEntries(
    rows
      .filter((row) => MIRRORED_TYPES.some((t) => t.type === row.res_type) && row.res_type !== 'Location')
      .map((row) => [row.res_type, Number(row.n)]),
  );
}

beforeAll(async () => {
  upstream = await startUpstreamFhirServer();
  const keys = await generateKeyPair('ES384', { extractable: true });
  upstream.registerClient(CLIENT_ID, { ...(await exportJWK(keys.publicKey)), alg: 'ES384' });
  const ward = await upstream.repo.createResource({ resourceType: 'Location', name: '4 North', mode: 'instance' });
  for (const file of ['clemente-kreiger.json', 'buster-hoeger.json']) {
    const bundle = JSON.parse(await readFile(join(import.meta.dirname, '../support/fixtures/synthea', file), 'utf8')) as Bundle;
    patients.push((await upstream.loadTransaction(bundle)).find((l) => l.startsWith('Patient/'))!.split('/')[1]!);
  }
  for (const patientId of patients) {
    const admission = await upstream.repo.createResource<Encounter>({
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: `Patient/${patientId}` },
      period: { start: new Date(Date.now() - 2 * DAY_MS).toISOString() },
      location: [{ location: { reference: `Location/${ward.id}` }, status: 'active' }],
    });
    admissions.push(admission.id);
    await upstream.repo.createResource(vitalSign(patientId, admission.id, 80));
  }
  front = await startEverythingFront(upstream, keys);
  folder = await mkdtemp(join(tmpdir(), 'wardline-upstream-everything-'));
  const base: UpstreamConfig = {
    ...UPSTREAM_DEFAULTS,
    baseUrl: upstream.baseUrl,
    clientId: CLIENT_ID,
    privateKeyPem: await exportPKCS8(keys.privateKey),
    caPem: upstream.caPem,
    wards: [{ ward: WARD, location: `Location/${ward.id}` }],
    pageSize: 50,
    maxBackoffMs: 1000,
  };
  const open = async (config: UpstreamConfig): Promise<{ hub: TestHub; mirror: UpstreamMirror }> => {
    const hub = await startHub({ engine: 'sqlite', sqlitePath: join(folder, `${randomBytes(4).toString('hex')}.sqlite`) });
    hubs.push(hub);
    await seedWard(hub.db, WARD);
    const mirror = await createUpstreamMirror({ db: hub.db, config, logger: pino({ level: 'silent' }) });
    mirrors.push(mirror);
    return { hub, mirror };
  };
  viaEverything = await open({ ...base, baseUrl: front.baseUrl, caPem: front.caPem });
  viaSearch = await open(base);
}, 120_000);

afterAll(async () => {
  for (const mirror of mirrors) await mirror.stop();
  for (const hub of hubs) await hub.stop();
  await front?.close();
  await upstream?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('the mirror against an upstream that offers Patient/$everything', () => {
  it('pulls each chart with one $everything, no search per type, and holds what the per-type pull holds', async () => {
    expect((await viaEverything.mirror.runCycle()).ok).toBe(true);
    expect((await viaSearch.mirror.runCycle()).ok).toBe(true);

    const pathnames = front.paths.map((path) => path.split('?')[0]!);
    for (const patientId of patients) {
      expect(pathnames.filter((p) => p.endsWith(`/Patient/${patientId}/$everything`))).toHaveLength(1);
    }
    const chartTypes = MIRRORED_TYPES.map((t) => t.type).filter((type) => type !== 'Patient' && type !== 'Encounter');
    const perTypeSearches = front.paths.filter((path) => {
      const [pathname, query = ''] = path.split('?');
      return (
        chartTypes.some((type) => pathname!.endsWith(`/${type}`)) &&
        /(?:^|&)(subject|patient)=/.test(query) &&
        !query.includes('_lastUpdated')
      );
    });
    expect(perTypeSearches).toEqual([]);

    const held = await holdings(viaEverything.hub);
    expect(held).toEqual(await holdings(viaSearch.hub));
    expect(held.Patient).toBe(patients.length);
    expect(held.Observation ?? 0).toBeGreaterThan(0);
    // What $everything brought that the mirror does not keep stayed out.
    const kept = await viaEverything.hub.db.query<{ res_type: string }>(
      `SELECT DISTINCT res_type FROM fhir_resources WHERE res_type IN (${NOT_MIRRORED.map((_, i) => `$${i + 1}`).join(', ')})`,
      NOT_MIRRORED,
    );
    expect(kept).toEqual([]);
  });

  it('keeps up with a change upstream the same way, and a cycle without changes writes nothing', async () => {
    await upstream.repo.createResource(vitalSign(patients[0]!, admissions[0]!, 131));
    expect((await viaEverything.mirror.runCycle()).ok).toBe(true);
    expect((await viaSearch.mirror.runCycle()).ok).toBe(true);
    const held = await holdings(viaEverything.hub);
    expect(held).toEqual(await holdings(viaSearch.hub));
    const versions = async (): Promise<number> =>
      Number((await viaEverything.hub.db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM fhir_versions'))[0]!.n);
    const before = await versions();
    expect((await viaEverything.mirror.runCycle()).ok).toBe(true);
    expect(await versions()).toBe(before);
  });
});
