// Store-and-forward under power cuts: a process appending audit entries is killed with SIGKILL at
// random moments, 50 times. Every entry whose `record` had returned (the child reports each one as
// it returns) is there after reopening, the chain verifies, and everything reaches the hub exactly
// once, including entries re-sent after acknowledgements were lost.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditUploader, deviceKeySigner, openAuditLog } from '../../electron/audit/index.js';
import { temporaryAuditDir, type AuditTestDir } from '../../electron/audit/test-helpers.js';
import { deviceAuditTransport, lostAnswerTransport } from '../support/audit-transport.js';
import { startHub, type TestHub } from '../support/hub-harness.js';

const child = fileURLToPath(new URL('./children/append-child.ts', import.meta.url));
const TRIALS = 50;
let dir: AuditTestDir;
let hub: TestHub;

beforeAll(async () => {
  dir = temporaryAuditDir('crash');
  (await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian })).close();
  hub = await startHub({ engine: 'sqlite' });
});

afterAll(async () => {
  await hub?.stop();
  await dir?.remove();
});

/** Runs the appender, kills it `delayMs` after it is ready; resolves with what it reported. */
function appendAndKill(seed: number, delayMs: number): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const appender = spawn(process.execPath, ['--import', 'tsx', child, dir.dir, String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    let scheduled = false;
    appender.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!scheduled && output.startsWith('ready\n')) {
        scheduled = true;
        setTimeout(() => appender.kill('SIGKILL'), delayMs);
      }
    });
    appender.on('error', reject);
    appender.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`the appender stopped by itself (${String(_code)})`));
        return;
      }
      const reported = new Map<number, string>();
      // The last line may be cut off by the kill: only complete lines count.
      for (const line of output.split('\n').slice(1, -1)) {
        const [sequence, hash] = line.split(' ');
        reported.set(Number(sequence), hash!);
      }
      resolve(reported);
    });
  });
}

describe('audit entries under kill -9', () => {
  it(`keeps every returned entry and a valid chain over ${TRIALS} kills, then reaches the hub exactly once`, async () => {
    const device = await hub.enrollDevice('a');
    const lossy = lostAnswerTransport(deviceAuditTransport(device));
    let seed = 20260302;
    const nextRandom = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let reportedTotal = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const delayMs = Math.floor(nextRandom() * 120);
      const reported = await appendAndKill(trial + 1, delayMs);
      reportedTotal += reported.size;
      const log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, create: false });
      try {
        const missing = [...reported].filter(([sequence, hash]) => log.get(sequence)?.hash !== hash);
        expect(missing, `trial ${trial}: entries reported as recorded but not found after the kill`).toEqual([]);
        expect(log.verify(), `trial ${trial}`).toMatchObject({ ok: true });
        // Every fifth trial an upload goes out whose answer is lost, as if the power failed just after.
        if (trial % 5 === 4) {
          await expect(
            new AuditUploader({ log, transport: lossy, deviceId: device.clientId, signer: deviceKeySigner(device.privateKey) }).upload(),
          ).rejects.toMatchObject({ code: 'UPLOAD_FAILED' });
        }
      } finally {
        log.close();
      }
    }
    expect(reportedTotal).toBeGreaterThan(TRIALS);
    expect(lossy.delivered).toBeGreaterThanOrEqual(TRIALS / 5);

    const log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, create: false });
    try {
      const head = log.head().sequence;
      const report = await new AuditUploader({
        log,
        transport: deviceAuditTransport(device),
        deviceId: device.clientId,
        signer: deviceKeySigner(device.privateKey),
      }).upload();
      expect(report).toMatchObject({ sent: head, refused: 0, remaining: 0, hubAcknowledged: head, checkpointMatches: true });
      const held = await hub.db.query<{ n: unknown; distinct_sequences: unknown }>(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT sequence) AS distinct_sequences FROM audit_events WHERE device_id = $1',
        [device.clientId],
      );
      expect({ n: Number(held[0]?.n), distinct: Number(held[0]?.distinct_sequences) }).toEqual({ n: head, distinct: head });
      const flags = await hub.db.query('SELECT kind FROM audit_chain_flags WHERE device_id = $1', [device.clientId]);
      expect(flags).toEqual([]);
    } finally {
      log.close();
    }
  }, 900_000);
});
