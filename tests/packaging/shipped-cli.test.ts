// The admin CLI as it ships: the bundles built by scripts/build-electron.mjs, copied with only the
// production dependencies (electron-builder.yml's exclusions applied) into a fresh folder outside
// the repository, and run there under Node through the bundle's own entry, runAdmin, the code path
// `Wardline --admin` takes. No tsx, no TypeScript, no repository: IT's whole round trip works —
// init, enroll at a real hub, sync, status --json, audit verify, wipe.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarCustodian, keyNameFor } from '../../electron/vault/index.js';
import { createEnrollmentToken } from '../../server/identity/index.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { seedGeneratedWard } from '../sync/sync-test-kit.js';
import { packagesLeftOutOfTheApp, productionPackageFolders } from './production-closure.js';

const ROOT = realpathSync(path.join(import.meta.dirname, '..', '..'));
let stage: string;
let cli: string;
let hub: TestHub;
const dataDirs: string[] = [];

/** Copies a package folder: hard links where the file system allows (it is read only here), else a copy. */
function copyFolder(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  if (spawnSync('cp', ['-al', from, to]).status !== 0) cpSync(from, to, { recursive: true });
}

function stageShippedCli(): Promise<string> {
  stage = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'wardline-shipped-')));
  return (async () => {
    const script = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'build-electron.mjs')).href)) as {
      buildElectron(out: string): Promise<{ main: string; cli: string; preload: string }>;
    };
    const built = await script.buildElectron(path.join(stage, 'dist', 'electron'));
    rmSync(path.join(stage, 'dist', 'electron', 'wardline-cli.inputs.json')); // for bin/wardline.js; electron-builder.yml leaves it out
    cpSync(path.join(ROOT, 'package.json'), path.join(stage, 'package.json'));
    const folders = productionPackageFolders(ROOT);
    // A nested node_modules travels with the package that holds it.
    const outermost = folders.filter((folder) => !folders.some((other) => other !== folder && folder.startsWith(`${other}${path.sep}`)));
    for (const folder of outermost) copyFolder(path.join(ROOT, folder), path.join(stage, folder));
    return built.cli;
  })();
}

function dataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-shipped-data-'));
  dataDirs.push(dir);
  return dir;
}

/** `node wardline-cli.js <args>` in the staged folder, with nothing from a development setup in the environment. */
function admin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  for (const name of ['NODE_PATH', 'NODE_OPTIONS', 'WARDLINE_DATA', 'npm_config_prefix']) delete env[name];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: stage, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  [cli, hub] = await Promise.all([stageShippedCli(), startHub({ engine: 'sqlite' })]);
  // Four patients: the sync's initial load then reads its pages on the page reader thread, from the
  // bundle beside the CLI's (sync-page-worker.js), as the shipped app does.
  await seedGeneratedWard(hub.db, 'a', { seed: 'shipped-cli', patients: 4, days: 1 });
}, 240_000);

afterAll(async () => {
  const custodian = createKeytarCustodian();
  for (const dir of dataDirs) {
    for (const key of ['vault', 'device', 'audit'] as const) await custodian.destroy(keyNameFor(dir, key)).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  if (stage !== undefined) rmSync(stage, { recursive: true, force: true });
  await hub?.stop();
});

describe('the shipped admin CLI, in a fresh folder with production dependencies only', () => {
  it('holds no TypeScript, no tsx and nothing of the repository, and cannot reach the repository', () => {
    expect(stage.startsWith(`${ROOT}${path.sep}`)).toBe(false);
    // Wardline's own files: the bundles and package.json (packages may carry their TypeScript sources; nothing loads them).
    const own = readdirSync(stage, { recursive: true, encoding: 'utf8' }).filter((file) => !file.startsWith('node_modules'));
    expect(own.sort()).toEqual(
      [
        'dist',
        'dist/electron',
        'dist/electron/main.js',
        'dist/electron/preload.cjs',
        'dist/electron/sync-page-worker.js',
        'dist/electron/wardline-cli.js',
        'package.json',
      ].sort(),
    );
    for (const devOnly of ['tsx', 'typescript', 'esbuild', 'vitest', 'electron', 'electron-builder'])
      expect(existsSync(path.join(stage, 'node_modules', devOnly))).toBe(false);
    expect(packagesLeftOutOfTheApp(ROOT).has('tsx')).toBe(true);
    // Node looks for packages up the folders: none above the staged folder may hold any.
    for (let dir = path.dirname(stage); ; dir = path.dirname(dir)) {
      expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
      if (path.dirname(dir) === dir) break;
    }
    const bundle = readFileSync(cli, 'utf8');
    expect(bundle).not.toContain(ROOT);
    expect(bundle).not.toMatch(/from "tsx|import\("tsx|require\("tsx/);
    expect(bundle).toMatch(/export\s*\{[^}]*\brunAdmin\b/);
  });

  it('lists every command of the CLI, enroll, sync, status, audit and wipe among them', async () => {
    const help = await admin(['help']);
    expect(help.code).toBe(0);
    const { commands } = await import('../../electron/cli/index.js');
    for (const name of Object.keys(commands)) expect(help.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
  });

  it('creates an encrypted vault with init', async () => {
    const dir = dataDir();
    const init = await admin(['init', '--data', dir]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const status = await admin(['status', '--json', '--data', dir]);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as { vault: unknown }).vault).toMatchObject({ encrypted: true, cipher: 'sqlcipher' });
  });

  it('enrolls at the hub, syncs the ward, reports it, verifies its audit trail and wipes', async () => {
    const dir = dataDir();
    const token = await createEnrollmentToken(hub.db, { ward: 'a' });
    const enroll = await admin(['enroll', '--hub', hub.url, '--token', token, '--pin', hub.pin, '--data', dir]);
    expect(enroll.stderr).toBe('');
    expect(enroll.code).toBe(0);
    expect(enroll.stdout).toMatch(/Enrolled at https:\/\/127\.0\.0\.1:\d+ for ward "a"/);

    const sync = await admin(['sync', '--data', dir]);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/4 patients on the ward, 4 loaded/);
    // Read on the page reader thread from its bundle: a reader that failed would have been replaced
    // by the writing thread without a word on stderr, only this warning in the log.
    const log = readFileSync(path.join(dir, 'logs', 'wardline.log'), 'utf8');
    expect(log).toContain('"event":"sync.cycle"');
    expect(log).not.toContain('sync.page_reader_unavailable');

    const status = await admin(['status', '--json', '--data', dir]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { vault: { patients: number; ward: string }; sync: { state: string } };
    expect(parsed.vault).toMatchObject({ patients: 4, ward: 'ward-a' });
    expect(parsed.sync.state).toBe('online');

    const verify = await admin(['audit', 'verify', '--data', dir]);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);

    const wipe = await admin(['wipe', '--data', dir]);
    expect(wipe.stderr).toBe('');
    expect(wipe.code).toBe(0);
    expect(readdirSync(dir).filter((file) => file.startsWith('vault.db'))).toEqual([]);
    expect(await createKeytarCustodian().load(keyNameFor(dir, 'vault'))).toBeNull();
    const after = await admin(['status', '--json', '--data', dir]);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/no vault/i);
  });

  it('fails an unknown command in one line with a usage exit code', async () => {
    const run = await admin(['no-such-command']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
