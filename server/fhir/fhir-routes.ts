// The FHIR HTTP surface under /fhir: FHIR JSON bodies (malformed JSON → 400 OperationOutcome), the
// device/user authentication hook, the routes for every interaction, and errors as OperationOutcome.
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { SqlDatabase } from '../storage/index.js';
import type { Principal } from '../identity/index.js';
import { accessFor, BTG_REASON_HEADER } from './access-policy.js';
import { noteBodySource } from './body-source.js';
import { processBundle } from './bundle-processor.js';
import { capabilityStatement } from './capability.js';
import { smartConfiguration } from './smart-configuration.js';
import { errorToFhir } from './error-mapping.js';
import { FhirError, isLoggedRefusal, outcomeOf } from './fhir-error.js';
import { preferOf, type AuditTrailSearch, type AuditUpload, type FhirContext, type FhirResponse } from './fhir-context.js';
import { history, patientEverything, readResource, searchType, vreadResource } from './interactions-read.js';
import { createResource, deleteResource, finishWrites, updateResource, uploadAuditEvent, writeContext } from './interactions-write.js';
import { beginWrite, endWrite } from './store/index.js';

export interface FhirRoutesOptions {
  readonly db: SqlDatabase;
  readonly clock: () => Date;
  /** The hub's public base URL (`https://host:port`); a function when the port is known only after listen. */
  readonly publicUrl: string | (() => string);
  /** Authenticates the request and sets `request.principal` (the identity room's `app.authenticate`). */
  readonly authenticate: onRequestAsyncHookHandler;
  readonly audit: AuditUpload | null;
  /** The privacy officer's search of the trail (GET AuditEvent); null: not offered. */
  readonly trail?: AuditTrailSearch | null;
  readonly software?: { name: string; version: string };
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

function send(reply: FastifyReply, response: FhirResponse): FastifyReply {
  reply.code(response.status);
  for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
  if (response.body === null) return reply.send();
  return reply.type(FHIR_JSON).send(response.body);
}

function queryOf(request: FastifyRequest): URLSearchParams {
  const url = request.raw.url ?? '';
  const at = url.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Every refusal by the access policy goes to the hub's log: who, what kind of request, which rule (ids only). */
function logRefusal(request: FastifyRequest, error: FhirError): void {
  const principal = (request as { principal?: Principal | null }).principal;
  request.log.warn(
    {
      event: 'access-refused',
      code: error.code,
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      ...(principal ? { deviceId: principal.device.deviceId, ...(principal.user ? { userId: principal.user.userId } : {}) } : {}),
    },
    'request refused by the access policy',
  );
}

export async function registerFhirRoutes(app: FastifyInstance, options: FhirRoutesOptions): Promise<void> {
  const { db, clock } = options;
  const baseUrl = (): string =>
    `${(typeof options.publicUrl === 'function' ? options.publicUrl() : options.publicUrl).replace(/\/+$/, '')}/fhir`;

  const hubUrl = (): string => (typeof options.publicUrl === 'function' ? options.publicUrl() : options.publicUrl).replace(/\/+$/, '');
  // SMART discovery (public, no patient data): at the server root and under the FHIR base.
  const smart = async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    reply
      .header('Cache-Control', 'no-store')
      .type('application/json')
      .send(JSON.stringify(smartConfiguration(hubUrl())));
  app.get('/.well-known/smart-configuration', smart);

  await app.register(
    async (fhir) => {
      fhir.get('/.well-known/smart-configuration', smart);
      // FHIR JSON (and plain JSON) bodies, parsed here so malformed JSON becomes an OperationOutcome.
      fhir.removeAllContentTypeParsers();
      fhir.addContentTypeParser(['application/fhir+json', 'application/json'], { parseAs: 'string' }, (_request, text, done) => {
        const source = typeof text === 'string' ? text : text.toString('utf8');
        if (source.trim() === '') return done(null, undefined);
        let body: unknown;
        try {
          body = JSON.parse(source);
        } catch {
          return done(
            new FhirError(400, 'MALFORMED_JSON', 'structure', 'The request body is not valid JSON; nothing was stored.'),
            undefined,
          );
        }
        noteBodySource(body, source);
        done(null, body);
      });
      fhir.addContentTypeParser('*', (_request, _payload, done) => {
        done(
          new FhirError(415, 'UNSUPPORTED_MEDIA_TYPE', 'not-supported', 'Send FHIR JSON (Content-Type: application/fhir+json).'),
          undefined,
        );
      });

      fhir.setErrorHandler((error, request, reply) => {
        const fhirError = errorToFhir(error);
        if (!fhirError) {
          request.log.error(
            { event: 'fhir-error', err: { name: (error as Error).name, code: (error as { code?: unknown }).code } },
            'FHIR request failed',
          );
          const internal = new FhirError(
            500,
            'INTERNAL',
            'exception',
            'The hub could not complete this request. Try again; if it persists, ask IT to check the hub logs.',
          );
          return reply
            .code(500)
            .type(FHIR_JSON)
            .send(JSON.stringify(outcomeOf(internal)));
        }
        if (fhirError.status === 401) reply.header('WWW-Authenticate', 'Bearer');
        if (isLoggedRefusal(fhirError)) logRefusal(request, fhirError);
        return reply
          .code(fhirError.status)
          .type(FHIR_JSON)
          .send(JSON.stringify(outcomeOf(fhirError)));
      });

      fhir.setNotFoundHandler((request, reply) => {
        const path = (request.raw.url ?? '').split('?')[0] ?? '';
        const type = /^\/fhir\/([^/]+)/.exec(path)?.[1];
        const error =
          type && !/^[_$]/.test(type) && /^[A-Z]/.test(type)
            ? new FhirError(405, 'METHOD_NOT_ALLOWED', 'not-supported', `The hub does not support ${request.method} here.`)
            : new FhirError(404, 'UNKNOWN_ROUTE', 'not-found', 'There is no FHIR endpoint at this address.');
        return reply
          .code(error.status)
          .type(FHIR_JSON)
          .send(JSON.stringify(outcomeOf(error)));
      });

      // Public, no patient data: what the hub supports.
      fhir.get('/metadata', async (_request, reply) =>
        reply.type(FHIR_JSON).send(
          JSON.stringify(
            capabilityStatement({
              baseUrl: baseUrl(),
              software: options.software ?? { name: 'Wardline hub', version: '0.1.0' },
              date: clock().toISOString(),
            }),
          ),
        ),
      );

      fhir.register(async (secured) => {
        // onRequest: a request without a valid token is refused before its body is read.
        secured.addHook('onRequest', options.authenticate);

        const context = (request: FastifyRequest): FhirContext => ({
          db,
          clock,
          baseUrl: baseUrl(),
          access: accessFor(request.principal, request.headers[BTG_REASON_HEADER.toLowerCase()], {
            onBreakTheGlass: (entry) =>
              request.log.warn({ event: 'break-the-glass', ...entry }, 'out-of-ward access with a break-the-glass reason'),
            onRefused: (error) => logRefusal(request, error),
          }),
          prefer: preferOf(request.headers.prefer),
          audit: options.audit,
          trail: options.trail ?? null,
          writes: null,
        });

        const inWriteTransaction = <T>(
          ctx: FhirContext,
          work: (txCtx: FhirContext, tx: SqlDatabase, session: Awaited<ReturnType<typeof beginWrite>>) => Promise<T>,
        ): Promise<T> =>
          db.transaction(async (tx) => {
            const session = await beginWrite(tx, clock());
            const txCtx = writeContext(ctx, tx);
            const result = await work(txCtx, tx, session);
            await finishWrites(txCtx, tx, session);
            await endWrite(tx, session);
            return result;
          });

        type TypeParams = { type: string };
        type IdParams = { type: string; id: string };

        secured.post('/', async (request, reply) => send(reply, await processBundle(context(request), request.body)));
        secured.get('/_history', async (request, reply) => send(reply, await history(context(request), {}, queryOf(request))));
        secured.get<{ Params: TypeParams }>('/:type', async (request, reply) =>
          send(reply, await searchType(context(request), request.params.type, queryOf(request))),
        );
        secured.get<{ Params: TypeParams }>('/:type/_history', async (request, reply) =>
          send(reply, await history(context(request), { type: request.params.type }, queryOf(request))),
        );
        secured.get<{ Params: IdParams }>('/:type/:id', async (request, reply) =>
          send(reply, await readResource(context(request), request.params.type, request.params.id)),
        );
        secured.get<{ Params: IdParams }>('/:type/:id/_history', async (request, reply) =>
          send(reply, await history(context(request), { type: request.params.type, id: request.params.id }, queryOf(request))),
        );
        secured.get<{ Params: IdParams & { vid: string } }>('/:type/:id/_history/:vid', async (request, reply) =>
          send(reply, await vreadResource(context(request), request.params.type, request.params.id, request.params.vid)),
        );
        secured.get<{ Params: { id: string } }>('/Patient/:id/$everything', async (request, reply) =>
          send(reply, await patientEverything(context(request), request.params.id, queryOf(request))),
        );
        secured.post<{ Params: TypeParams }>('/:type', async (request, reply) => {
          const ctx = context(request);
          const ifNoneExist = header(request, 'if-none-exist');
          const outcome = await inWriteTransaction(ctx, (txCtx, tx, session) =>
            createResource(txCtx, tx, session, request.params.type, request.body, ifNoneExist === undefined ? {} : { ifNoneExist }),
          );
          return send(reply, outcome.response);
        });
        secured.put<{ Params: IdParams }>('/:type/:id', async (request, reply) => {
          const ctx = context(request);
          const { type, id } = request.params;
          if (type === 'AuditEvent')
            return send(reply, await db.transaction((tx) => uploadAuditEvent({ ...ctx, db: tx }, tx, id, request.body)));
          const ifMatch = header(request, 'if-match');
          const outcome = await inWriteTransaction(ctx, (txCtx, tx, session) =>
            updateResource(txCtx, tx, session, type, id, request.body, ifMatch === undefined ? {} : { ifMatch }),
          );
          return send(reply, outcome.response);
        });
        // Nothing is deleted on request (interactions-write.ts): refused before the body or the record is read.
        secured.delete<{ Params: IdParams }>('/:type/:id', async (request) => deleteResource(request.params.type, request.params.id));
      });
    },
    { prefix: '/fhir' },
  );
}
