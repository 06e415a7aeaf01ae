// A real hub for end-to-end tests that can be taken down and brought back on the same port: one
// database and one TLS certificate (so the workstation's pin holds), a Fastify listener that
// `stop()` closes and `start()` opens again. It holds a synthetic ward and staff with known
// passwords (synthetic people only).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildHub } from '../../server/app.js';
import { importResources } from '../../server/fhir/index.js';
import { addUser, createEnrollmentToken, type RateLimitOptions } from '../../server/identity/index.js';
import { createHubLogger } from '../../server/logging.js';
import { newHubKey, openHubDatabase, type SqlDatabase } from '../../server/storage/index.js';
import { createDevCertificate, spkiPin } from '../../server/tls/index.js';
import { generateWard, type SyntheticWard } from '../../shared/synthetic/index.js';

export type StaffRole = 'nurse' | 'physician' | 'clerk' | 'admin';

export interface StaffAccount {
  readonly username: string;
  readonly password: string;
  readonly role: StaffRole;
  /** Set for an account that signs in with a TOTP code as well (currentTotpCode in server/identity). */
  readonly totpSecret?: string;
}

export interface E2eHubOptions {
  readonly wardId: string;
  readonly wardName: string;
  readonly seed: string;
  readonly patients: number;
  readonly days: number;
  /** Where the charts' history ends (default: the current hour). */
  readonly now?: Date;
  readonly rateLimit?: RateLimitOptions;
}

export interface E2eHub {
  /** `https://127.0.0.1:<port>` (the same after a restart). */
  readonly url: string;
  readonly pin: string;
  readonly caPem: string;
  readonly db: SqlDatabase;
  readonly ward: SyntheticWard;
  readonly staff: readonly StaffAccount[];
  /** Whether the hub is listening now. */
  isRunning(): boolean;
  /** Takes the hub down: its port refuses connections until start(). */
  stop(): Promise<void>;
  /** Brings the hub back on the same port, with the same data and certificate. */
  start(): Promise<void>;
  /** A single-use enrollment token for the ward. */
  enrollmentToken(): Promise<string>;
  /** Every log line the hub wrote (JSON text). */
  logs(): string;
  /** Stops the hub for good and deletes its data. */
  close(): Promise<void>;
}

const STAFF: readonly { username: string; role: StaffRole; mfa: boolean }[] = [
  { username: 'nina', role: 'nurse', mfa: false },
  { username: 'noor', role: 'nurse', mfa: false },
  { username: 'paul', role: 'physician', mfa: false },
  { username: 'mira', role: 'physician', mfa: true },
  { username: 'carla', role: 'clerk', mfa: false },
  { username: 'adam', role: 'admin', mfa: false },
];

export async function startE2eHub(options: E2eHubOptions): Promise<E2eHub> {
  const folder = await mkdtemp(join(tmpdir(), 'wardline-e2e-hub-'));
  const db = await openHubDatabase({ sqlitePath: join(folder, 'hub.sqlite'), hubKey: { current: newHubKey() } });
  const lines: string[] = [];
  const logger = createHubLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  const tls = createDevCertificate();
  let url = '';
  let port = 0;
  let app: FastifyInstance | null = null;

  const listen = async (): Promise<void> => {
    const next = await buildHub({ db, logger, tls, publicUrl: () => url, ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) });
    await next.listen({ host: '127.0.0.1', port });
    app = next;
    const address = next.server.address();
    port = typeof address === 'object' && address !== null ? address.port : port;
    url = `https://127.0.0.1:${port}`;
  };
  await listen();

  const hour = new Date(options.now ?? Date.now());
  hour.setUTCMinutes(0, 0, 0);
  const ward = generateWard({
    seed: options.seed,
    patients: options.patients,
    days: options.days,
    ward: { id: options.wardId, name: options.wardName },
    now: hour.toISOString(),
  });
  await importResources(db, ward.resources, new Date());
  const staff: StaffAccount[] = await Promise.all(
    STAFF.map(async (account) => {
      const password = `${account.username}-Demo-Passw0rd`;
      const added = await addUser(db, {
        username: account.username,
        password,
        role: account.role,
        wards: [options.wardId],
        mfa: account.mfa,
      });
      return { username: account.username, password, role: account.role, ...(added.totpSecret ? { totpSecret: added.totpSecret } : {}) };
    }),
  );

  const stop = async (): Promise<void> => {
    const running = app;
    app = null;
    await running?.close();
  };
  return {
    url,
    pin: spkiPin(tls.certPem),
    caPem: tls.certPem,
    db,
    ward,
    staff,
    isRunning: () => app !== null,
    stop,
    start: async () => {
      if (app === null) await listen();
    },
    enrollmentToken: () => createEnrollmentToken(db, { ward: options.wardId }),
    logs: () => lines.join(''),
    async close() {
      await stop();
      await db.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
