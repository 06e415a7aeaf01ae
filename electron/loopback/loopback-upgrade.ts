// Which WebSocket upgrades the loopback server accepts: only on /ipc, only for Host
// 127.0.0.1:<port>, only from a page of this server (Origin) that holds a session cookie, and only
// while fewer than the maximum of pages are connected. A refusal is a plain HTTP status, without
// a handshake.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { LOOPBACK_IPC_PATH } from '../../shared/loopback/index.js';
import { loopbackOrigin } from './loopback-headers.js';
import { hasSession, isOwnHost } from './loopback-http.js';
import type { LoopbackSecrets } from './loopback-secrets.js';

export interface UpgradeContext {
  readonly port: number;
  readonly secrets: LoopbackSecrets;
  readonly connectedPages: number;
  readonly maxPages: number;
}

export type UpgradeDecision =
  { readonly accept: true } | { readonly accept: false; readonly status: 401 | 403 | 404 | 503; readonly reason: string };

export function upgradeDecision(request: IncomingMessage, context: UpgradeContext): UpgradeDecision {
  if (request.url !== LOOPBACK_IPC_PATH) return { accept: false, status: 404, reason: 'path' };
  if (!isOwnHost(request, context.port)) return { accept: false, status: 403, reason: 'host' };
  if (request.headers.origin !== loopbackOrigin(context.port)) return { accept: false, status: 403, reason: 'origin' };
  if (!hasSession(request, context)) return { accept: false, status: 401, reason: 'no-session' };
  if (context.connectedPages >= context.maxPages) return { accept: false, status: 503, reason: 'too-many-pages' };
  return { accept: true };
}

/** Answers a refused upgrade with its status and closes the connection. */
export function refuseUpgrade(socket: Duplex, status: number): void {
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\nCache-Control: no-store\r\n\r\n`,
  );
}
