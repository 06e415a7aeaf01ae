// fetch() over HTTPS that trusts one CA (the hub's self-signed certificate) and nothing else, built
// on node:https so no global state changes. Returns a standard Response.
import { Agent, request } from 'node:https';

export type HttpsFetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
) => Promise<Response>;

export function httpsFetchTrusting(caPem: string): { fetch: HttpsFetch; close(): void } {
  const agent = new Agent({ ca: caPem, keepAlive: true, maxSockets: 32 });
  const fetch: HttpsFetch = (url, init = {}) =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
          }
          const status = res.statusCode ?? 500;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, headers }));
        });
      });
      req.on('error', reject);
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
  return { fetch, close: () => agent.destroy() };
}
