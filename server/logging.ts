// The hub's structured logs (pino): ids, counts, routes and statuses only. Request lines name the
// route pattern (e.g. /fhir/:type/:id), never the URL with its ids or query values, and never bodies.
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { DestinationStream, Logger, LevelWithSilent } from 'pino';

export interface HubLoggerOptions {
  readonly level?: LevelWithSilent;
  /** Where lines go: a stream, or a file descriptor (1 = stdout, the default; 2 = stderr). */
  readonly destination?: DestinationStream | 1 | 2;
}

export function createHubLogger(options: HubLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'wardline-hub' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Belt and braces: should anything ever pass these, they are not written.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-wardline-user"]',
          'req.headers["x-wardline-btg-reason"]',
          'req.url',
          'req.query',
          'req.body',
        ],
        remove: true,
      },
    },
    typeof options.destination === 'object' ? options.destination : pino.destination({ fd: options.destination ?? 1, sync: false }),
  );
}

/** One line per request: method, route pattern, status, duration, device id and user id. */
export function registerRequestLogging(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const principal = (request as { principal?: { device?: { deviceId?: string }; user?: { userId?: string } } | null }).principal;
    request.log.info(
      {
        event: 'request',
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...(principal?.device?.deviceId ? { deviceId: principal.device.deviceId } : {}),
        ...(principal?.user?.userId ? { userId: principal.user.userId } : {}),
      },
      'request',
    );
  });
}
