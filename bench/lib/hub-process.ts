// A real hub for the benchmarks: `wardline-hub serve --dev-tls` in a child process (its own event
// loop and core), on a free loopback port, ready once it prints "Press Ctrl-C"; and stopped with
// SIGINT as an operator would; under the hub's Node.js options (server/cli/node-options.ts), as the
// hub is started. What it prints (URL, SPKI pin, demo enrollment token) is parsed here.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { HUB_NODE_OPTIONS } from '../../server/cli/index.js';
import { openHubDatabase, type SqlDatabase } from '../../server/storage/index.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BenchHubOptions {
  /** The hub's data directory (its SQLite store and dev TLS files). */
  readonly dataDir: string;
  /** Seed the synthetic demo ward with this many patients (none when absent). */
  readonly demoPatients?: number;
  /** Listen on this address only (the hub's default when absent). */
  readonly host?: string;
  /** Write the hub's V8 CPU profile into this directory. */
  readonly cpuProfileDir?: string;
  /** Also listen for HL7 v2 ADT over MLLP (TLS, the dev certificate) on a free port. */
  readonly mllp?: boolean;
}

export interface BenchHub {
  readonly child: ChildProcess;
  readonly url: string;
  /** The dev certificate's SPKI pin, as the hub printed it. */
  readonly pin: string;
  /** A single-use enrollment token for the demo ward (only with demoPatients). */
  readonly enrollmentToken: string | null;
  /** The dev certificate (PEM), to trust in a TLS client. */
  readonly ca: string;
  /** The MLLP port (only with `mllp`). */
  readonly mllpPort: number | null;
  /** Stops the hub with SIGINT and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * The bench hub's database, opened beside the running hub with the development key it made
 * (`<data>.dev-key`): encrypted like any hub database.
 */
export function openBenchHubDatabase(dataDir: string): Promise<SqlDatabase> {
  const hubKey = Buffer.from(readFileSync(`${path.resolve(dataDir)}.dev-key`, 'utf8').trim(), 'base64');
  return openHubDatabase({ sqlitePath: path.join(dataDir, 'hub.sqlite'), hubKey: { current: hubKey } });
}

export function startBenchHub(options: BenchHubOptions): Promise<BenchHub> {
  const args = [
    ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    ...HUB_NODE_OPTIONS,
    path.join(root, 'bin/wardline-hub.js'),
    'serve',
    '--dev-tls',
    '--port',
    '0',
    ...(options.demoPatients === undefined ? [] : ['--demo', String(options.demoPatients)]),
    ...(options.host === undefined ? [] : ['--host', options.host]),
    ...(options.mllp ? ['--mllp-port', '0'] : []),
    '--data',
    options.dataDir,
    '--log-level',
    'warn',
  ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.removeAllListeners('exit');
      child.on('exit', () => resolve());
      child.kill('SIGINT');
    });
  return new Promise((resolve, reject) => {
    let url = '';
    let pin = '';
    let enrollmentToken: string | null = null;
    let mllpPort: number | null = null;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      url = /^Wardline hub listening on (\S+)/.exec(line)?.[1] ?? url;
      pin = /SPKI pin \(sha256, base64\): (\S+)/.exec(line)?.[1] ?? pin;
      enrollmentToken = /^Enrollment token for ward "demo".*: (\S+)$/.exec(line)?.[1] ?? enrollmentToken;
      const mllp = /^HL7 v2 ADT feed .* on port (\d+)$/.exec(line)?.[1];
      if (mllp) mllpPort = Number(mllp);
      if (line.startsWith('Press Ctrl-C')) {
        const ca = readFileSync(path.join(options.dataDir, 'dev-tls', 'hub-cert.pem'), 'utf8');
        resolve({ child, url, pin, enrollmentToken, ca, mllpPort, stop });
      }
    });
    child.on('exit', (code) => reject(new Error(`the hub exited early (code ${code})`)));
  });
}
