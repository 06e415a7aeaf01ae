// `wardline-hub serve`: opens the store (SQLite in the data folder, or PostgreSQL), loads the TLS
// certificate (files, or --dev-tls), optionally seeds the demo ward, listens over HTTPS, prints
// where and how to connect, and shuts down cleanly on Ctrl-C (SIGINT) or SIGTERM.
import { hostname } from 'node:os';
import type { LevelWithSilent } from 'pino';
import { buildHub } from '../app.js';
import { createEnrollmentToken } from '../identity/index.js';
import { createHubLogger } from '../logging.js';
import { DEMO_WARD, ensureDemoAccounts, seedDemoWard } from '../demo/index.js';
import {
  createUpstreamMirror,
  startMllpListener,
  type MllpListener,
  type UpstreamConfig,
  type UpstreamMirror,
} from '../integration/index.js';
import { loadTls, type HubTls } from '../tls/index.js';
import { HubCliError } from './hub-cli-error.js';
import { dataDirOf, openStore, type StoreOptions } from './hub-options.js';
import { wardNotServed, type CliIo } from './admin-commands.js';
import { isWardServed } from '../wards/index.js';

export const DEFAULT_PORT = 8443;

export interface ServeOptions extends StoreOptions {
  readonly port: number;
  readonly host: string;
  readonly demo?: number;
  readonly devTls: boolean;
  readonly cert?: string;
  readonly key?: string;
  readonly publicUrl?: string;
  readonly logLevel: LevelWithSilent;
  /** The HL7 v2 ADT listener (MLLP): its port, TLS with the hub's certificate unless `plain`. */
  readonly mllp?: {
    readonly port: number;
    readonly plain: boolean;
    readonly duplicateRetentionDays?: number;
    /** Connections open at once (default DEFAULT_MLLP_MAX_CONNECTIONS). */
    readonly maxConnections?: number;
    /** How long a frame begun may take to end (default DEFAULT_MLLP_FRAME_DEADLINE_MS). */
    readonly frameDeadlineMs?: number;
  };
  /** Mirror charts from this upstream EHR and send documentation back to it. */
  readonly upstream?: UpstreamConfig;
  /** Days the hub keeps its record of sign-ins (default 365). */
  readonly signInRetentionDays?: number;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Resolves when the hub has shut down after a signal (or `stop` is called). */
export async function serveCommand(options: ServeOptions, io: CliIo, stop?: AbortSignal): Promise<void> {
  if (!options.devTls && !(options.cert && options.key)) {
    throw new HubCliError(
      'USAGE',
      'The hub serves HTTPS only: give --cert FILE --key FILE, or --dev-tls for a self-signed development certificate.',
    );
  }
  const dataDir = await dataDirOf(options);
  const devTls = options.devTls && !(options.cert && options.key);
  const filesTls = devTls ? null : await loadTls({ kind: 'files', certPath: options.cert!, keyPath: options.key! });
  const { db, description, keyStore, rotationPending } = await openStore(
    options,
    options.demo !== undefined || options.devTls ? 'dev-serve' : 'serve',
  );
  // The development key is sealed at rest with the hub key's KEK, so it is loaded once the store is open.
  let tls: HubTls;
  try {
    tls =
      filesTls ??
      (await loadTls({
        kind: 'dev',
        dataDir,
        hostNames: [hostname(), ...(isWildcard(options.host) ? [] : [options.host])],
        sealer: db.secrets,
      }));
  } catch (error) {
    await db.close();
    throw error;
  }
  // Logs (JSON lines) on stderr, so stdout holds only what the operator reads: URL, pin, accounts.
  const logger = createHubLogger({ level: options.logLevel, destination: 2 });
  let publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';
  let app;
  let mllp: MllpListener | undefined;
  let mirror: UpstreamMirror | undefined;
  try {
    // The upstream's key, settings and wards are checked before the hub listens: each mirrored ward
    // must be one the hub serves (set up with `ward add`; the demo ward when --demo seeds it).
    for (const { ward } of options.upstream?.wards ?? []) {
      const seededByDemo = ward === DEMO_WARD.id && options.demo !== undefined && options.demo > 0;
      if (!seededByDemo && !(await isWardServed(db, ward))) {
        const refused = wardNotServed(ward);
        throw new HubCliError(refused.code, `--upstream-ward ${ward}: ${refused.message}`);
      }
    }
    if (options.upstream) mirror = await createUpstreamMirror({ db, config: options.upstream, logger });
    app = await buildHub({
      db,
      logger,
      tls,
      publicUrl: () => publicUrl,
      ...(options.signInRetentionDays === undefined ? {} : { signIns: { retentionDays: options.signInRetentionDays } }),
    });
    try {
      await app.listen({ host: options.host, port: options.port });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EADDRINUSE') {
        throw new HubCliError(
          'PORT_IN_USE',
          `Port ${options.port} is already in use; stop the other program or choose another with --port.`,
        );
      }
      throw error;
    }
    if (options.mllp) {
      try {
        mllp = await startMllpListener({
          db,
          logger,
          host: options.host,
          port: options.mllp.port,
          tls: options.mllp.plain ? null : tls,
          ...(options.mllp.duplicateRetentionDays === undefined ? {} : { duplicateRetentionDays: options.mllp.duplicateRetentionDays }),
          ...(options.mllp.maxConnections === undefined ? {} : { maxConnections: options.mllp.maxConnections }),
          ...(options.mllp.frameDeadlineMs === undefined ? {} : { frameDeadlineMs: options.mllp.frameDeadlineMs }),
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === 'EADDRINUSE') {
          throw new HubCliError('PORT_IN_USE', `Port ${options.mllp.port} is already in use; choose another with --mllp-port.`);
        }
        throw error;
      }
    }
  } catch (error) {
    await mirror?.stop();
    await app?.close().catch(() => undefined);
    await db.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const listening = `https://${isWildcard(options.host) ? hostname() : urlHost(options.host)}:${port}`;
  if (!publicUrl) publicUrl = listening;

  // Ctrl-C or SIGTERM from here on (even while the demo ward is being seeded) stops the hub cleanly.
  const stopped = new Promise<void>((resolveStopped) => {
    const shutdown = (): void => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      stop?.removeEventListener('abort', shutdown);
      resolveStopped();
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    stop?.addEventListener('abort', shutdown);
  });

  io.print(`Wardline hub listening on ${listening} (store: ${description})`);
  if (publicUrl !== listening) io.print(`Public URL (token audience, links): ${publicUrl}`);
  io.print(`TLS certificate SPKI pin (sha256, base64): ${tls.pin}`);
  if (mllp) {
    io.print(
      mllp.tls
        ? `HL7 v2 ADT feed (MLLP over TLS, the same certificate) on port ${mllp.port}`
        : `HL7 v2 ADT feed (plain MLLP, no TLS: the feed's secret crosses the network in the clear) on port ${mllp.port}`,
    );
  }
  io.print(`Hub key: ${keyStore.description}`);
  if (rotationPending) io.print('A key rotation was interrupted: run wardline-hub rotate-keys again (hub stopped) to finish it.');
  if (options.demo !== undefined && options.demo > 0) {
    const now = new Date();
    const seeded = await seedDemoWard(db, options.demo, now);
    io.print(
      seeded.seeded
        ? `Demo ward "${DEMO_WARD.id}": ${seeded.patients} synthetic in-patients, ${seeded.resources} resources loaded.`
        : `Demo ward "${DEMO_WARD.id}" already loaded (${seeded.patients} in-patients); nothing added.`,
    );
    io.print('Demo accounts (synthetic data only; passwords are new each start):');
    for (const account of await ensureDemoAccounts(db, now)) {
      const mfa = account.mfa
        ? account.totpSecret
          ? `  TOTP secret: ${account.totpSecret}  (${account.otpauthUrl})`
          : '  TOTP: the secret printed when this hub first created the account'
        : '';
      io.print(`  ${account.username.padEnd(11)} ${account.role.padEnd(10)} password: ${account.password}${mfa}`);
    }
    io.print(
      `Enrollment token for ward "${DEMO_WARD.id}" (valid 24 h, single use): ${await createEnrollmentToken(db, { ward: DEMO_WARD.id })}`,
    );
  }
  if (mirror && options.upstream) {
    mirror.start();
    io.print(`Mirroring ${options.upstream.wards.length} ward(s) from the upstream EHR (wardline-hub upstream status shows its progress).`);
  }
  io.print('Press Ctrl-C to stop.');

  await stopped;
  logger.info({ event: 'shutdown' }, 'hub stopping');
  await mllp?.close();
  await mirror?.stop();
  await app.close();
  await db.close();
  logger.flush();
  io.print('Wardline hub stopped.');
}
