// Without a usable OS keystore the vault refuses, with a clear error, and writes no vault file.
// Each scenario runs in a child process whose D-Bus session the test controls.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createVault, KeytarCustodian, vaultFilePath, wipeVault } from '../../electron/vault/index.js';

const child = fileURLToPath(new URL('./children/keystore-child.ts', import.meta.url));
const temporaryDirs: string[] = [];
afterEach(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temporaryDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `wardline-${label}-`));
  temporaryDirs.push(dir);
  return dir;
}

interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
}

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: 50_000 }, (error, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop();
      if (line === undefined || line === '') {
        reject(new Error(`child gave no outcome (${String(error)}): ${stderr}`));
        return;
      }
      resolve(JSON.parse(line) as Outcome);
    });
  });
}

/** An environment with no keyring state of the user's: a private HOME and XDG dirs. */
function isolatedEnv(busAddress: string | undefined): NodeJS.ProcessEnv {
  const home = temporaryDir('home');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_RUNTIME_DIR: home };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.GNOME_KEYRING_CONTROL;
  if (busAddress !== undefined) env.DBUS_SESSION_BUS_ADDRESS = busAddress;
  return env;
}

const nodeArgs = (...args: string[]): string[] => ['--import', 'tsx', child, ...args];

describe('without a usable OS keystore', () => {
  it('refuses to create a vault when there is no D-Bus session at all, and writes no file', async () => {
    const dataDir = path.join(temporaryDir('nobus'), 'data');
    const outcome = await runChild(process.execPath, nodeArgs('create', dataDir), isolatedEnv('unix:path=/nonexistent'));
    expect(outcome).toMatchObject({ ok: false, code: 'KEYSTORE_UNAVAILABLE' });
    expect(outcome.message).toMatch(/Secret Service/);
    expect(existsSync(vaultFilePath(dataDir))).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses to create a vault in a D-Bus session without an unlocked keyring, and writes no file', async () => {
    const dataDir = path.join(temporaryDir('nokeyring'), 'data');
    const outcome = await runChild('dbus-run-session', ['--', process.execPath, ...nodeArgs('create', dataDir)], isolatedEnv(undefined));
    expect(outcome).toMatchObject({ ok: false, code: 'KEYSTORE_UNAVAILABLE' });
    expect(existsSync(vaultFilePath(dataDir))).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('gives up on a Secret Service that never answers, with the same clear error and no file', async () => {
    const dir = temporaryDir('hung');
    const socket = path.join(dir, 'silent-bus.sock');
    const connections: net.Socket[] = [];
    const silentBus = net.createServer((connection) => {
      connections.push(connection);
      connection.on('data', () => undefined);
    });
    await new Promise<void>((resolve) => silentBus.listen(socket, resolve));
    try {
      const dataDir = path.join(dir, 'data');
      const outcome = await runChild(process.execPath, nodeArgs('create', dataDir, '1500'), isolatedEnv(`unix:path=${socket}`));
      expect(outcome).toMatchObject({ ok: false, code: 'KEYSTORE_UNAVAILABLE' });
      expect(outcome.message).toMatch(/did not answer/);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      for (const connection of connections) connection.destroy();
      await new Promise<void>((resolve) => silentBus.close(() => resolve()));
    }
  });

  it('refuses to open an existing vault, leaving it untouched', async () => {
    const custodian = new KeytarCustodian();
    const dataDir = temporaryDir('existing');
    (await createVault({ dataDir, custodian })).close();
    try {
      const before = createHash('sha256')
        .update(readFileSync(vaultFilePath(dataDir)))
        .digest('hex');
      const outcome = await runChild(process.execPath, nodeArgs('open', dataDir), isolatedEnv('unix:path=/nonexistent'));
      expect(outcome).toMatchObject({ ok: false, code: 'KEYSTORE_UNAVAILABLE' });
      expect(
        createHash('sha256')
          .update(readFileSync(vaultFilePath(dataDir)))
          .digest('hex'),
      ).toBe(before);
      expect(readdirSync(dataDir)).toEqual(['vault.db']);
    } finally {
      await wipeVault({ dataDir, custodian });
    }
  });
});
