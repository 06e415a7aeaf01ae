// A workstation may lose power while the vault key is being changed. Whenever the process dies,
// the keystore must still hold a key that opens the file, with every chart in it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, KeytarCustodian, openVault, wipeVault } from '../../electron/vault/index.js';

const child = fileURLToPath(new URL('./children/rekey-child.ts', import.meta.url));
const custodian = new KeytarCustodian();
const OBSERVATIONS = 30_000;
let dataDir: string;

function observation(i: number) {
  return {
    resourceType: 'Observation',
    id: `hr-${i}`,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: new Date(Date.UTC(2023, 0, 1) + i * 600_000).toISOString(),
    valueQuantity: { value: 50 + (i % 60), unit: '/min' },
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'wardline-rekey-crash-'));
  const vault = await createVault({ dataDir, custodian });
  vault.resources.upsert({ resourceType: 'Patient', id: 'p1' });
  for (let start = 0; start < OBSERVATIONS; start += 5_000) {
    vault.resources.upsertMany(Array.from({ length: 5_000 }, (_, i) => observation(start + i)));
  }
  vault.close();
});

afterAll(async () => {
  await wipeVault({ dataDir, custodian });
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts a rekey in a child and kills it `delayMs` after the re-encryption starts. */
function rekeyAndKill(delayMs: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const rekey = spawn(process.execPath, ['--import', 'tsx', child, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
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

describe('a crash while the vault key changes', () => {
  for (const delayMs of [0, 15, 30, 45, 60, 80, 100, 200]) {
    it(`leaves a vault that opens with every chart, when killed ${delayMs} ms into the re-encryption`, async () => {
      await rekeyAndKill(delayMs);
      const vault = await openVault({ dataDir, custodian });
      try {
        expect(vault.resources.count('Observation')).toBe(OBSERVATIONS);
        expect(vault.resources.read('Observation', `hr-${OBSERVATIONS - 1}`)).toEqual(observation(OBSERVATIONS - 1));
      } finally {
        vault.close();
      }
    });
  }
});
