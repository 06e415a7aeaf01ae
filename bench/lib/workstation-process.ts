// Runs bench/lib/workstation-initial-sync.ts as the product runs workstation code: bundled by
// esbuild (as scripts/build-electron.mjs bundles the app and the CLI, node_modules left outside)
// into dist/bench/, then started with plain Node in a child process. Returns what it measured.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { InitialSyncFigures } from './workstation-initial-sync.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function bundle(): Promise<string> {
  const outdir = path.join(root, 'dist', 'bench');
  await build({
    // The sync's page reader thread beside it, as scripts/build-electron.mjs puts it beside the app's bundles.
    entryPoints: {
      'workstation-initial-sync': path.join(root, 'bench', 'lib', 'workstation-initial-sync.ts'),
      'sync-page-worker': path.join(root, 'electron', 'sync', 'sync-page-worker.ts'),
    },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
    absWorkingDir: root,
  });
  return path.join(outdir, 'workstation-initial-sync.js');
}

/**
 * The initial sync of the (enrolled) workstation at `dataDir`, in a bundled child process; with
 * `cpuProfileDir`, the process writes its V8 CPU profile there.
 */
export async function runInitialSyncProcess(dataDir: string, options: { cpuProfileDir?: string } = {}): Promise<InitialSyncFigures> {
  const script = await bundle();
  const profile = options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  const child = spawn(process.execPath, [...profile, script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`the workstation's initial sync process failed (exit ${code})`);
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as InitialSyncFigures;
}
