// `wardline wipe` leaves no printed MAR behind: where the machine policy allows saving the MAR as a
// PDF, the files are in the data folder's printouts, and the wipe deletes them with the vault.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../electron/cli/index.js';
import { pdfFolderDelivery, printoutsFolder } from '../../electron/print/index.js';
import { createKeytarCustodian, createVault, keyNameFor, vaultExists } from '../../electron/vault/index.js';

const custodian = createKeytarCustodian();
let dir = '';
afterEach(async () => {
  await custodian.destroy(keyNameFor(dir, 'audit')).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('wardline wipe and saved printouts', () => {
  it('deletes every MAR saved as PDF together with the vault, and says so', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wardline-wipe-printouts-'));
    const vault = await createVault({ dataDir: dir, custodian, ward: 'ward-7' });
    vault.close();
    const delivery = pdfFolderDelivery(dir);
    for (let i = 0; i < 2; i += 1)
      await delivery.deliver({ bytes: new TextEncoder().encode('%PDF-1.7'), fileName: 'wardline-mar-20260101T000000Z.pdf' });

    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
    expect(await runCli(['wipe', '--data', dir], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out.join('\n')).toMatch(/files deleted, 2 saved printouts deleted\./);
    expect(existsSync(printoutsFolder(dir))).toBe(false);
    expect(vaultExists(dir)).toBe(false);
  });
});
