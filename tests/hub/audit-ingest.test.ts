// Audit upload end to end, over real TLS on both storage engines: AuditEvents arrive in FHIR batch
// Bundles (PUT with client-assigned ids), are stored exactly once, checked against the device's hash
// chain, and the answer says which sequence the hub holds; signed checkpoints of the chain head.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_CHAIN_STATUS_EXTENSION_URL,
  auditChainStatusSchema,
  createAuditCheckpoint,
  generateDeviceKeyPair,
  hubErrorCode,
  type AuditChainStatusResponse,
} from '../../shared/auth/index.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { TestAuditChain } from '../support/audit-chain.js';

interface BatchResponse {
  resourceType: string;
  type: string;
  extension?: { url: string; valueInteger?: number }[];
  entry: { response: { status: string; outcome?: unknown } }[];
}

/** A device's audit chain as the workstation keeps it: sequence n links to the hash of n − 1. */
class Chain {
  readonly entries: TestAuditChain;
  constructor(device: TestDevice) {
    this.entries = new TestAuditChain(device.clientId);
  }

  hash(sequence: number): string {
    return this.entries.hash(sequence);
  }

  event(sequence: number, previousHash?: string) {
    return this.entries.event(sequence, previousHash === undefined ? {} : { previousHash });
  }
}

async function uploadBatch(device: TestDevice, events: readonly object[]): Promise<BatchResponse> {
  const response = await device.fetch('/fhir', {
    method: 'POST',
    body: {
      resourceType: 'Bundle',
      type: 'batch',
      entry: events.map((resource) => ({ resource, request: { method: 'PUT', url: `AuditEvent/${(resource as { id: string }).id}` } })),
    },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as BatchResponse;
}

const acknowledged = (bundle: BatchResponse): number | undefined =>
  bundle.extension?.find((e) => e.url === AUDIT_CHAIN_STATUS_EXTENSION_URL)?.valueInteger;

async function chainStatus(device: TestDevice): Promise<AuditChainStatusResponse> {
  const response = await device.fetch('/audit/chain');
  expect(response.status).toBe(200);
  return auditChainStatusSchema.parse(await response.json());
}

describe.each<HubEngine>(['sqlite', 'postgres'])('audit ingest over TLS on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub({ engine });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('stores re-sent entries exactly once and acknowledges the highest contiguous sequence', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new Chain(device);
    const first = await uploadBatch(
      device,
      [1, 2, 3].map((n) => chain.event(n)),
    );
    expect(first.type).toBe('batch-response');
    expect(first.entry.map((e) => e.response.status)).toEqual(['201 Created', '201 Created', '201 Created']);
    expect(acknowledged(first)).toBe(3);

    const resent = await uploadBatch(
      device,
      [2, 3, 4].map((n) => chain.event(n)),
    );
    expect(resent.entry.map((e) => e.response.status.slice(0, 3))).toEqual(['200', '200', '201']);
    expect(acknowledged(resent)).toBe(4);
    const held = await hub.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM audit_events WHERE device_id = $1', [device.clientId]);
    expect(Number(held[0]?.n)).toBe(4);
  });

  it('takes the good entries of a batch and refuses only the malformed one among them', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new Chain(device);
    const broken = { ...chain.event(2), recorded: 'not a time' };
    const bundle = await uploadBatch(device, [chain.event(1), broken, chain.event(3)]);
    expect(bundle.entry.map((e) => e.response.status.slice(0, 3))).toEqual(['201', '422', '201']);
    expect(acknowledged(bundle)).toBe(1);
    const retry = await uploadBatch(device, [chain.event(1), chain.event(2), chain.event(3)]);
    expect(retry.entry.map((e) => e.response.status.slice(0, 3))).toEqual(['200', '201', '200']);
    expect(acknowledged(retry)).toBe(3);
  });

  it('flags a device that skips sequences: the gap is reported and the acknowledgement stays below it', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new Chain(device);
    const bundle = await uploadBatch(
      device,
      [1, 2, 6, 7].map((n) => chain.event(n)),
    );
    expect(acknowledged(bundle)).toBe(2);
    expect(await chainStatus(device)).toMatchObject({
      deviceId: device.clientId,
      highestContiguousSequence: 2,
      gaps: [{ from: 3, to: 5 }],
    });
    expect(hub.logs()).toContain('"event":"audit-chain-gap"');
    expect(
      acknowledged(
        await uploadBatch(
          device,
          [3, 4, 5].map((n) => chain.event(n)),
        ),
      ),
    ).toBe(7);
    expect((await chainStatus(device)).gaps).toEqual([]);
  });

  it('flags an event whose previous hash does not match the event before it', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new Chain(device);
    await uploadBatch(device, [chain.event(1), chain.event(2), chain.event(3, 'd'.repeat(64)), chain.event(4)]);
    const status = await chainStatus(device);
    expect(status.hashMismatches).toEqual([3]);
    expect(hub.logs()).toMatch(/"event":"audit-chain-flag"[^\n]*"kind":"hash-mismatch"/);
  });

  it('recomputes each hash from the entry it carries: an altered entry is stored as evidence and flagged, one without its entry refused', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new Chain(device);
    const altered = JSON.stringify({ ...chain.entries.body(2), action: 'lock', patient: null });
    const withoutEntry = chain.entries.event(3, { withoutEntry: true });
    const bundle = await uploadBatch(device, [chain.event(1), chain.entries.event(2, { entryText: altered }), withoutEntry]);
    expect(bundle.entry.map((e) => e.response.status.slice(0, 3))).toEqual(['201', '201', '400']);
    expect(hubErrorCode(bundle.entry[2]?.response.outcome)).toBe('AUDIT_CHAIN_MISSING');
    const status = await chainStatus(device);
    expect(status.highestContiguousSequence).toBe(2);
    expect(status.hashMismatches).toEqual([2]);
    expect(hub.logs()).toMatch(/"event":"audit-chain-flag"[^\n]*"kind":"content-mismatch"/);
  });

  it('refuses an entry that changes an already stored event, and one observed by another device', async () => {
    const device = await hub.enrollDevice('a');
    const other = await hub.enrollDevice('a');
    const chain = new Chain(device);
    await uploadBatch(device, [chain.event(1)]);
    const changed = { ...chain.event(1), action: 'R' as const };
    const foreign = new Chain(other).event(1);
    const bundle = await uploadBatch(device, [changed, foreign]);
    expect(bundle.entry.map((e) => e.response.status.slice(0, 3))).toEqual(['409', '403']);
    expect(hubErrorCode(bundle.entry[0]?.response.outcome)).toBe('AUDIT_EVENT_CONFLICT');
    expect((await chainStatus(other)).highestContiguousSequence).toBe(0);
  });

  it('shows each device only its own chain', async () => {
    const device = await hub.enrollDevice('a');
    const other = await hub.enrollDevice('b');
    await uploadBatch(device, [new Chain(device).event(1)]);
    expect((await chainStatus(device)).highestContiguousSequence).toBe(1);
    expect(await chainStatus(other)).toMatchObject({ deviceId: other.clientId, highestContiguousSequence: 0 });
  });

  it('stores a checkpoint signed with the device key and refuses one with a bad signature', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new Chain(device);
    await uploadBatch(
      device,
      [1, 2].map((n) => chain.event(n)),
    );
    const post = (jws: string) =>
      device.fetch('/audit/checkpoint', { method: 'POST', headers: { 'content-type': 'application/json' }, body: { jws } });
    const head = { deviceId: device.clientId, sequence: 2, hash: chain.hash(2), time: new Date().toISOString() };

    const forged = await post(await createAuditCheckpoint((await generateDeviceKeyPair()).privateKey, head));
    expect(forged.status).toBe(400);
    expect(hubErrorCode(await forged.json())).toBe('CHECKPOINT_SIGNATURE_INVALID');

    const good = await post(await createAuditCheckpoint(device.privateKey, head));
    expect(good.status).toBe(201);
    expect(await good.json()).toEqual({ deviceId: device.clientId, sequence: 2, matchesHeldChain: true });

    const disagreeing = await post(await createAuditCheckpoint(device.privateKey, { ...head, sequence: 1, hash: 'e'.repeat(64) }));
    expect(await disagreeing.json()).toMatchObject({ matchesHeldChain: false });
    expect((await chainStatus(device)).hashMismatches).toEqual([1]);
  });
});
