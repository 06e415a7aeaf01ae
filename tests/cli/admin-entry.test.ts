// runAdmin, the entry `Wardline --admin <command>` takes in the app's main process: the same
// commands as `wardline`, but with the app's own keystore (Electron's safeStorage through
// electronKeyCustodian; a stand-in here, since Electron cannot run), so the admin commands reach
// the vault the app itself opens, and `wardline` under Node with keytar does not see its key.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAdmin, type CliIo } from '../../electron/cli/index.js';
import { createKeytarCustodian, keyNameFor } from '../../electron/vault/index.js';
import { electronKeyCustodian } from '../../electron/window/index.js';
import { FakeSafeStorage } from '../../electron/window/test-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function captured(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (line) => out.push(line), err: (line) => err.push(line) }, out, err };
}

describe('runAdmin with the app keystore (the --admin path)', () => {
  it("creates and reads the vault with the app's keys, which the Node CLI's keystore does not hold", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-admin-'));
    dirs.push(dir);
    const safeStorage = new FakeSafeStorage();
    const custodianFor = (dataDir: string) => electronKeyCustodian({ safeStorage, dataDir, platform: 'linux' });

    const init = captured();
    expect(await runAdmin(['init', '--data', dir], { io: init.io, custodianFor })).toBe(0);
    expect(init.err).toEqual([]);
    expect(readdirSync(path.join(dir, 'keys')).some((name) => name.endsWith('.wrapped-key'))).toBe(true);
    expect(await createKeytarCustodian().load(keyNameFor(dir, 'vault'))).toBeNull();

    const status = captured();
    expect(await runAdmin(['status', '--json', '--data', dir], { io: status.io, custodianFor })).toBe(0);
    expect((JSON.parse(status.out.join('\n')) as { vault: unknown }).vault).toMatchObject({ encrypted: true, patients: 0 });

    // The same command without the app's keystore: keytar has no key for this vault.
    const plain = captured();
    expect(await runAdmin(['status', '--json', '--data', dir], { io: plain.io })).toBe(1);
    expect(plain.out).toEqual([]);
    expect(plain.err).toHaveLength(1);
    expect(plain.err[0]).toMatch(/\[KEY_MISSING\]$/);
    // It does not send IT straight to a wipe: the likeliest cause is another keystore session.
    expect(plain.err[0]).toMatch(/left untouched.*another keystore session/);
    expect(existsSync(path.join(dir, 'vault.db'))).toBe(true);
  });
});
