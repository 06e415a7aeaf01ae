// Store-and-forward of the audit trail to a real hub over TLS: entries recorded offline wait on the
// workstation, go up in batches exactly once, are marked sent only after the hub's 2xx, and the
// chain head is signed with the device key; a lost acknowledgement makes a harmless repeat; a
// device whose log skips sequences is flagged by the hub.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditUploader, deviceKeySigner, openAuditLog, type AuditLog, type AuditTransport } from '../../electron/audit/index.js';
import { auditDatabaseHandle, rawAuditHandle, temporaryAuditDir, type AuditTestDir } from '../../electron/audit/test-helpers.js';
import { auditChainStatusSchema } from '../../shared/auth/index.js';
import { MAX_REQUEST_BODY_BYTES } from '../../shared/fhir/index.js';
import { deviceAuditTransport, lostAnswerTransport, unreachableTransport } from '../support/audit-transport.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';

let hub: TestHub;
const dirs: AuditTestDir[] = [];
const logs: AuditLog[] = [];

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
});
afterAll(async () => {
  await hub?.stop();
});
afterEach(async () => {
  for (const log of logs.splice(0)) log.close();
  for (const dir of dirs.splice(0)) await dir.remove();
});

async function workstation(): Promise<{ dir: AuditTestDir; log: AuditLog; device: TestDevice }> {
  const dir = temporaryAuditDir('upload');
  dirs.push(dir);
  const log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian });
  logs.push(log);
  return { dir, log, device: await hub.enrollDevice('a') };
}

function uploader(log: AuditLog, device: TestDevice, transport: AuditTransport = deviceAuditTransport(device)): AuditUploader {
  return new AuditUploader({ log, transport, deviceId: device.clientId, signer: deviceKeySigner(device.privateKey), batchSize: 500 });
}

function recordReads(log: AuditLog, count: number): void {
  log.recordAll(
    Array.from({ length: count }, (_, i) => ({
      action: 'chart-read' as const,
      user: 'u-nurse-1',
      session: 's-1',
      patient: `p-${i % 40}`,
      resources: [`Patient/p-${i % 40}`],
      purposeOfUse: 'TREAT',
    })),
  );
}

async function heldAtHub(deviceId: string): Promise<number> {
  const rows = await hub.db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_events WHERE device_id = $1', [deviceId]);
  return Number(rows[0]?.n);
}

async function chainAtHub(device: TestDevice) {
  const response = await device.fetch('/audit/chain');
  return auditChainStatusSchema.parse(await response.json());
}

describe('audit upload to the hub', () => {
  it("sends every entry exactly once in batches, keeps the hub's answer, and signs the chain head", async () => {
    const { log, device } = await workstation();
    recordReads(log, 1_200);
    const report = await uploader(log, device).upload();
    expect(report).toMatchObject({ sent: 1_200, refused: 0, batches: 3, hubAcknowledged: 1_200, remaining: 0, checkpointMatches: true });
    expect(report.checkpoint).toMatchObject({ sequence: 1_200, hash: log.head().hash });
    expect(await heldAtHub(device.clientId)).toBe(1_200);
    const checkpoints = await hub.db.query<{ sequence: unknown; hash: string }>(
      'SELECT sequence, hash FROM audit_checkpoints WHERE device_id = $1',
      [device.clientId],
    );
    expect(checkpoints.map((c) => [Number(c.sequence), c.hash])).toEqual([[1_200, log.head().hash]]);
    expect(await chainAtHub(device)).toMatchObject({ highestContiguousSequence: 1_200, gaps: [], hashMismatches: [], reusedSequences: [] });

    const again = await uploader(log, device).upload();
    expect(again).toMatchObject({ sent: 0, batches: 0, checkpoint: null, remaining: 0 });
  });

  it('keeps entries recorded while the hub is unreachable, across a restart, and sends them when it is back', async () => {
    const { dir, log, device } = await workstation();
    recordReads(log, 30);
    await expect(uploader(log, device, unreachableTransport).upload()).rejects.toMatchObject({ code: 'UPLOAD_FAILED' });
    expect(log.queue.pendingCount()).toBe(30);
    log.close();
    const reopened = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian });
    logs.push(reopened);
    expect(reopened.queue.pendingCount()).toBe(30);
    recordReads(reopened, 5);
    expect(await uploader(reopened, device).upload()).toMatchObject({ sent: 35, remaining: 0, hubAcknowledged: 35 });
    expect(await heldAtHub(device.clientId)).toBe(35);
  });

  it('re-sends entries whose acknowledgement was lost, and the hub ignores the repeats', async () => {
    const { log, device } = await workstation();
    recordReads(log, 20);
    const lossy = lostAnswerTransport(deviceAuditTransport(device));
    await expect(uploader(log, device, lossy).upload()).rejects.toMatchObject({ code: 'UPLOAD_FAILED' });
    expect(lossy.delivered).toBe(1);
    expect(await heldAtHub(device.clientId)).toBe(20);
    expect(log.queue.pendingCount()).toBe(20);

    const report = await uploader(log, device).upload();
    expect(report).toMatchObject({ sent: 20, remaining: 0, hubAcknowledged: 20 });
    expect(await heldAtHub(device.clientId)).toBe(20);
    expect(await chainAtHub(device)).toMatchObject({ highestContiguousSequence: 20, hashMismatches: [], reusedSequences: [] });
  });

  it("never keeps entries marked sent without the hub's answer: when keeping the answer fails, they are sent again", async () => {
    const { dir, log, device } = await workstation();
    recordReads(log, 20);
    // The workstation's disk fills up (or the power goes) just as it keeps the hub's answer.
    const second = await auditDatabaseHandle(dir.dir, dir.custodian);
    second.exec(`CREATE TRIGGER full_disk BEFORE INSERT ON audit_meta WHEN NEW.key = 'hub_acknowledged'
                 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    await expect(uploader(log, device).upload()).rejects.toThrow();
    expect(await heldAtHub(device.clientId)).toBe(20);
    // Nothing looks delivered without the hub's acknowledgement beside it (nor pruned on its word).
    expect(log.queue.pendingCount()).toBe(20);
    expect(log.queue.hubAcknowledged()).toBeNull();

    second.exec('DROP TRIGGER full_disk');
    second.close();
    expect(await uploader(log, device).upload()).toMatchObject({ sent: 20, remaining: 0, hubAcknowledged: 20 });
    expect(log.queue.hubAcknowledged()).toBe(20);
    expect(await heldAtHub(device.clientId)).toBe(20);
  });

  it('is flagged by the hub when entries are missing from its log, and its acknowledgement stops below the gap', async () => {
    const { dir, log, device } = await workstation();
    recordReads(log, 6);
    log.close();
    const raw = await rawAuditHandle(dir.dir, dir.custodian);
    raw.prepare('DELETE FROM audit_entries WHERE sequence = 3').run();
    raw.close();
    const tampered = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian });
    logs.push(tampered);
    expect(tampered.verify()).toMatchObject({ ok: false, firstBadSequence: 3, problem: 'missing' });

    const report = await uploader(tampered, device).upload();
    expect(report).toMatchObject({ sent: 5, hubAcknowledged: 2 });
    expect(await chainAtHub(device)).toMatchObject({ highestContiguousSequence: 2, gaps: [{ from: 3, to: 3 }] });
    expect(hub.logs()).toMatch(new RegExp(`"event":"audit-chain-gap"[^\\n]*"deviceId":"${device.clientId}"`));
  });

  it('lets a second upload started during the first join it instead of sending twice', async () => {
    const { log, device } = await workstation();
    recordReads(log, 600);
    const up = uploader(log, device);
    const [a, b] = await Promise.all([up.upload(), up.upload()]);
    expect(a).toBe(b);
    expect(a.sent).toBe(600);
    expect(await heldAtHub(device.clientId)).toBe(600);
  });

  it("splits a batch whose Bundle would pass the hub's body limit, and still sends every entry once", async () => {
    const { log, device } = await workstation();
    // Reads of long lists of resources (at most 256 each): 500 of these pass the hub's 10 MiB limit.
    log.recordAll(
      Array.from({ length: 500 }, (_, i) => ({
        action: 'chart-read' as const,
        user: 'u-nurse-1',
        session: 's-1',
        patient: `p-${i % 40}`,
        resources: Array.from({ length: 250 }, (_, r) => `Observation/obs-${i % 40}-${String(r).padStart(48, '0')}`),
        purposeOfUse: 'TREAT',
      })),
    );
    const inner = deviceAuditTransport(device);
    const sizes: number[] = [];
    const measuring: AuditTransport = {
      ...inner,
      postBundle: (bundleJson) => {
        sizes.push(Buffer.byteLength(bundleJson));
        return inner.postBundle(bundleJson);
      },
    };
    const report = await new AuditUploader({
      log,
      transport: measuring,
      deviceId: device.clientId,
      signer: deviceKeySigner(device.privateKey),
    }).upload();
    expect(report).toMatchObject({ sent: 500, refused: 0, remaining: 0, hubAcknowledged: 500 });
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_REQUEST_BODY_BYTES);
    expect(await heldAtHub(device.clientId)).toBe(500);
  });
});
