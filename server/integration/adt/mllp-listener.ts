// The MLLP listener: @medplum/hl7's connection framing (VT … FS CR) over TLS (the hub's certificate,
// TLS ≥ 1.2) or, when IT chooses it, plain TCP. Each connection handles its messages one at a time
// in arrival order, so a sender's messages (and so each patient's) are applied in the order sent,
// and every ACK goes back on the connection its message came in on.
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Hl7Message } from '@medplum/core';
import { Hl7Connection, type Hl7ErrorEvent, type Hl7MessageEvent } from '@medplum/hl7';
import type { Logger } from 'pino';
import type { SqlDatabase } from '../../storage/index.js';
import { unreadableAck } from './adt-ack.js';
import { purgeDuplicateKeys, receiveAdtMessage } from './receive-message.js';

/** How long duplicate keys are kept by default (senders reuse control ids; resends come days later). */
export const DEFAULT_DUPLICATE_RETENTION_DAYS = 14;
const PURGE_INTERVAL_MS = 60 * 60_000;

/**
 * The messages of one "message" event. @medplum/hl7 parses everything buffered up to a chunk that
 * ends a frame, so a sender that writes several frames at once arrives as one message holding the
 * others' MSH segments behind frame marks: split them again, so each is applied and ACKed alone.
 */
function framesOf(message: Hl7Message): (Hl7Message | null)[] {
  const text = message.toString();
  if (!text.includes('\x1c') && !text.includes('\x0b')) return [message];
  return (
    text
      .split('\x1c')
      // eslint-disable-next-line no-control-regex -- the MLLP start-of-block mark is the point
      .map((frame) => frame.replace(/^[\r\n]*\x0b?/, '').replace(/[\r\n]+$/, ''))
      .filter((frame) => frame !== '')
      .map((frame) => {
        try {
          return Hl7Message.parse(frame);
        } catch {
          return null;
        }
      })
  );
}

export interface MllpListenerOptions {
  readonly db: SqlDatabase;
  readonly logger: Logger;
  readonly port: number;
  readonly host: string;
  /** The hub's certificate and key; null only when IT chose plain MLLP (--mllp-plain). */
  readonly tls: { readonly certPem: string; readonly keyPem: string } | null;
  readonly clock?: () => Date;
  readonly duplicateRetentionDays?: number;
}

export interface MllpListener {
  /** The port it listens on (the one given, or the one chosen for port 0). */
  readonly port: number;
  readonly tls: boolean;
  close(): Promise<void>;
}

/** Starts listening; resolves once the port is bound. */
export async function startMllpListener(options: MllpListenerOptions): Promise<MllpListener> {
  const clock = options.clock ?? (() => new Date());
  const retention = options.duplicateRetentionDays ?? DEFAULT_DUPLICATE_RETENTION_DAYS;
  const ctx = { db: options.db, clock, logger: options.logger };
  const connections = new Set<Hl7Connection>();
  const idle = new Set<Promise<void>>();

  const accept = (socket: Socket): void => {
    const connection = new Hl7Connection(socket, 'utf-8');
    connections.add(connection);
    let queue: Promise<void> = Promise.resolve();
    connection.addEventListener('message', (event: Hl7MessageEvent) => {
      const work = queue.then(async () => {
        for (const message of framesOf(event.message)) {
          const ack =
            message === null
              ? unreadableAck('The message does not start with an MSH segment; nothing was applied.')
              : (await receiveAdtMessage(ctx, message)).ack;
          if (!connection.isClosed()) connection.send(ack);
        }
      });
      queue = work;
      idle.add(work);
      void work.finally(() => idle.delete(work));
    });
    connection.addEventListener('error', (event: Hl7ErrorEvent) => {
      const error = event.error as Error & { type?: string };
      if (error?.type === 'entity.parse.failed') {
        // Framed bytes that are not an HL7 message: answered in turn, nothing applied.
        queue = queue.then(() => {
          options.logger.warn({ event: 'adt.refused', code: 'MALFORMED' }, 'ADT message refused');
          if (!connection.isClosed())
            connection.send(unreadableAck('The message does not start with an MSH segment; nothing was applied.'));
        });
        return;
      }
      options.logger.debug({ event: 'adt.connection-error', code: (error as { code?: string })?.code }, 'MLLP connection error');
    });
    connection.addEventListener('close', () => connections.delete(connection));
  };

  const server: Server = options.tls
    ? createTlsServer({ cert: options.tls.certPem, key: options.tls.keyPem, minVersion: 'TLSv1.2' }, accept)
    : createTcpServer(accept);
  server.on('tlsClientError', () => options.logger.debug({ event: 'adt.tls-refused' }, 'MLLP TLS handshake refused'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  const purge = async (): Promise<void> => {
    try {
      const removed = await purgeDuplicateKeys(options.db, retention, clock());
      if (removed > 0) options.logger.info({ event: 'adt.duplicate-keys-purged', removed }, 'old ADT duplicate keys removed');
    } catch {
      options.logger.warn({ event: 'adt.duplicate-keys-purge-failed' }, 'old ADT duplicate keys could not be removed; retrying later');
    }
  };
  await purge();
  const timer = setInterval(() => void purge(), PURGE_INTERVAL_MS);
  timer.unref();
  options.logger.info({ event: 'adt.listening', port, tls: options.tls !== null }, 'MLLP listener started');

  return {
    port,
    tls: options.tls !== null,
    async close() {
      clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Messages already received are answered before their connection closes.
      await Promise.allSettled([...idle]);
      await Promise.allSettled([...connections].map((connection) => connection.close()));
      await closed;
    },
  };
}
