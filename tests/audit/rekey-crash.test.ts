// A workstation may lose power while `wardline rekey` changes the audit trail's key. Whenever the
// process dies, the keystore must still hold a key that opens the trail, with every entry and an
// intact chain. (The chart cache's half of the rekey: tests/vault/rekey-crash.test.ts.)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog, type NewAuditEntry } from '../../electron/audit/index.js';
import { createVault, KeytarCustodian, keyNameFor, openVault, wipeVault } from '../../electron/vault/index.js';
import { temporaryDataDir } from '../../electron/vault/test-helpers.js';

const child = fileURLToPath(new URL('./children/rekey-child.ts', import.meta.url));
const custodian = new KeytarCustodian();
const ENTRIES = 20_000;
let dataDir: { dir: string; remove: () => void };

function entry(i: number): NewAuditEntry {
  return {
    action: 'chart-read',
    user: `user-${i % 7}`,
    patient: `p${i % 40}`,
    resources: [`Patient/p${i % 40}`],
    detail: { view: 'summary' },
  };
}

beforeAll(async () => {
  dataDir = temporaryDataDir('audit-rekey-crash');
  const vault = await createVault({ dataDir: dataDir.dir, custodian });
  vault.close();
  const audit = await openAuditLog({ dataDir: dataDir.dir, custodian });
  for (let start = 0; start < ENTRIES; start += 2_000) audit.recordAll(Array.from({ length: 2_000 }, (_, i) => entry(start + i)));
  audit.close();
});

afterAll(async () => {
  await wipeVault({ dataDir: dataDir.dir, custodian });
  for (const name of [keyNameFor(dataDir.dir, 'audit'), `${keyNameFor(dataDir.dir, 'audit')}.next`])
    await custodian.destroy(name).catch(() => undefined);
  dataDir.remove();
});

/** Starts a rekey in a child and kills it `delayMs` after the audit trail's re-encryption starts. */
function rekeyAndKill(delayMs: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const rekey = spawn(process.execPath, ['--import', 'tsx', child, dataDir.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    rekey.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('rekeying') && !output.includes('kill-scheduled')) {
        output += 'kill-scheduled';
        setTimeout(() => rekey.kill('SIGKILL'), delayMs);
      }
    });
    rekey.on('error', reject);
    // 'close', not 'exit': all of the child's output has been read by then. A kill that lands after
    // "done" (the rekey finished, the process was ending) is a finished rekey.
    rekey.on('close', (code, signal) => {
      if (output.includes('done')) resolve('finished');
      else if (signal === 'SIGKILL') resolve('killed');
      else reject(new Error(`rekey child failed with ${code ?? signal}`));
    });
  });
}

describe('a crash while the audit trail key changes', () => {
  let recordedRekeys = 0;
  for (const delayMs of [0, 10, 25, 50, 80, 120, 200, 400]) {
    it(`leaves a trail that opens with every entry and an intact chain, when killed ${delayMs} ms into the re-encryption`, async () => {
      const outcome = await rekeyAndKill(delayMs);
      if (outcome === 'finished') recordedRekeys += 1;
      const vault = await openVault({ dataDir: dataDir.dir, custodian });
      vault.close();
      const audit = await openAuditLog({ dataDir: dataDir.dir, custodian, create: false });
      try {
        const verdict = audit.verify();
        expect(verdict.ok).toBe(true);
        // Every entry written before, and one rekey entry per rekey that finished.
        const rekeys = [...audit.iterate()].filter((e) => e.action === 'rekey').length;
        expect(verdict.entries).toBe(ENTRIES + rekeys);
        expect(rekeys).toBeGreaterThanOrEqual(recordedRekeys);
        expect(audit.get(ENTRIES)).toMatchObject(entry(ENTRIES - 1));
      } finally {
        audit.close();
      }
    });
  }
});
