// Evaluation mode's window: an HTTP server on 127.0.0.1 (a random port unless told) that serves the
// built renderer to a browser that opened a one-time address, and the WebSocket (/ipc) through
// which that page reaches the host as the Transport port. Electron is not involved; docs/DESIGN.md
// keeps this for evaluation and e2e tests. Cookies do not keep ports apart, so it relies on the
// Origin check and on no other program on this machine being hostile.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { LOOPBACK_MAX_FRAME_BYTES } from '../../shared/loopback/index.js';
import { HostError, type SenderInfo, type Transport } from '../host/index.js';
import { loopbackOrigin } from './loopback-headers.js';
import { loopbackHttpHandler } from './loopback-http.js';
import { LoopbackSecrets } from './loopback-secrets.js';
import { loopbackSenderCheck } from './loopback-sender.js';
import { rendererFilesOf } from './loopback-site.js';
import { LoopbackTransport } from './loopback-transport.js';
import { refuseUpgrade, upgradeDecision } from './loopback-upgrade.js';

export interface LoopbackServerOptions {
  /** The built renderer (renderer/dist after `npm run build:renderer`). */
  readonly rendererDir: string;
  readonly logger: Logger;
  /** 0 (the default): a free port. */
  readonly port?: number;
  /** How long a one-time address stays usable (default 15 min; null: until used). */
  readonly tokenTtlMs?: number | null;
  /** Pages connected at once (default 8). */
  readonly maxPages?: number;
}

export interface LoopbackServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly transport: Transport;
  /** For openWorkstationHost's isTrustedSender. */
  readonly isTrustedSender: (sender: SenderInfo) => boolean;
  /** A new one-time address: `http://127.0.0.1:<port>/?token=…` (works once). */
  issueUrl(): string;
  /** The pages connected now. */
  connectedPages(): number;
  /** Disconnects every page, forgets every token and session, and stops listening. */
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function openLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const { logger } = options;
  const site = rendererFilesOf(options.rendererDir);
  const secrets = new LoopbackSecrets({ tokenTtlMs: options.tokenTtlMs === undefined ? 15 * 60_000 : options.tokenTtlMs, maxSessions: 16 });
  const maxPages = options.maxPages ?? 8;
  const server = createServer({ maxHeaderSize: 16 * 1024 });
  let port: number;
  try {
    port = await listen(server, options.port ?? 0);
  } catch (error) {
    throw new HostError(
      'LOOPBACK_UNAVAILABLE',
      `Wardline cannot listen on 127.0.0.1${options.port ? ` port ${options.port}` : ''} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Stop the program using it, or choose another port.`,
    );
  }
  const origin = loopbackOrigin(port);
  const transport = new LoopbackTransport({ origin, logger });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: LOOPBACK_MAX_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });

  server.on('request', loopbackHttpHandler({ port, site, secrets, logger }));
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    const decision = upgradeDecision(request, { port, secrets, connectedPages: transport.connections().size, maxPages });
    if (!decision.accept) {
      logger.warn({ event: 'loopback.upgrade_refused', status: decision.status, reason: decision.reason }, 'loopback WebSocket refused');
      return refuseUpgrade(socket, decision.status);
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const contentsId = transport.attach(ws);
      logger.info({ event: 'loopback.page_connected', contentsId }, 'a page connected over loopback');
    });
  });
  logger.info({ event: 'loopback.listening', port }, 'loopback server listening');

  let closed: Promise<void> | null = null;
  return {
    port,
    origin,
    transport,
    isTrustedSender: loopbackSenderCheck(origin, () => transport.connections()),
    issueUrl: () => `${origin}/?token=${secrets.issueToken()}`,
    connectedPages: () => transport.connections().size,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        secrets.clear();
        transport.closeAll();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
