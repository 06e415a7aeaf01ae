// The FHIR client of the workstation: requests to the hub over the pinned transport, authenticated
// as the device (private_key_jwt → device token, cached until shortly before it expires), retried
// with exponential backoff and jitter on network errors, stalls and 5xx, waiting as the hub asks on
// 429 (Retry-After). Every outcome feeds the connectivity monitor. Links the hub returns are
// followed only on the enrolled hub: their path and query are resolved against the hub URL.
import type { CryptoKey } from 'jose';
import type { Logger } from 'pino';
import { createClientAssertion, hubCurrentVersion, hubErrorCode, tokenRequestBody, tokenResponseSchema } from '../../shared/auth/index.js';
import { backoffDelay, retryAfterMs, sleep, untilAborted } from './backoff.js';
import type { ConnectivityMonitor } from './connectivity.js';
import type { HttpRequest, HttpResponse, HttpSend } from './http-transport.js';
import type { SyncPolicy } from './sync-policy.js';
import { PageReaderFailed } from './page-reader.js';
import { isSyncError, SyncError } from './sync-error.js';

export interface HubClientOptions {
  /** `https://host:port` as enrolled (or set by policy). */
  readonly hubUrl: string;
  readonly send: HttpSend;
  readonly clientId: string;
  /** The hub's token URL: the `aud` of client assertions (requests go to hubUrl + /auth/token). */
  readonly tokenUrl: string;
  readonly privateKey: () => Promise<CryptoKey>;
  readonly policy: SyncPolicy;
  readonly monitor: ConnectivityMonitor;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly random: () => number;
  /** Aborts requests: asked at each request (the engine replaces it when the watchdog restarts the loop). */
  readonly signal: () => AbortSignal;
  /** Called when the hub refuses the device itself (revoked, unknown). */
  readonly onDeviceRefused?: (code: string) => void;
}

export interface HubAnswer {
  readonly status: number;
  readonly body: unknown;
}

const TOKEN_REFRESH_MARGIN_MS = 60_000;
const MAX_RATE_LIMIT_WAITS = 20;
const FHIR_JSON = 'application/fhir+json';
const TOKEN_PATH = '/auth/token';

/** Codes of a device token that is merely stale: get a new one and retry. */
const STALE_TOKEN = new Set(['DEVICE_TOKEN_EXPIRED', 'DEVICE_TOKEN_INVALID', 'DEVICE_TOKEN_MISSING']);
const DEVICE_REFUSED = new Set(['DEVICE_REVOKED', 'DEVICE_UNKNOWN']);
const TRANSIENT_STATUS = new Set([408, 500, 502, 503, 504]);

function parseJson(response: HttpResponse): unknown {
  if (response.body.length === 0) return null;
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch (error) {
    throw new SyncError(
      'HUB_ANSWER_INVALID',
      'The hub sent an answer that is not valid JSON (it may have been cut off). Sync retries by itself.',
      { cause: error, status: response.status },
    );
  }
}

/** Errors after which the same request may be sent again. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof SyncError && ['HUB_UNREACHABLE', 'CONNECTION_LOST', 'TIMEOUT', 'HUB_ERROR', 'HUB_ANSWER_INVALID'].includes(error.code)
  );
}

/** Whether the hub was reached when `error` happened (hub-down rather than offline). */
function reachedHub(error: SyncError): boolean {
  return error.code !== 'HUB_UNREACHABLE' && error.code !== 'PIN_MISMATCH' && error.code !== 'TLS_FAILED';
}

export class HubClient {
  readonly #o: HubClientOptions;
  readonly #base: URL;
  #token: { value: string; renewAtMs: number } | null = null;
  #tokenRequest: Promise<string> | null = null;

  constructor(options: HubClientOptions) {
    this.#o = options;
    this.#base = new URL(options.hubUrl);
  }

  /** An absolute URL on the hub for `pathOrLink` (a path like `/fhir/Patient`, or a link the hub returned). */
  urlFor(pathOrLink: string): string {
    const link = new URL(pathOrLink, this.#base);
    return new URL(`${link.pathname}${link.search}`, this.#base).toString();
  }

  /**
   * GET with the device token; the JSON body of a 2xx answer. `headers` add to the request (e.g. a
   * user token and a break-the-glass reason); `retries` overrides the policy's (an interactive read).
   */
  async getJson(pathOrLink: string, options: { headers?: Readonly<Record<string, string>>; retries?: number } = {}): Promise<unknown> {
    const answer = await this.#exchange(
      { method: 'GET', url: this.urlFor(pathOrLink), headers: { ...options.headers, accept: FHIR_JSON } },
      true,
      options.retries === undefined ? {} : { retries: options.retries },
    );
    return answer.body;
  }

  /**
   * GET with the device token; `parse` reads the raw body of a 2xx answer (e.g. a Bundle page one
   * entry at a time, without parsing it whole first). A HUB_ANSWER_INVALID from `parse` (not JSON)
   * is retried like a body that is not JSON; a HUB_ANSWER_MALFORMED (JSON of the wrong shape) is not:
   * the hub answered, and would answer the same again.
   */
  async getParsed<T>(pathOrLink: string, parse: (body: Buffer) => T | Promise<T>): Promise<T> {
    const answer = await this.#exchange({ method: 'GET', url: this.urlFor(pathOrLink), headers: { accept: FHIR_JSON } }, true, { parse });
    return answer.body as T;
  }

  /** POST of a FHIR Bundle (transaction or batch) to /fhir; the response Bundle. */
  async postBundle(bundle: unknown): Promise<unknown> {
    const answer = await this.#exchange(
      {
        method: 'POST',
        url: this.urlFor('/fhir'),
        headers: { accept: FHIR_JSON, 'content-type': FHIR_JSON, prefer: 'return=representation' },
        body: JSON.stringify(bundle),
      },
      true,
    );
    return answer.body;
  }

  /**
   * POST of a batch Bundle, its JSON text sent as it is (the audit upload serialises the next Bundle
   * while the hub works on the last), to /fhir answered with statuses only (Prefer: return=minimal);
   * any answer the hub meant, 4xx included (the audit upload reads each entry's status).
   */
  async postBatchAnswer(bundleJson: string): Promise<HubAnswer> {
    return this.#exchange(
      {
        method: 'POST',
        url: this.urlFor('/fhir'),
        headers: { accept: FHIR_JSON, 'content-type': FHIR_JSON, prefer: 'return=minimal' },
        body: bundleJson,
      },
      true,
      { returnRefusals: true },
    );
  }

  /** POST of JSON with the device token (e.g. /auth/login); any answer the hub meant, 4xx included. */
  async postJsonAnswer(path: string, body: unknown, options: { retries?: number } = {}): Promise<HubAnswer> {
    return this.#exchange(
      {
        method: 'POST',
        url: this.urlFor(path),
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      true,
      { returnRefusals: true, ...options },
    );
  }

  /** A device token, from the cache or the hub's token endpoint. */
  async deviceToken(): Promise<string> {
    const cached = this.#token;
    if (cached !== null && this.#o.now().getTime() < cached.renewAtMs) return cached.value;
    this.#tokenRequest ??= this.#requestToken().finally(() => {
      this.#tokenRequest = null;
    });
    return this.#tokenRequest;
  }

  async #requestToken(): Promise<string> {
    const now = this.#o.now();
    const assertion = await createClientAssertion({
      privateKey: await this.#o.privateKey(),
      clientId: this.#o.clientId,
      tokenUrl: this.#o.tokenUrl,
      now,
    });
    const answer = await this.#exchange(
      {
        method: 'POST',
        url: this.urlFor(TOKEN_PATH),
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestBody(assertion),
      },
      false,
      { returnRefusals: true },
    );
    if (answer.status === 400 || answer.status === 401) {
      this.#o.onDeviceRefused?.('TOKEN_REFUSED');
      throw new SyncError(
        'AUTH_FAILED',
        "The hub refused this workstation's device credentials: its enrollment was revoked, or this hub does not know it. Cached charts stay readable. Ask IT to enroll the workstation again (wardline enroll).",
        { status: answer.status },
      );
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new SyncError('HUB_ERROR', `The hub's token endpoint answered ${answer.status}. Sync retries by itself.`, {
        status: answer.status,
      });
    }
    const parsed = tokenResponseSchema.safeParse(answer.body);
    if (!parsed.success) {
      throw new SyncError(
        'HUB_ANSWER_INVALID',
        "The hub's token endpoint sent an answer this workstation cannot read. Ask IT to check that hub and workstation versions match.",
      );
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    const margin = Math.min(TOKEN_REFRESH_MARGIN_MS, lifetimeMs / 5);
    this.#token = { value: parsed.data.access_token, renewAtMs: now.getTime() + lifetimeMs - margin };
    return parsed.data.access_token;
  }

  /**
   * One logical request: attempts until a 2xx (or, with returnRefusals, any 4xx the hub meant),
   * retrying transient failures with backoff and rate limits as the hub asks.
   */
  async #exchange(
    base: HttpRequest,
    withDeviceToken: boolean,
    options: { returnRefusals?: boolean; retries?: number; parse?: (body: Buffer) => unknown } = {},
  ): Promise<HubAnswer> {
    const { policy, monitor } = this.#o;
    const signal = this.#o.signal();
    const retries = options.retries ?? policy.retries;
    let failures = 0;
    let rateLimitWaits = 0;
    let refreshedToken = false;
    for (;;) {
      let wait: number;
      try {
        const headers: Record<string, string> = { ...(base.headers ?? {}) };
        if (withDeviceToken) headers.authorization = `Bearer ${await this.deviceToken()}`;
        const response = await this.#o.send({ ...base, headers }, signal);
        const status = response.status;
        if (status >= 200 && status < 300) {
          let body: unknown;
          try {
            body = options.parse === undefined ? parseJson(response) : await untilAborted(options.parse(response.body), signal);
          } catch (error) {
            // The hub is up and answering, only not in a form this workstation reads (or its page
            // reader failed, and the page is asked again: page-reader-fallback.ts): not downtime.
            if (isSyncError(error, 'HUB_ANSWER_MALFORMED') || error instanceof PageReaderFailed) monitor.answered(response.firstByteMs);
            throw error;
          }
          monitor.answered(response.firstByteMs);
          return { status, body };
        }
        const body = status === 429 || TRANSIENT_STATUS.has(status) ? safeJson(response) : parseJson(response);
        const code = hubErrorCode(body);
        if (status === 429) {
          const asked =
            retryAfterMs(response.headers['retry-after'], this.#o.now().getTime()) ??
            backoffDelay(rateLimitWaits, policy.retryBaseMs, policy.retryMaxMs, this.#o.random);
          rateLimitWaits += 1;
          monitor.hiccup('RATE_LIMITED');
          if (asked > policy.maxRetryAfterMs || rateLimitWaits > MAX_RATE_LIMIT_WAITS) {
            throw new SyncError(
              'RATE_LIMITED',
              'The hub asks this workstation to slow down for longer than the policy allows; sync tries again later.',
              { status, hubCode: 'RATE_LIMITED' },
            );
          }
          this.#o.logger.info({ event: 'sync.rate_limited', waitMs: asked }, 'hub rate limit: waiting as asked');
          await sleep(asked, signal);
          continue;
        }
        if (TRANSIENT_STATUS.has(status)) {
          throw Object.assign(
            new SyncError('HUB_ERROR', `The hub answered ${status} (it is up but failing). Sync retries by itself.`, {
              status,
              ...(code ? { hubCode: code } : {}),
            }),
            {
              retryAfter: retryAfterMs(response.headers['retry-after'], this.#o.now().getTime()),
            },
          );
        }
        if (withDeviceToken && (status === 401 || status === 403) && code !== undefined && STALE_TOKEN.has(code) && !refreshedToken) {
          refreshedToken = true;
          this.#token = null;
          continue;
        }
        if (withDeviceToken && (status === 401 || status === 403 || status === 404) && code !== undefined && DEVICE_REFUSED.has(code)) {
          monitor.answered(response.firstByteMs);
          this.#o.onDeviceRefused?.(code);
          throw new SyncError(
            code === 'DEVICE_REVOKED' ? 'DEVICE_REVOKED' : 'DEVICE_UNKNOWN',
            code === 'DEVICE_REVOKED'
              ? "IT revoked this workstation's enrollment at the hub, so it no longer syncs. Cached charts stay readable until the cache is wiped. Ask IT to enroll it again."
              : 'The hub does not know this workstation (its enrollment is gone). Cached charts stay readable. Ask IT to enroll it again.',
            { status, hubCode: code },
          );
        }
        monitor.answered(response.firstByteMs);
        if (options.returnRefusals && status >= 400 && status < 500) return { status, body };
        const currentVersion = status === 412 ? hubCurrentVersion(body) : undefined;
        throw new SyncError('REQUEST_REFUSED', `The hub refused a request (${status}${code ? ` ${code}` : ''}).`, {
          status,
          ...(code ? { hubCode: code } : {}),
          ...(currentVersion === undefined ? {} : { currentVersion }),
        });
      } catch (error) {
        if (!isTransient(error)) {
          if (error instanceof SyncError && (error.code === 'PIN_MISMATCH' || error.code === 'TLS_FAILED'))
            monitor.failed(error.code, false);
          throw error;
        }
        const syncError = error as SyncError & { retryAfter?: number | null };
        failures += 1;
        if (failures > retries) {
          monitor.failed(syncError.code, reachedHub(syncError));
          throw syncError;
        }
        monitor.hiccup(syncError.code);
        const asked = syncError.retryAfter ?? null;
        wait =
          asked !== null && asked <= policy.maxRetryAfterMs
            ? asked
            : backoffDelay(failures - 1, policy.retryBaseMs, policy.retryMaxMs, this.#o.random);
        this.#o.logger.debug({ event: 'sync.retry', code: syncError.code, attempt: failures, waitMs: wait }, 'request failed; retrying');
      }
      await sleep(wait, signal);
    }
  }
}

function safeJson(response: HttpResponse): unknown {
  try {
    return parseJson(response);
  } catch {
    return null;
  }
}
