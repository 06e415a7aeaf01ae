// The upstream FHIR R4 API as the mirror uses it: authenticated reads (401 renews the token once),
// 429 honoured by waiting its Retry-After (within a bound) and asking again, 5xx and network
// failures reported as UNAVAILABLE so the caller backs off, searches that follow Bundle.link
// `next` (only within the upstream's own origin, so the token never leaves it) with the next page
// asked for while the caller writes one (and, for a caller who allows it, searches side by side), existence checks
// (404/410 = deleted), creates, and updates (version-aware with If-Match).
import type { Bundle, OperationOutcome, Resource } from '../../../shared/fhir/index.js';
import type { PageRead, PageReader } from './page-reader.js';
import { parseJson, type SmartTokenSource } from './smart-token.js';
import { bundleResources } from './upstream-page.js';
import { UpstreamError } from './upstream-error.js';
import type { UpstreamHttp, UpstreamHttpResponse } from './upstream-http.js';

export interface UpstreamClientOptions {
  readonly http: UpstreamHttp;
  readonly tokens: SmartTokenSource;
  /** The FHIR base, without a trailing slash. */
  readonly baseUrl: string;
  /** Waits (tests pass a fake); resolves early when the mirror stops. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Longest Retry-After honoured in place (default 60 s); longer ones end the cycle. */
  readonly maxRetryAfterMs?: number;
  /** How many 429s in a row one request may wait out (default 5). */
  readonly maxRateLimitWaits?: number;
}

/** The parsed Retry-After (seconds or an HTTP date), in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: Date): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : undefined;
}

/** One line about an OperationOutcome (issue code and text), bounded, for IT. */
export function outcomeSummary(status: number, body: Buffer): string {
  const outcome = parseJson(body) as OperationOutcome | null;
  const issue = outcome?.resourceType === 'OperationOutcome' ? outcome.issue?.[0] : undefined;
  const text = issue ? [issue.code, issue.details?.text ?? issue.diagnostics].filter(Boolean).join(': ') : '';
  return `HTTP ${status}${text ? ` ${text}` : ''}`.slice(0, 300);
}

/** Reads a page's body on the hub's thread, as the resources of its `match` entries. */
const readResources: PageReader<Resource[]> = (body) => {
  const bundle = parseJson(body) as Bundle | null;
  if (bundle?.resourceType !== 'Bundle') {
    const failed = Promise.reject(new UpstreamError('BAD_RESPONSE', 'The upstream server answered a search without a Bundle.'));
    failed.catch(() => undefined);
    return { next: failed, page: failed };
  }
  return {
    next: Promise.resolve(bundle.link?.find((link) => link.relation === 'next')?.url),
    page: Promise.resolve(bundleResources(bundle)),
  };
};

export interface CreateResult {
  /** `Type/id` of the resource upstream (created now, or the one If-None-Exist matched). */
  readonly reference: string;
  readonly created: boolean;
  /** The EHR's version of what it holds now (meta.versionId, else the ETag), when it says. */
  readonly version?: string;
  /** The EHR's meta.lastUpdated of that version, when it says. */
  readonly lastUpdated?: string;
}

export class UpstreamClient {
  private readonly origin: string;
  constructor(private readonly options: UpstreamClientOptions) {
    this.origin = new URL(options.baseUrl).origin;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** GET a path under the base (or a `next` link), as JSON. */
  async read(pathOrUrl: string): Promise<{ body: unknown; date: string | undefined }> {
    const res = await this.exchange(pathOrUrl, { method: 'GET' });
    if (res.status !== 200) {
      throw new UpstreamError('REFUSED', `The upstream server refused a read (${outcomeSummary(res.status, res.body)}).`, {
        status: res.status,
      });
    }
    const date = res.headers.date;
    return { body: parseJson(res.body), date: typeof date === 'string' ? date : undefined };
  }

  /**
   * Whether the upstream still holds `Type/id`: true on 200, false on 404 (not found) or 410 (gone,
   * deleted); any other answer throws, so an outage or a refusal is never read as a deletion.
   */
  async exists(reference: string): Promise<boolean> {
    const res = await this.exchange(reference, { method: 'GET' });
    if (res.status === 200) return true;
    if (res.status === 404 || res.status === 410) return false;
    throw new UpstreamError('REFUSED', `The upstream server refused a read (${outcomeSummary(res.status, res.body)}).`, {
      status: res.status,
    });
  }

  /**
   * Runs a search and hands over each page's resources in order (the `match` entries, or all when
   * the server does not mark them), following `next` links. A `next` link that repeats a page already
   * read stops the search (it would never end). See searchAll.
   */
  async search(pathAndQuery: string, onPage: (resources: Resource[]) => Promise<void>): Promise<void> {
    await this.searchAll([pathAndQuery], onPage);
  }

  /**
   * Runs searches and hands over their pages, each search's in order, as `search` each. The next
   * page (or the next search's first) is asked for before a page is handed over, so the upstream
   * prepares it while the hub writes this one. With `searchesAtOnce` 1 (the default) the searches
   * run one after another and every page comes in order. With more, that many run side by side
   * (each takes the next query when its search ends), so their pages interleave: for a caller to
   * whom the order between searches does not matter. `onPage` is never called twice at once.
   * When anything fails, no other page is handed over, the requests ahead are left unread, and the
   * first failure is the call's once every search has stopped.
   */
  async searchAll(queries: readonly string[], onPage: (resources: Resource[]) => Promise<void>, searchesAtOnce = 1): Promise<void> {
    await this.searchPages(queries, readResources, onPage, { searchesAtOnce });
  }

  /**
   * searchAll with each page's body read by `reader` (the mirror's page worker), and up to
   * `pagesAhead` pages of each search asked for and read while the pages before them wait to be
   * handed over (1: the next page only, as searchAll). A page is asked for as soon as the `next`
   * link of the one before is known.
   */
  async searchPages<P>(
    queries: readonly string[],
    reader: PageReader<P>,
    onPage: (page: P) => Promise<void>,
    options: { readonly searchesAtOnce?: number; readonly pagesAhead?: number } = {},
  ): Promise<void> {
    const searchesAtOnce = options.searchesAtOnce ?? 1;
    const pagesAhead = Math.max(1, options.pagesAhead ?? 1);
    let taken = 0;
    let failure: { readonly error: unknown } | undefined;
    let turn: Promise<void> = Promise.resolve();
    const handOver = (page: P): Promise<void> => {
      const mine = turn.then(() => (failure === undefined ? onPage(page) : undefined));
      turn = mine.catch(() => undefined);
      return mine;
    };
    const run = async (): Promise<void> => {
      // This run's hand-overs not yet done, oldest first (each waits for the one before, so a
      // search's pages, and the searches one run takes in turn, are handed over in order).
      const handing: Promise<void>[] = [];
      try {
        for (let query = queries[taken++]; query !== undefined && failure === undefined; query = queries[taken++]) {
          // The search's query and the next links read so far: a repeat would never end.
          const followed = new Set<string>([query]);
          let url: string | undefined = query;
          while (url !== undefined && failure === undefined) {
            if (handing.length > pagesAhead) {
              await handing.shift();
              continue;
            }
            const read: PageRead<P> = this.readWith(url, reader);
            const next: string | undefined = await read.next;
            const before = handing[handing.length - 1] ?? Promise.resolve();
            const handed = before.then(() => read.page).then(handOver);
            handed.catch(() => undefined);
            handing.push(handed);
            if (next !== undefined && followed.has(next)) {
              // Failed only once the pages in hand are written, as a page that cannot be read would.
              for (const earlier of handing) await earlier;
              throw new UpstreamError(
                'BAD_RESPONSE',
                "The upstream server's paging went round in a circle (a next link repeated a page already read); the search was stopped.",
              );
            }
            if (next !== undefined) followed.add(next);
            url = next;
          }
        }
        for (const earlier of handing) await earlier;
      } catch (error) {
        // The pages read before the failure are handed over first, and their own failure comes first.
        const earlier = (await Promise.allSettled(handing)).find((result) => result.status === 'rejected');
        failure ??= { error: earlier === undefined ? error : (earlier as PromiseRejectedResult).reason };
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(searchesAtOnce, queries.length)) }, run));
    if (failure !== undefined) throw failure.error;
  }

  /** Asks for a page and reads its body with `reader`. */
  private readWith<P>(url: string, reader: PageReader<P>): PageRead<P> {
    const read = this.exchange(url, { method: 'GET' }).then((res) => {
      if (res.status !== 200) {
        throw new UpstreamError('REFUSED', `The upstream server refused a read (${outcomeSummary(res.status, res.body)}).`, {
          status: res.status,
        });
      }
      return reader(res.body);
    });
    const next = read.then((pageRead) => pageRead.next);
    const page = read.then((pageRead) => pageRead.page);
    next.catch(() => undefined);
    page.catch(() => undefined);
    return { next, page };
  }

  /** POST a create; with `ifNoneExist` the upstream makes it only when nothing matches. */
  async create(type: string, resource: Resource, ifNoneExist?: string): Promise<CreateResult> {
    const res = await this.exchange(type, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', ...(ifNoneExist === undefined ? {} : { 'if-none-exist': ifNoneExist }) },
      body: JSON.stringify(resource),
    });
    return this.written(res, type);
  }

  /**
   * PUT a new version of a resource the upstream already holds; with `ifMatch` (the upstream's
   * versionId the hub last knew) only if that is still its version, else the upstream answers 412
   * (thrown as REFUSED with status 412).
   */
  async update(reference: string, resource: Resource, ifMatch?: string): Promise<CreateResult> {
    const res = await this.exchange(reference, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json', ...(ifMatch === undefined ? {} : { 'if-match': `W/"${ifMatch}"` }) },
      body: JSON.stringify(resource),
    });
    return this.written(res, reference.split('/')[0] ?? '');
  }

  private written(res: UpstreamHttpResponse, type: string): CreateResult {
    if (res.status !== 200 && res.status !== 201) {
      throw new UpstreamError('REFUSED', outcomeSummary(res.status, res.body), { status: res.status });
    }
    const body = parseJson(res.body) as Resource | null;
    const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
    const fromLocation = location ? /([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?\/?$/.exec(location) : null;
    const id = body?.id ?? fromLocation?.[2];
    if (!id) throw new UpstreamError('BAD_RESPONSE', 'The upstream server acknowledged a write without naming the resource.');
    const etag = typeof res.headers.etag === 'string' ? /^(?:W\/)?"([^"]+)"$/.exec(res.headers.etag)?.[1] : undefined;
    const version = body?.meta?.versionId ?? etag;
    const lastUpdated = body?.meta?.lastUpdated;
    return {
      reference: `${body?.resourceType ?? type}/${id}`,
      created: res.status === 201,
      ...(version === undefined ? {} : { version }),
      ...(lastUpdated === undefined ? {} : { lastUpdated }),
    };
  }

  private url(pathOrUrl: string): string {
    if (/^https?:\/\//.test(pathOrUrl)) {
      if (new URL(pathOrUrl).origin !== this.origin) {
        throw new UpstreamError('BAD_RESPONSE', 'The upstream server sent a paging link to another server; the mirror does not follow it.');
      }
      return pathOrUrl;
    }
    return `${this.options.baseUrl}/${pathOrUrl.replace(/^\/+/, '')}`;
  }

  private async exchange(
    pathOrUrl: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ): Promise<UpstreamHttpResponse> {
    const url = this.url(pathOrUrl);
    const maxWait = this.options.maxRetryAfterMs ?? 60_000;
    let rateLimited = 0;
    let renewed = false;
    for (;;) {
      const token = await this.options.tokens.accessToken();
      const res = await this.options.http.send(url, {
        method: init.method,
        headers: { accept: 'application/fhir+json', authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
        ...(init.body === undefined ? {} : { body: init.body }),
      });
      if (res.status === 401 && !renewed) {
        renewed = true;
        this.options.tokens.invalidate();
        continue;
      }
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers['retry-after'], new Date()) ?? 1000 * 2 ** rateLimited;
        rateLimited++;
        if (wait > maxWait || rateLimited > (this.options.maxRateLimitWaits ?? 5)) {
          throw new UpstreamError('RATE_LIMITED', 'The upstream server asks the mirror to slow down (429); it resumes later.', {
            status: 429,
            retryAfterMs: wait,
          });
        }
        await this.options.sleep(wait);
        continue;
      }
      if (res.status >= 500 || res.status === 408) {
        throw new UpstreamError('UNAVAILABLE', `The upstream server answered ${res.status}; the mirror retries.`, {
          status: res.status,
          ...(retryAfterMs(res.headers['retry-after'], new Date()) === undefined
            ? {}
            : { retryAfterMs: retryAfterMs(res.headers['retry-after'], new Date())! }),
        });
      }
      if (res.status === 401 || res.status === 403) {
        throw new UpstreamError(
          'TOKEN_REFUSED',
          `The upstream server refused the hub's token (HTTP ${res.status}); check the scopes granted to the hub.`,
          {
            status: res.status,
          },
        );
      }
      return res;
    }
  }
}
