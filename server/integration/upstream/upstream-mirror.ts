// The running mirror: one loop per hub process, and one leader among the processes on a database
// (mirror-lease.ts): a cycle runs only in the process holding the lease, so the pull and the
// write-back never run twice. Each cycle queues and forwards the documentation sent back, mirrors
// each ward, and forwards again what a ward's match with the EHR's records released; it records every activity's outcome for `upstream status`.
// After a failure the next cycle waits longer (doubling up to maxBackoffMs, or the upstream's
// Retry-After); nothing is lost meanwhile: cursors and the outbox are in the database.
import type { Logger } from 'pino';
import type { SqlDatabase } from '../../storage/index.js';
import { mirrorWard, readCapabilities, type UpstreamCapabilities } from './chart-mirror.js';
import { feedOutbox, sendOutbox } from './documentation-outbox.js';
import { createSmartTokenSource, loadSmartClientKey } from './smart-token.js';
import { UpstreamClient } from './upstream-client.js';
import { checkUpstreamConfig, leaseMsOf, type UpstreamConfig } from './upstream-config.js';
import { createMirrorLease } from './mirror-lease.js';
import { pageWorkerReader } from './page-reader.js';
import { UpstreamError } from './upstream-error.js';
import { createUpstreamHttp } from './upstream-http.js';
import { OUTBOX_ACTIVITY, recordFailure, recordSuccess, wardActivity } from './upstream-status.js';

export interface UpstreamMirrorOptions {
  readonly db: SqlDatabase;
  readonly config: UpstreamConfig;
  readonly logger: Logger;
  readonly clock?: () => Date;
}

export interface CycleReport {
  readonly ok: boolean;
  /** This process held the leader lease and ran the cycle (false: another hub process leads). */
  readonly leader: boolean;
  /** Chart resources written to the hub this cycle. */
  readonly written: number;
  /** Documentation acknowledged by the upstream this cycle. */
  readonly sent: number;
  /** Milliseconds the upstream asked to wait, when it did. */
  readonly retryAfterMs?: number;
}

export interface UpstreamMirror {
  /** One cycle now (tests, the bench); the loop does the same on its own. */
  runCycle(): Promise<CycleReport>;
  /** Starts the loop (cycle, pause, cycle …). */
  start(): void;
  /** Stops the loop after the request in flight; resolves when it has stopped. */
  stop(): Promise<void>;
}

function describe(error: unknown): string {
  if (error instanceof UpstreamError) return `${error.code}: ${error.message}`;
  return 'UNEXPECTED: the mirror failed unexpectedly; see the hub log.';
}

export async function createUpstreamMirror(options: UpstreamMirrorOptions): Promise<UpstreamMirror> {
  const config = checkUpstreamConfig(options.config);
  const clock = options.clock ?? (() => new Date());
  const { db, logger } = options;
  const key = await loadSmartClientKey(config.privateKeyPem, config.keyId);
  const http = createUpstreamHttp(config.caPem === undefined ? {} : { caPem: config.caPem });
  const stopping = new AbortController();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (stopping.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      }
      stopping.signal.addEventListener('abort', done);
    });
  const tokens = createSmartTokenSource({ http, baseUrl: config.baseUrl, clientId: config.clientId, key, clock });
  const client = new UpstreamClient({ http, tokens, baseUrl: config.baseUrl, sleep });
  let capabilities: UpstreamCapabilities | undefined;
  const lease = createMirrorLease(leaseMsOf(config), clock);
  // The page worker starts now, so that its start-up is not on the first pull's path.
  const pages = pageWorkerReader({
    baseUrl: config.baseUrl,
    wards: config.wards,
    ...(config.mrnSystem === undefined ? {} : { mrnSystem: config.mrnSystem }),
    visitSystems: config.visitNumberSystems ?? [],
  });
  let leading = false;

  async function runCycle(): Promise<CycleReport> {
    const leader = await lease.acquire(db);
    if (leader !== leading) {
      leading = leader;
      logger.info(
        { event: leader ? 'upstream.leader' : 'upstream.standby', holder: lease.holder },
        leader ? 'this hub process now runs the upstream mirror' : 'another hub process runs the upstream mirror; this one stands by',
      );
    }
    if (!leader) return { ok: true, leader: false, written: 0, sent: 0 };
    let ok = true;
    let written = 0;
    let sent = 0;
    let retryAfterMs: number | undefined;
    const fail = async (activity: string, error: unknown, count = 0): Promise<void> => {
      if (error instanceof UpstreamError && error.code === 'LEASE_LOST') {
        // Another process took over while this one waited on the upstream: nothing of it was kept.
        leading = false;
        logger.info({ event: 'upstream.standby', holder: lease.holder }, 'the upstream mirror lease was taken over; this one stands by');
        return;
      }
      ok = false;
      if (error instanceof UpstreamError && error.retryAfterMs !== undefined)
        retryAfterMs = Math.max(retryAfterMs ?? 0, error.retryAfterMs);
      logger.warn(
        { event: 'upstream.cycle_failed', activity, code: error instanceof UpstreamError ? error.code : 'UNEXPECTED' },
        'upstream activity failed',
      );
      if (!(error instanceof UpstreamError)) logger.error({ event: 'upstream.unexpected', err: error }, 'unexpected upstream failure');
      await recordFailure(db, activity, clock(), describe(error), count);
    };
    // The documentation first: an acknowledgement lost in a crash is found again (If-None-Exist)
    // before the mirror reads the EHR's copy back, so that copy is known as the hub's own echo.
    let outboxOk = true;
    const forwardDocumentation = async (): Promise<void> => {
      try {
        await feedOutbox(db, config.baseUrl, clock(), (tx) => lease.fence(tx));
        const ehr = { baseUrl: config.baseUrl, visitSystems: config.visitNumberSystems ?? [] };
        const result = await sendOutbox(db, client, clock, logger, config.maxBackoffMs, ehr, (tx) => lease.fence(tx));
        sent += result.sent;
        await recordSuccess(db, OUTBOX_ACTIVITY, clock(), result.sent);
      } catch (error) {
        outboxOk = false;
        await fail(OUTBOX_ACTIVITY, error);
      }
    };
    await forwardDocumentation();
    let matched = 0;
    for (const ward of config.wards) {
      if (stopping.signal.aborted) break;
      try {
        capabilities ??= await readCapabilities(client);
        const result = await mirrorWard({ db, client, config, clock, logger, lease, pages }, capabilities, ward);
        written += result.written;
        matched += result.merged + result.visitsMerged;
        await recordSuccess(db, wardActivity(ward.ward), clock(), result.written);
        logger.info(
          {
            event: 'upstream.ward_mirrored',
            ward: ward.ward,
            patients: result.patients,
            written: result.written,
            refused: result.refused,
            deleted: result.deleted,
            merged: result.merged,
            visitsMerged: result.visitsMerged,
          },
          'ward mirrored',
        );
      } catch (error) {
        await fail(wardActivity(ward.ward), error);
      }
    }
    // Documentation about a patient or stay the mirror has just matched with the EHR's goes out this
    // cycle, on the EHR's records (documentation-outbox.ts).
    if (leading && outboxOk && matched > 0) await forwardDocumentation();
    return { ok, leader: leading, written, sent, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }

  let loop: Promise<void> | undefined;
  return {
    runCycle,
    start() {
      if (loop) return;
      loop = (async () => {
        let failures = 0;
        while (!stopping.signal.aborted) {
          const report = await runCycle().catch(() => ({ ok: false, leader: false, written: 0, sent: 0 }) as CycleReport);
          failures = report.ok ? 0 : failures + 1;
          const backoff = failures === 0 ? config.pollIntervalMs : Math.min(config.maxBackoffMs, 1000 * 2 ** Math.min(failures, 20));
          await sleep(Math.max(backoff, report.retryAfterMs ?? 0));
        }
      })();
    },
    async stop() {
      stopping.abort();
      await loop;
      http.close();
      // Another hub process takes over at its next cycle instead of waiting for the lease to expire.
      if (leading) await lease.release(db).catch(() => undefined);
    },
  };
}
