// The full demo (issue 7): the demo hub as a child process, a workstation that sets itself up from a
// signed demo policy and a one-time enrollment token staged in the demo's folder (the start-up path
// of a deployed workstation: enrollment, token deleted, first sync), and the workstation host serving the
// renderer to the system browser over loopback (Electron cannot run everywhere). Everything the
// demo made is stopped — and the workstation crypto-erased — by stop(). The demo holds its folder
// (host.lock) from start to stop, so a second demo there refuses instead of erasing this one.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHostLogger, holdDataDir, startWorkstation, type WorkstationHost } from '../../host/index.js';
import { openLoopbackServer, type LoopbackServer } from '../../loopback/index.js';
import { ControllablePowerEvents } from '../../session/index.js';
import type { SyncSummary } from '../../sync/index.js';
import { keyNameFor, vaultExists, wipeVault, type KeyCustodian } from '../../vault/index.js';
import { CliError } from '../cli-error.js';
import { startDemoHub, type DemoHub } from './demo-hub.js';
import { writeDemoPolicy } from './demo-policy.js';
import { DEMO_MARKER } from './demo-vault.js';
import { cliCustodian } from './workstation.js';

export interface DemoStackOptions {
  /** The demo's folder: hub/, workstation/, policy.json (wiped and made again at each start). */
  readonly root: string;
  readonly rendererDir: string;
  readonly patients: number;
  readonly hubPort: number;
  readonly loopbackPort: number;
  /** Told each step as it starts (for the terminal). */
  readonly progress?: (step: string) => void;
}

export interface DemoStack {
  readonly hub: DemoHub;
  readonly host: WorkstationHost;
  readonly loopback: LoopbackServer;
  readonly firstSync: SyncSummary;
  readonly policyFile: string;
  readonly workstationDir: string;
  stop(): Promise<void>;
}

async function eraseWorkstation(dir: string, custodian: KeyCustodian): Promise<void> {
  await wipeVault({ dataDir: dir, custodian }).catch(() => undefined);
  await custodian.destroy(keyNameFor(dir, 'audit')).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

/** A fresh demo folder: one the demo made before is wiped; one holding anything else is refused. */
async function freshRoot(root: string, custodian: KeyCustodian): Promise<void> {
  const workstation = join(root, 'workstation');
  const hub = join(root, 'hub');
  if (existsSync(join(root, DEMO_MARKER))) {
    await eraseWorkstation(workstation, custodian);
    rmSync(hub, { recursive: true, force: true });
  } else if (vaultExists(root) || existsSync(workstation) || existsSync(hub)) {
    throw new CliError('USAGE', `${root} holds data the demo did not create; choose another --data directory`, 1);
  }
  mkdirSync(join(root, 'hub'), { recursive: true, mode: 0o700 });
  mkdirSync(join(root, 'workstation'), { recursive: true, mode: 0o700 });
  writeFileSync(join(root, DEMO_MARKER), 'This directory holds a Wardline demo (hub and workstation) with synthetic patients only.\n');
}

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const custodian = cliCustodian();
  // A second demo on the same folder refuses here, before it erases anything of the running one.
  mkdirSync(options.root, { recursive: true, mode: 0o700 });
  const hold = holdDataDir(options.root, { by: 'wardline demo' });
  try {
    await freshRoot(options.root, custodian);
  } catch (error) {
    hold.release();
    throw error;
  }
  const workstationDir = join(options.root, 'workstation');
  const logger = createHostLogger(workstationDir);
  const stops: Array<() => Promise<void> | void> = [() => hold.release(), () => eraseWorkstation(workstationDir, custodian)];
  const stop = async (): Promise<void> => {
    for (const step of stops.splice(0).reverse())
      await Promise.resolve()
        .then(step)
        .catch(() => undefined);
  };
  const progress = options.progress ?? (() => undefined);
  try {
    progress(`Starting the demo hub with ${options.patients} synthetic patients...`);
    const hub = await startDemoHub({
      dataDir: join(options.root, 'hub'),
      logFile: join(options.root, 'hub.log'),
      patients: options.patients,
      port: options.hubPort,
    });
    stops.push(() => hub.stop());
    // Staged as IT stages a deployed workstation: the signed policy and a one-time enrollment token;
    // the workstation sets itself up through the same start-up path as Electron's.
    const { policy, file: policyFile } = await writeDemoPolicy({
      folder: options.root,
      hubUrl: hub.url,
      pin: hub.pin,
      ward: hub.ward,
      idleTimeoutMinutes: 5,
    });
    const tokenFile = join(options.root, 'enrollment', 'token');
    mkdirSync(join(options.root, 'enrollment'), { recursive: true, mode: 0o700 });
    writeFileSync(tokenFile, hub.enrollmentToken, { mode: 0o600 });
    const loopback = await openLoopbackServer({ rendererDir: options.rendererDir, logger, port: options.loopbackPort });
    stops.push(() => loopback.close());
    progress(`Hub up at ${hub.url}; the workstation enrolls with its one-time token and runs its first sync...`);
    const started = await startWorkstation({
      dataDir: workstationDir,
      policy,
      policyFile,
      enrollmentTokenFile: tokenFile,
      custodian,
      // Plain Node hears no screen-lock or suspend from the OS: the idle lock and manual lock remain.
      powerEvents: new ControllablePowerEvents(),
      transport: loopback.transport,
      isTrustedSender: loopback.isTrustedSender,
      logger,
    });
    stops.push(() => started.close());
    const finished = await started.finished;
    const host = started.host();
    const firstSync = started.firstSync();
    if (finished.phase !== 'ready' || host === null || firstSync === null) {
      throw new CliError(
        'DEMO_FAILED',
        `The demo workstation could not set itself up: ${finished.problem?.message ?? 'its first sync failed'}`,
        1,
      );
    }
    return { hub, host, loopback, firstSync, policyFile, workstationDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
