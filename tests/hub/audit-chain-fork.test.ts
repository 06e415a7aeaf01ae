// A re-enrolled workstation's audit chain continues the chain of its earlier, wiped enrollment
// (docs/AUDIT.md). When two chains go on from the same point, the hub keeps both as evidence but
// takes neither fork into the chain it verifies, and flags it where the privacy officer reads the
// trail (a `chain-fork` tag on the events in GET /fhir/AuditEvent) and in the device's
// GET /audit/chain (`forkedSequences`):
// - a second device claiming a point another device already continues (a copy of the trail
//   enrolled elsewhere): it keeps its gap, and its first event there is flagged;
// - the earlier device uploading above the point its chain was continued from: those events are
//   flagged, and its acknowledged head stays at the point.
// `wardline-hub audit export` shows the same flags (CSV `chainFlags`).
// Real hub over TLS, devices enrolled with their own keys, on both storage engines.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/identity/index.js';
import { AUDIT_CHAIN_STATUS_EXTENSION_URL, auditChainStatusSchema, type AuditChainStatusResponse } from '../../shared/auth/index.js';
import type { AuditEvent, Bundle } from '../../shared/fhir/index.js';
import { TestAuditChain } from '../support/audit-chain.js';
import { hubCli } from '../support/hub-cli.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';

const PASSWORD = 'correct horse battery staple';
const FLAG_SYSTEM = 'https://wardline.example/fhir/CodeSystem/audit-chain-flag';

interface BatchResponse {
  extension?: { url: string; valueInteger?: number }[];
  entry: { response: { status: string } }[];
}

async function upload(device: TestDevice, events: readonly { id: string }[]): Promise<BatchResponse> {
  const response = await device.fetch('/fhir', {
    method: 'POST',
    body: {
      resourceType: 'Bundle',
      type: 'batch',
      entry: events.map((resource) => ({ resource, request: { method: 'PUT', url: `AuditEvent/${resource.id}` } })),
    },
  });
  expect(response.status).toBe(200);
  const bundle = (await response.json()) as BatchResponse;
  expect(bundle.entry.map((e) => e.response.status.slice(0, 3))).toEqual(events.map(() => '201'));
  return bundle;
}

async function chainStatus(device: TestDevice): Promise<AuditChainStatusResponse> {
  const response = await device.fetch('/audit/chain');
  expect(response.status).toBe(200);
  return auditChainStatusSchema.parse(await response.json());
}

describe.each<HubEngine>(['sqlite', 'postgres'])('a fork of a continued audit chain, on %s', (engine) => {
  let hub: TestHub;
  let officer: TestDevice;

  beforeAll(async () => {
    hub = await startHub({ engine });
    await addUser(
      hub.db,
      { username: 'privacy.a', password: PASSWORD, role: 'admin', wards: ['a'], mfa: false },
      new Date(Date.now() - 86_400_000),
    );
    officer = await (await hub.enrollDevice('a')).signedIn('privacy.a', PASSWORD);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  /** The chain-flag tags on each of the device's events, as the privacy officer reads the trail. */
  async function tagsSeenByOfficer(device: TestDevice): Promise<Record<string, string[]>> {
    const response = await officer.fetch(`/fhir/AuditEvent?source=Device/${device.clientId}&_count=100`);
    expect(response.status).toBe(200);
    const events = ((await response.json()) as Bundle).entry?.map((e) => e.resource as AuditEvent) ?? [];
    return Object.fromEntries(
      events.map((event) => [event.id!, (event.meta?.tag ?? []).filter((t) => t.system === FLAG_SYSTEM).map((t) => t.code!)]),
    );
  }

  /** The chainFlags cell of each of the device's events in `wardline-hub audit export --format csv`. */
  async function flagsInHubExport(device: TestDevice): Promise<Record<string, string>> {
    const folder = await mkdtemp(join(tmpdir(), 'wardline-fork-export-'));
    try {
      const keyFile = join(folder, 'hub.key');
      await writeFile(keyFile, `${hub.hubKey.toString('base64')}\n`);
      await chmod(keyFile, 0o600);
      const store = hub.postgresUrl ? ['--postgres', hub.postgresUrl] : ['--data', dirname(hub.sqlitePath!)];
      const run = await hubCli(['audit', 'export', '--workstation', device.clientId, '--format', 'csv', ...store, '--key-file', keyFile]);
      expect(run.code, run.err).toBe(0);
      const [header, ...lines] = run.out.trimEnd().split('\r\n');
      const columns = header!.split(',');
      return Object.fromEntries(
        lines.map((line) => {
          const cells = line.split(',');
          return [cells[columns.indexOf('eventId')]!, cells[columns.indexOf('chainFlags')]!];
        }),
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  /** A device whose trail ends in its wipe at 3, and the same trail as another enrollment of it would send it. */
  async function wipedAtThree(): Promise<{ earlier: TestDevice; trail: TestAuditChain; copyFor: (device: TestDevice) => TestAuditChain }> {
    const earlier = await hub.enrollDevice('a');
    const trail = new TestAuditChain(earlier.clientId).define(3, { action: 'wipe' });
    await upload(
      earlier,
      [1, 2, 3].map((n) => trail.event(n)),
    );
    const copyFor = (device: TestDevice) => new TestAuditChain(device.clientId, trail.auditLogId).define(3, { action: 'wipe' });
    return { earlier, trail, copyFor };
  }

  it('flags a second claimant of a point another device already continues, on its first event there; it keeps its gap', async () => {
    const { earlier, copyFor } = await wipedAtThree();
    const continuing = await hub.enrollDevice('a');
    const second = await hub.enrollDevice('a');
    await upload(continuing, [copyFor(continuing).event(4)]);
    await upload(second, [copyFor(second).event(4), copyFor(second).event(5)]);

    const claimant = await chainStatus(second);
    expect(claimant).toMatchObject({ highestContiguousSequence: 0, gaps: [{ from: 1, to: 3 }], forkedSequences: [4] });
    expect(claimant.continues).toBeUndefined();
    expect(await chainStatus(continuing)).toEqual({
      deviceId: continuing.clientId,
      continues: { deviceId: earlier.clientId, afterSequence: 3 },
      highestContiguousSequence: 4,
      gaps: [],
      hashMismatches: [],
      reusedSequences: [],
    });
    expect(await tagsSeenByOfficer(second)).toEqual({ [`${second.clientId}-4`]: ['chain-fork'], [`${second.clientId}-5`]: [] });
    expect(await flagsInHubExport(second)).toEqual({ [`${second.clientId}-4`]: 'chain-fork', [`${second.clientId}-5`]: '' });
    expect(Object.values(await tagsSeenByOfficer(continuing)).flat()).toEqual([]);
  });

  it('flags the earlier device going on above the point its chain was continued from, and never acknowledges it there', async () => {
    const { earlier, trail, copyFor } = await wipedAtThree();
    const continuing = await hub.enrollDevice('a');
    await upload(continuing, [copyFor(continuing).event(4), copyFor(continuing).event(5)]);

    const answer = await upload(earlier, [trail.event(4), trail.event(5)]);
    expect(answer.extension?.find((e) => e.url === AUDIT_CHAIN_STATUS_EXTENSION_URL)?.valueInteger).toBe(3);
    expect(await chainStatus(earlier)).toEqual({
      deviceId: earlier.clientId,
      highestContiguousSequence: 3,
      gaps: [],
      hashMismatches: [],
      reusedSequences: [],
      forkedSequences: [4, 5],
    });
    expect(await tagsSeenByOfficer(earlier)).toMatchObject({
      [`${earlier.clientId}-3`]: [],
      [`${earlier.clientId}-4`]: ['chain-fork'],
      [`${earlier.clientId}-5`]: ['chain-fork'],
    });
    expect(await flagsInHubExport(earlier)).toEqual({
      [`${earlier.clientId}-1`]: '',
      [`${earlier.clientId}-2`]: '',
      [`${earlier.clientId}-3`]: '',
      [`${earlier.clientId}-4`]: 'chain-fork',
      [`${earlier.clientId}-5`]: 'chain-fork',
    });
    // The continuing chain is the verified one, unflagged.
    expect(await chainStatus(continuing)).toMatchObject({ highestContiguousSequence: 5, continues: { deviceId: earlier.clientId } });
    expect((await chainStatus(continuing)).forkedSequences).toBeUndefined();
  });
});
