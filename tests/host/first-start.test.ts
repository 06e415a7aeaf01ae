// First start on a deployed machine (issue 16), through the start-up path Electron's main and
// evaluation mode share (startWorkstation), in plain Node with the loopback transport, against a
// real hub over TLS: IT staged a signed machine policy and a one-time enrollment token; the
// workstation enrolls, deletes the token and runs its first sync, telling the window each step.
// Without a token it stays "not set up"; a wrong pin or an expired token says why and leaves no vault.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { holdDataDir, startWorkstation, type WorkstationStart } from '../../electron/host/index.js';
import { openLoopbackServer, type LoopbackServer } from '../../electron/loopback/index.js';
import { readMachinePolicy } from '../../electron/policy/index.js';
import { examplePolicyDraft, randomPin, testOrganisation, type TestOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents } from '../../electron/session/index.js';
import { CHEAP_HASHING } from '../../electron/session/test-helpers.js';
import { createKeytarCustodian, keyNameFor, vaultExists, wipeVault } from '../../electron/vault/index.js';
import { createEnrollmentToken } from '../../server/identity/index.js';
import type { SetupStateData } from '../../shared/contract/index.js';
import { FrameClient, sessionCookieFrom, standInRenderer, trySocket } from '../loopback/loopback-kit.js';
import { startE2eHub, type E2eHub } from '../support/e2e-hub.js';

const WARD = 'e2e-first-start';
const custodian = createKeytarCustodian();
const org: TestOrganisation = testOrganisation();
let hub: E2eHub;
let site: string;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  hub = await startE2eHub({ wardId: WARD, wardName: 'Ward First Start', seed: 'first-start', patients: 4, days: 1 });
  site = standInRenderer();
});

afterAll(async () => {
  await hub?.close();
  rmSync(site, { recursive: true, force: true });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse())
    await Promise.resolve()
      .then(cleanup)
      .catch(() => undefined);
});

interface Machine {
  readonly dataDir: string;
  readonly policyFile: string;
  readonly tokenFile: string;
  readonly server: LoopbackServer;
  /** A window connected over the loopback WebSocket before the start (it hears every event). */
  readonly window: FrameClient;
  readonly logs: string[];
}

/** A machine as IT staged it: the signed policy in its machine folder, a token if given. */
async function stagedMachine(options: { token: string | null; pins?: string[] }): Promise<Machine> {
  const machineFolder = mkdtempSync(join(tmpdir(), 'wardline-machine-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'wardline-first-start-'));
  rmSync(dataDir, { recursive: true, force: true }); // as on a new PC: no data folder at all
  cleanups.push(() => rmSync(machineFolder, { recursive: true, force: true }));
  cleanups.push(async () => {
    await wipeVault({ dataDir, custodian }).catch(() => undefined);
    await custodian.destroy(keyNameFor(dataDir, 'audit')).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });
  const policyFile = join(machineFolder, 'policy.json');
  const draft = {
    ...examplePolicyDraft(),
    issued: new Date().toISOString(),
    hub: { url: hub.url, pins: options.pins ?? [hub.pin] },
    ward: WARD,
    updates: { enabled: false },
  };
  writeFileSync(policyFile, org.sign(draft));
  const tokenFile = join(machineFolder, 'enrollment', 'token');
  if (options.token !== null) {
    mkdirSync(join(machineFolder, 'enrollment'));
    writeFileSync(tokenFile, `${options.token}\n`);
  }
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const server = await openLoopbackServer({ rendererDir: site, logger });
  cleanups.push(() => server.close());
  const cookie = await sessionCookieFrom(server.issueUrl());
  const outcome = await trySocket(Number(new URL(server.origin).port), { cookie, origin: server.origin });
  if (!('opened' in outcome)) throw new Error(`the window's socket was refused (${outcome.refused})`);
  cleanups.push(() => outcome.opened.close());
  return { dataDir, policyFile, tokenFile, server, window: new FrameClient(outcome.opened), logs };
}

async function start(machine: Machine): Promise<WorkstationStart> {
  const logger = pino({ level: 'info' }, { write: (line: string) => void machine.logs.push(line) });
  const started = await startWorkstation({
    dataDir: machine.dataDir,
    policy: await readMachinePolicy(machine.policyFile, [org.trusted]),
    policyFile: machine.policyFile,
    enrollmentTokenFile: machine.tokenFile,
    custodian,
    powerEvents: new ControllablePowerEvents(),
    transport: machine.server.transport,
    isTrustedSender: machine.server.isTrustedSender,
    logger,
    hashing: CHEAP_HASHING,
    startSync: false,
    syncPolicy: { connectTimeoutMs: 2_000, retries: 1, retryBaseMs: 50, retryMaxMs: 200 },
  });
  cleanups.push(() => started.close());
  return started;
}

function setupEvents(window: FrameClient): SetupStateData[] {
  return window.events
    .map((message) => message as { event: string; payload: SetupStateData })
    .filter((message) => message.event === 'setup:changed')
    .map((message) => message.payload);
}

describe('first start from a pre-staged policy and enrollment token', () => {
  it('enrolls, deletes the token, runs the first sync with its progress on the window, then serves the window', async () => {
    const machine = await stagedMachine({ token: await hub.enrollmentToken() });
    const started = await start(machine);
    // While it sets itself up, nobody can sign in: the window is told to wait.
    expect(await machine.window.invoke('session:state')).toMatchObject({ ok: false, error: { code: 'SETTING_UP' } });

    const final = await started.finished;
    expect(final).toMatchObject({ phase: 'ready', problem: null });
    expect(existsSync(machine.tokenFile), 'the spent token is deleted').toBe(false);

    const host = started.host()!;
    expect(host.vault.sync.enrollment()).toMatchObject({ ward: WARD, hubUrl: hub.url, pin: hub.pin });
    expect(
      host.vault
        .census()
        .map((entry) => entry.patientId)
        .sort(),
    ).toEqual(hub.ward.patients.map((p) => p.patient.id).sort());
    expect(host.audit.find({ limit: 100 }).map((entry) => entry.action)).toContain('enrollment');

    // The window heard every step: enrolling, the first sync patient by patient, ready.
    await vi.waitFor(() => expect(setupEvents(machine.window).at(-1)?.phase).toBe('ready'));
    expect(setupEvents(machine.window)[0]?.phase).toBe('enrolling');
    const progress = setupEvents(machine.window)
      .filter((state) => state.phase === 'first-sync' && state.progress !== null)
      .map((state) => state.progress!);
    expect(progress.at(-1)).toEqual({ loaded: hub.ward.patients.length, total: hub.ward.patients.length });

    // The host now answers the window: the sign-in screen can show.
    expect(await machine.window.invoke('session:state')).toMatchObject({ ok: true, value: { status: 'signed-out' } });
    expect(await machine.window.invoke('setup:state')).toMatchObject({ ok: true, value: { phase: 'ready' } });
    // Nothing of the ward's patients in the log.
    const logText = machine.logs.join('');
    for (const patient of hub.ward.patients) expect(logText).not.toContain(patient.patient.name![0]!.family!);
  });

  it('without a token it stays "not set up", tells IT where the token goes, and makes no vault', async () => {
    const machine = await stagedMachine({ token: null });
    const started = await start(machine);
    const final = await started.finished;
    expect(final.phase).toBe('not-set-up');
    expect(final.problem?.code).toBe('NOT_SET_UP');
    expect(final.problem?.message).toContain(machine.tokenFile);
    expect(final.problem?.message).toMatch(/wardline-hub token/);
    expect(started.host()).toBeNull();
    expect(vaultExists(machine.dataDir)).toBe(false);
    expect(await machine.window.invoke('session:state')).toMatchObject({ ok: false, error: { code: 'NOT_SET_UP' } });
    expect(await machine.window.invoke('setup:state')).toMatchObject({
      ok: true,
      value: { phase: 'not-set-up', tokenFile: machine.tokenFile },
    });
  });

  it("with a pin that is not the hub certificate's it refuses, says so, sends nothing, and leaves no vault behind", async () => {
    const token = await hub.enrollmentToken();
    const machine = await stagedMachine({ token, pins: [randomPin()] });
    const started = await start(machine);
    const final = await started.finished;
    expect(final.phase).toBe('failed');
    expect(final.problem?.code).toBe('PIN_MISMATCH');
    expect(final.problem?.message).toMatch(/does not match the pin/);
    expect(vaultExists(machine.dataDir)).toBe(false);
    expect(started.host()).toBeNull();
    // The token was never sent: it is still there (and still good at the hub).
    expect(existsSync(machine.tokenFile)).toBe(true);
    expect(await machine.window.invoke('session:state')).toMatchObject({ ok: false, error: { code: 'NOT_SET_UP' } });
  });

  it('while a wardline command holds the data folder it refuses, keeps the token and makes no vault', async () => {
    const machine = await stagedMachine({ token: await hub.enrollmentToken() });
    mkdirSync(machine.dataDir, { recursive: true });
    const command = holdDataDir(machine.dataDir, { by: 'wardline wipe' });
    cleanups.push(() => command.release());
    const started = await start(machine);
    const final = await started.finished;
    expect(final.phase).toBe('failed');
    expect(final.problem?.code).toBe('DATA_DIR_IN_USE');
    expect(final.problem?.message).toMatch(/wardline wipe/);
    expect(vaultExists(machine.dataDir)).toBe(false);
    expect(existsSync(machine.tokenFile), 'the token was not spent').toBe(true);
  });

  it('with an expired token it says the hub refused it and to ask IT for a new one, and leaves no vault behind', async () => {
    const expired = await createEnrollmentToken(hub.db, { ward: WARD, ttlMinutes: 1, now: new Date(Date.now() - 5 * 60_000) });
    const machine = await stagedMachine({ token: expired });
    const started = await start(machine);
    const final = await started.finished;
    expect(final.phase).toBe('failed');
    expect(final.problem).toMatchObject({ code: 'ENROLLMENT_REFUSED' });
    expect(final.problem?.message).toMatch(/expired/);
    expect(final.problem?.message).toMatch(/Ask IT for a new one/);
    expect(vaultExists(machine.dataDir)).toBe(false);
    expect(started.host()).toBeNull();
  });
});
