// The whole Wardline stack for end-to-end tests, as evaluation mode runs it: a real hub over TLS
// (that a test can take down and bring back on the same port), a workstation enrolled at it
// (SQLCipher vault, keys in the OS keystore), a signed machine policy, a first sync, and the host
// serving the built renderer over loopback. A browser opens `url` (one-time) and gets the app.
//
//   const stack = await startWardlineStack({ patients: 6, pollIntervalMs: 1_000, idleTimeoutMs: 15_000 });
//   await page.goto(stack.url);
//   await stack.hub.stop(); … await stack.hub.start();
//   await stack.close();
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openWorkstationHost, type SaveFileChooser, type WorkstationHost } from '../../electron/host/index.js';
import { openLoopbackServer, type LoopbackServer } from '../../electron/loopback/index.js';
import { verifyPolicyText, type WorkstationPolicy } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents } from '../../electron/session/index.js';
import { CHEAP_HASHING } from '../../electron/session/test-helpers.js';
import { enrollWorkstation, logAuditSink, type SyncPolicy } from '../../electron/sync/index.js';
import { createKeytarCustodian, keyNameFor, wipeVault } from '../../electron/vault/index.js';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import { startE2eHub, type E2eHub, type StaffAccount } from './e2e-hub.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { builtRenderer } from './renderer-build.js';

export type { E2eHub, StaffAccount } from './e2e-hub.js';

export interface WardlineStackOptions {
  /** Synthetic in-patients on the ward (default 6). */
  readonly patients?: number;
  /** Days of chart history (default 3). */
  readonly days?: number;
  readonly seed?: string;
  /** Time between syncs while online (default 5 s); the offline backoff tops out at twice this. */
  readonly pollIntervalMs?: number;
  /** Idle lock (default the policy's 5 min; at least 10 s). */
  readonly idleTimeoutMs?: number;
  /** Argon2id at the real cost (default) or a cheap one for tests that sign in very often. */
  readonly hashing?: 'real' | 'fast';
  /** Any other sync setting. */
  readonly syncPolicy?: Partial<SyncPolicy>;
  /** How long a one-time URL stays usable (default 15 min). */
  readonly tokenTtlMs?: number;
  /** A renderer build to serve (default: the current sources, built once per change). */
  readonly rendererDir?: string;
  /** Sections of the signed machine policy to replace, e.g. `{ printing: { allowed: false } }`. */
  readonly policySections?: Readonly<Record<string, unknown>>;
  /**
   * Put the ward's network link between the workstation and the hub: a fault proxy (its own
   * certificate, which the workstation pins) that the test can cut (`link.setFaults({ drop: 1 })`)
   * while the hub stays up for everyone else.
   */
  readonly networkLink?: boolean;
  /** The save dialog of the audit view's export (Electron's, played by the test: it names the file). */
  readonly saveFile?: SaveFileChooser;
}

export interface WardlineStack {
  /** A one-time URL for a browser (the first; issueUrl() gives more). */
  readonly url: string;
  issueUrl(): string;
  /** `http://127.0.0.1:<port>` of the loopback server. */
  readonly origin: string;
  readonly hub: E2eHub;
  /** The ward's network link to the hub (with `networkLink` only). */
  readonly link: FaultProxy | null;
  readonly host: WorkstationHost;
  readonly loopback: LoopbackServer;
  /** The OS's screen-lock and suspend events, driven by the test. */
  readonly power: ControllablePowerEvents;
  readonly policy: WorkstationPolicy;
  readonly ward: SyntheticWard;
  /** nina, noor (nurses), paul, mira (physicians; mira with TOTP), carla (clerk), adam (admin). */
  readonly staff: readonly StaffAccount[];
  account(username: string): StaffAccount;
  readonly dataDir: string;
  /** Everything the host logged (JSON lines), to scan for patient data. */
  hostLogs(): string;
  /** Milliseconds each start-up step took. */
  readonly timings: Readonly<Record<'renderer' | 'hub' | 'enroll' | 'host' | 'firstSync', number>>;
  close(): Promise<void>;
}

export const E2E_WARD = { id: 'e2e', name: 'Ward E2E' } as const;

function signedPolicy(hub: { url: string; pin: string }, options: WardlineStackOptions): WorkstationPolicy {
  const org = testOrganisation();
  const draft = {
    ...examplePolicyDraft(),
    issued: new Date().toISOString(),
    description: 'e2e workstation',
    hub: { url: hub.url, pins: [hub.pin] },
    ward: E2E_WARD.id,
    updates: { enabled: false },
    ...options.policySections,
  };
  const policy = verifyPolicyText(org.sign(draft), [org.trusted]);
  // The policy file counts in minutes; tests need seconds. Same policy, shorter idle lock.
  return options.idleTimeoutMs === undefined ? policy : { ...policy, idleTimeoutMs: options.idleTimeoutMs };
}

export async function startWardlineStack(options: WardlineStackOptions = {}): Promise<WardlineStack> {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse())
      await Promise.resolve()
        .then(close)
        .catch(() => undefined);
  };
  const timings = { renderer: 0, hub: 0, enroll: 0, host: 0, firstSync: 0 };
  const timed = async <T>(step: keyof typeof timings, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[step] = Math.round(performance.now() - started);
    }
  };
  try {
    const rendererDir = options.rendererDir ?? (await timed('renderer', builtRenderer));
    const hub = await timed('hub', () =>
      startE2eHub({
        wardId: E2E_WARD.id,
        wardName: E2E_WARD.name,
        seed: options.seed ?? 'wardline-e2e',
        patients: options.patients ?? 6,
        days: options.days ?? 3,
      }),
    );
    closers.push(() => hub.close());
    const link = options.networkLink === true ? await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem }) : null;
    if (link !== null) closers.push(() => link.stop());
    const reached = link ?? hub;

    const dataDir = mkdtempSync(join(tmpdir(), 'wardline-e2e-ws-'));
    const custodian = createKeytarCustodian();
    closers.push(async () => {
      await wipeVault({ dataDir, custodian }).catch(() => undefined);
      await custodian.destroy(keyNameFor(dataDir, 'audit')).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    });
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    await timed('enroll', async () =>
      enrollWorkstation({
        dataDir,
        custodian,
        logger,
        audit: logAuditSink(logger),
        hubUrl: reached.url,
        pin: reached.pin,
        enrollmentToken: await hub.enrollmentToken(),
      }),
    );

    const policy = signedPolicy(reached, options);
    const loopback = await openLoopbackServer({
      rendererDir,
      logger,
      ...(options.tokenTtlMs === undefined ? {} : { tokenTtlMs: options.tokenTtlMs }),
    });
    closers.push(() => loopback.close());
    const power = new ControllablePowerEvents();
    const pollIntervalMs = options.pollIntervalMs ?? 5_000;
    const host = await timed('host', () =>
      openWorkstationHost({
        dataDir,
        policy,
        custodian,
        powerEvents: power,
        transport: loopback.transport,
        isTrustedSender: loopback.isTrustedSender,
        logger,
        ...(options.hashing === 'fast' ? { hashing: CHEAP_HASHING } : {}),
        ...(options.saveFile === undefined ? {} : { saveFile: options.saveFile }),
        syncPolicy: {
          intervalMs: pollIntervalMs,
          offlineBackoffMaxMs: 2 * pollIntervalMs,
          connectTimeoutMs: 2_000,
          retries: 1,
          retryBaseMs: 50,
          retryMaxMs: 200,
          ...options.syncPolicy,
        },
      }),
    );
    closers.push(() => host.close());
    await timed('firstSync', () => host.sync!.syncOnce());

    const staff = hub.staff;
    const closeStack = closeAll;
    return {
      url: loopback.issueUrl(),
      issueUrl: () => loopback.issueUrl(),
      origin: loopback.origin,
      hub,
      link,
      host,
      loopback,
      power,
      policy,
      ward: hub.ward,
      staff,
      account(username) {
        const account = staff.find((a) => a.username === username);
        if (account === undefined) throw new Error(`the e2e hub has no account "${username}"`);
        return account;
      },
      dataDir,
      hostLogs: () => lines.join(''),
      timings,
      close: closeStack,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
