// The loopback server's HTTP answers. Only GET/HEAD, only with Host 127.0.0.1:<port> (a page on a
// rebound DNS name is refused). `/?token=T` with a valid one-time token starts a browser session:
// the cookie is set and the browser is sent on to `/` (303), so the token leaves the address bar
// and the history. Every other request needs the session cookie; without it, a page says how to
// get in. Files come from the built renderer only; every answer carries the strict headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { cookieValue, loopbackHeaders, sessionCookie, sessionCookieName } from './loopback-headers.js';
import type { LoopbackSecrets } from './loopback-secrets.js';
import { resolveSitePath, type RendererFiles } from './loopback-site.js';

export interface LoopbackHttpContext {
  readonly port: number;
  readonly site: RendererFiles;
  readonly secrets: LoopbackSecrets;
  readonly logger: Logger;
}

const NO_SESSION_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wardline</title></head>
<body><main><h1>Wardline</h1>
<p>This page needs the one-time address Wardline printed in its terminal (it ends in <code>?token=</code>).
Each address opens Wardline once, in one browser; ask the terminal for a new one if it was used already.</p>
</main></body></html>
`;

/** Whether a request names this server exactly (the defence against DNS rebinding). */
export function isOwnHost(request: IncomingMessage, port: number): boolean {
  return request.headers.host === `127.0.0.1:${port}`;
}

/** The browser session named by the request's cookie, if it is one this server started. */
export function hasSession(request: IncomingMessage, context: Pick<LoopbackHttpContext, 'port' | 'secrets'>): boolean {
  return context.secrets.isSession(cookieValue(request.headers.cookie, sessionCookieName(context.port)));
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer | null,
  head: boolean,
): void {
  response.writeHead(status, headers);
  response.end(head || body === null ? undefined : body);
}

export function loopbackHttpHandler(context: LoopbackHttpContext): (request: IncomingMessage, response: ServerResponse) => void {
  const { port, site, secrets, logger } = context;
  const base = loopbackHeaders(port);
  const refuse = (response: ServerResponse, status: number, reason: string, head: boolean): void => {
    logger.warn({ event: 'loopback.refused', status, reason }, 'loopback request refused');
    send(response, status, { ...base, 'Content-Type': 'text/plain; charset=utf-8' }, `${status}\n`, head);
  };

  return (request, response) => {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) return refuse(response, 405, 'method', head);
    if (!isOwnHost(request, port)) return refuse(response, 403, 'host', head);
    const raw = request.url ?? '';
    if (raw.length > 2048 || !raw.startsWith('/')) return refuse(response, 400, 'malformed', head);
    const queryAt = raw.indexOf('?');
    const rawPath = queryAt < 0 ? raw : raw.slice(0, queryAt);
    const query = new URLSearchParams(queryAt < 0 ? '' : raw.slice(queryAt + 1));
    const token = query.get('token');
    const signedIn = hasSession(request, context);

    if (rawPath === '/' && token !== null) {
      if (secrets.consumeToken(token)) {
        logger.info({ event: 'loopback.session_started' }, 'a browser opened Wardline with a one-time address');
        return send(response, 303, { ...base, Location: '/', 'Set-Cookie': sessionCookie(port, secrets.startSession()) }, null, head);
      }
      if (signedIn) return send(response, 303, { ...base, Location: '/' }, null, head);
      logger.warn({ event: 'loopback.token_refused' }, 'a one-time address was used again, expired or never issued');
      return send(response, 403, { ...base, 'Content-Type': 'text/html; charset=utf-8' }, NO_SESSION_PAGE, head);
    }
    if (!signedIn) return send(response, 403, { ...base, 'Content-Type': 'text/html; charset=utf-8' }, NO_SESSION_PAGE, head);

    const decision = resolveSitePath(rawPath, site);
    if (decision.kind === 'refused') return refuse(response, decision.status, decision.reason, head);
    readFile(decision.file).then(
      (body) => send(response, 200, { ...base, 'Content-Type': decision.contentType }, body, head),
      () => refuse(response, 404, 'unreadable', head),
    );
  };
}
