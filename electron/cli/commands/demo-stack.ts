// The full demo (issue 7): the demo hub as a child process, a workstation enrolled at it in the
// demo's own data folder, a signed demo policy, a first sync, and the workstation host serving the
// renderer to the system browser over loopback (Electron cannot run everywhere). Everything the
// demo made is stopped — and the workstation crypto-erased — by stop(). The demo holds its folder
// (host.lock) from start to stop, so a second demo there refuses instead of erasing this one.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHostLogger, holdDataDir, openWorkstationHost, type WorkstationHost } from '../../host/index.js';
import { openLoopbackServer, type LoopbackServer } from '../../loopback/index.js';
import { ControllablePowerEvents } from '../../session/index.js';
import { enrollWorkstation, logAuditSink, type SyncSummary } from '../../sync/index.js';
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
    progress(`Hub up at ${hub.url}; enrolling this workstation...`);
    await enrollWorkstation({
      dataDir: workstationDir,
      custodian,
      logger,
      audit: logAuditSink(logger),
      hubUrl: hub.url,
      enrollmentToken: hub.enrollmentToken,
      pin: hub.pin,
    });
    const { policy, file: policyFile } = await writeDemoPolicy({
      folder: options.root,
      hubUrl: hub.url,
      pin: hub.pin,
      ward: hub.ward,
      idleTimeoutMinutes: 5,
    });
    const loopback = await openLoopbackServer({ rendererDir: options.rendererDir, logger, port: options.loopbackPort });
    stops.push(() => loopback.close());
    const host = await openWorkstationHost({
      dataDir: workstationDir,
      policy,
      custodian,
      // Plain Node hears no screen-lock or suspend from the OS: the idle lock and manual lock remain.
      powerEvents: new ControllablePowerEvents(),
      transport: loopback.transport,
      isTrustedSender: loopback.isTrustedSender,
      logger,
    });
    stops.push(() => host.close());
    progress('Enrolled; first sync (every chart of the ward into the encrypted vault)...');
    const firstSync = await host.sync!.syncOnce();
    return { hub, host, loopback, firstSync, policyFile, workstationDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
