// An HTTPS agent that hands a socket to a request only after the hub's certificate matched a pin:
// the TLS handshake completes, the SPKI hash of the leaf certificate is compared with the pins,
// and on a mismatch the socket is destroyed before a single byte of the request is written. With a
// CA the chain and host name are verified too; without one, the pin is the trust (a self-signed
// hub). Session resumption is off, so every connection proves the pin. Nothing global changes.
import { Agent, type AgentOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect, type TLSSocket } from 'node:tls';
import { spkiPinOf } from './spki-pin.js';
import { SyncError } from './sync-error.js';

export interface PinnedAgentOptions {
  /** Accepted pins (the enrollment's, plus any policy adds for a certificate rotation). */
  readonly pins: readonly string[];
  /** PEM of a CA to verify the chain and host name against, in addition to the pin. */
  readonly caPem?: string;
  readonly connectTimeoutMs: number;
  readonly maxSockets?: number;
  /** Called once per refused connection (for the audit trail). */
  readonly onPinMismatch?: (host: string, presentedPin: string) => void;
}

interface ConnectOptions {
  host?: string | null;
  hostname?: string | null;
  port?: number | string | null;
  servername?: string;
}

type ConnectionCallback = (error: Error | null, socket: Duplex) => void;

export class PinnedAgent extends Agent {
  readonly #options: PinnedAgentOptions;

  constructor(options: PinnedAgentOptions) {
    const agentOptions: AgentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8, maxCachedSessions: 0 };
    super(agentOptions);
    this.#options = options;
  }

  override createConnection(options: ConnectOptions, callback: ConnectionCallback): undefined {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = Number(options.port ?? 443);
    const { caPem, pins, connectTimeoutMs, onPinMismatch } = this.#options;
    const socket: TLSSocket = connect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: options.servername ?? host }),
      minVersion: 'TLSv1.2',
      ALPNProtocols: ['http/1.1'],
      ...(caPem === undefined ? { rejectUnauthorized: false } : { ca: caPem, rejectUnauthorized: true }),
    });
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('error', onError);
      if (error !== null) {
        socket.destroy();
        callback(error, socket);
      } else {
        callback(null, socket);
      }
    };
    const onError = (error: Error): void => {
      settle(classifyConnectError(error));
    };
    const timer = setTimeout(() => {
      settle(
        new SyncError(
          'HUB_UNREACHABLE',
          'The hub did not answer the connection in time. The workstation keeps showing cached charts and retries by itself.',
        ),
      );
    }, connectTimeoutMs);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerX509Certificate();
      const presented = certificate === undefined ? '' : spkiPinOf(certificate);
      if (!pins.includes(presented)) {
        onPinMismatch?.(host, presented);
        settle(
          new SyncError(
            'PIN_MISMATCH',
            'The hub presented a certificate that does not match the pin this workstation holds, so nothing was sent. ' +
              "This can be an attack or a new hub certificate: ask IT to check the hub's certificate pin (wardline enroll / policy).",
          ),
        );
        return;
      }
      settle(null);
    });
    return undefined;
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);

function classifyConnectError(error: Error): SyncError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (UNREACHABLE.has(code)) {
    return new SyncError(
      'HUB_UNREACHABLE',
      'The hub cannot be reached from this workstation (network or hub down). Cached charts stay readable; sync retries by itself.',
      { cause: error },
    );
  }
  return new SyncError(
    'TLS_FAILED',
    'A secure connection to the hub could not be set up (its certificate or TLS version was refused). Ask IT to check the hub address and certificate.',
    { cause: error },
  );
}
