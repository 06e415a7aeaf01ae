// HTTPS to the upstream EHR: node:https with keep-alive, trusting the system CAs or one given CA
// (a hospital's own). Plain HTTP is refused: the mirror carries charts and a bearer token.
import { Agent, request } from 'node:https';
import { UpstreamError } from './upstream-error.js';

export interface UpstreamHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface UpstreamHttpRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface UpstreamHttp {
  send(url: string, init?: UpstreamHttpRequest): Promise<UpstreamHttpResponse>;
  close(): void;
}

export interface UpstreamHttpOptions {
  /** PEM of the CA to trust instead of the system's (a hospital CA, a test certificate). */
  readonly caPem?: string;
  /** Milliseconds without an answer before the request fails (default 60 s). */
  readonly timeoutMs?: number;
}

export function createUpstreamHttp(options: UpstreamHttpOptions = {}): UpstreamHttp {
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ...(options.caPem === undefined ? {} : { ca: options.caPem }) });
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    send(url, init = {}) {
      if (!url.startsWith('https://')) {
        return Promise.reject(new UpstreamError('CONFIG_INVALID', 'The upstream FHIR server must be reached over https://.'));
      }
      return new Promise((resolve, reject) => {
        const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, agent, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => reject(unavailable(error)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', (error) => reject(unavailable(error)));
        if (init.body !== undefined) req.write(init.body);
        req.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}

function unavailable(error: Error): UpstreamError {
  const code = (error as { code?: unknown }).code;
  return new UpstreamError(
    'UNAVAILABLE',
    `The upstream FHIR server cannot be reached (${typeof code === 'string' ? code : error.message}); the mirror retries.`,
  );
}
