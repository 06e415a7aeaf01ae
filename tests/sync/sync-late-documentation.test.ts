// A workstation in downtime when its patient is transferred in the EHR (its network down; the hub
// and the ADT feed run on) cannot know: the nurse goes on documenting at the bedside. When it
// reconnects, the sync engine's push delivers that documentation (once, no conflict, nothing
// rejected), because the hub takes from a device documentation timed up to its first contact after
// the departure plus the grace (server/fhir/ward-stay.ts), also when the answer to its push was lost
// and the retry comes minutes later (the hub knows the device stored it). The hub's and the
// workstation's clock start three hours back and move forward together. Synthetic patients only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importResources, putResources } from '../../server/fhir/index.js';
import { generateWard, type SyntheticWard } from '../../shared/synthetic/index.js';
import type { Encounter } from '../../shared/fhir/index.js';
import type { Vault } from '../../electron/vault/index.js';
import { openDocumentation, type DocumentationAuthor, type Documentation } from '../../electron/documentation/index.js';
import { CLIENT_ID_SYSTEM, createSyncEngine, isSyncError, type SyncEngine } from '../../electron/sync/index.js';
import { bedLocation, wardLocation } from '../support/hub-fixtures.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { addWardNurse, enrollTestWorkstation, FAST_POLICY, hubCopiesOf, NOW, type TestWorkstation } from './sync-test-kit.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
let offset = -3 * HOUR;
let hub: TestHub;
let nurse: DocumentationAuthor;
let proxy: FaultProxy;
let ward: SyntheticWard;
let station: TestWorkstation;
let vault: Vault;
let engine: SyncEngine;
let documentation: Documentation;

/** The hub's and the workstation's clock (they agree; the EHR's transfer is written in the past). */
const clock = (): Date => new Date(Date.now() + offset);

/** Sets the clock `ago` ms behind the real one (only ever forward; negative: ahead of it). */
function behindBy(ago: number): void {
  offset = Math.max(offset, -ago);
}

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', clock });
  nurse = await addWardNurse(hub.db, 'a');
  ward = generateWard({ seed: 'sync-late-documentation', patients: 2, days: 1, ward: { id: 'a', name: 'Ward a' }, now: NOW });
  const wardB = [wardLocation('b'), ...[1, 2].map((bed) => bedLocation('b', bed))];
  await importResources(hub.db, [...ward.resources, ...wardB], new Date(Date.now() - 3 * HOUR));
  proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
  station = await enrollTestWorkstation(hub, 'a', { hubUrl: proxy.url, pin: proxy.pin });
  vault = await station.openVault();
  const { dataDir, custodian, logger, audit } = station;
  engine = createSyncEngine({ vault, dataDir, custodian, logger, audit, policy: { ...FAST_POLICY, retries: 1 }, now: clock });
  documentation = openDocumentation({ vault, sync: engine, logger, now: clock });
  await engine.syncOnce();
});

afterAll(async () => {
  await engine?.close();
  vault?.close();
  await station?.remove();
  await proxy?.stop();
  await hub?.stop();
});

describe('sync: documentation made in downtime across a transfer', () => {
  it('is delivered once when the workstation reconnects, and the patient who left is purged', async () => {
    proxy.setFaults({ drop: 1 });
    await expect(engine.syncOnce()).rejects.toSatisfy((error) => isSyncError(error));
    // Two and a half hours ago the EHR moves the patient to ward b; the workstation cannot know.
    behindBy(2.5 * HOUR);
    const moved = ward.patients[0]!;
    const transferred: Encounter = {
      ...moved.encounter,
      location: [
        { location: { reference: 'Location/ward-a' }, status: 'completed' },
        { location: { reference: 'Location/ward-b' } },
        { location: { reference: 'Location/bed-b-1' } },
      ],
    };
    await putResources(hub.db, [transferred], new Date(Date.now() - 2.5 * HOUR));
    // An hour and a half after the transfer the nurse documents at the bedside, in downtime.
    behindBy(HOUR);
    const receipt = documentation.recordVitalSigns(moved.patient.id!, { heartRate: 88 }, nurse);
    expect(receipt.downtime).toBe(true);
    // The network comes back.
    behindBy(0);
    proxy.setFaults(null);
    const summary = await engine.syncOnce();
    expect(summary.pushed).toEqual({ delivered: 1, conflicts: 0, rejected: 0 });
    expect(vault.outbox.count()).toBe(0);
    expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, receipt.resourceIds[0]!)).toBe(1);
    expect(summary.purgedPatients).toBe(1);
  });

  it('delivers once, not rejected, a late upload whose answer was lost, retried minutes later before any read', async () => {
    // Online after the first case; the network goes down, and ten minutes later the EHR moves the
    // second patient to ward b (the workstation's last contact long before that).
    proxy.setFaults({ drop: 1 });
    await expect(engine.syncOnce()).rejects.toSatisfy((error) => isSyncError(error));
    behindBy(-10 * MINUTE);
    const moved = ward.patients[1]!;
    const transferred: Encounter = {
      ...moved.encounter,
      location: [
        { location: { reference: 'Location/ward-a' }, status: 'completed' },
        { location: { reference: 'Location/ward-b' } },
        { location: { reference: 'Location/bed-b-2' } },
      ],
    };
    await putResources(hub.db, [transferred], clock());
    // An hour and a half later the nurse documents at the bedside, in downtime.
    behindBy(-100 * MINUTE);
    const receipt = documentation.recordVitalSigns(moved.patient.id!, { heartRate: 91 }, nurse);
    expect(receipt.downtime).toBe(true);
    // The network comes back, but the push's answer is lost (the hub stored it) and the cycle ends
    // there: no read reaches the hub (the earlier cycle's reads still retrying are dropped).
    behindBy(-2 * HOUR);
    proxy.setFaults((path) => (path === '/fhir' ? { cutAfterForward: 1 } : path.startsWith('/fhir') ? { drop: 1 } : null));
    await expect(engine.syncOnce()).rejects.toSatisfy((error) => isSyncError(error));
    expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, receipt.resourceIds[0]!)).toBe(1);
    // Two minutes later the network is fine: the retry is answered as delivered.
    behindBy(-2 * HOUR - 2 * MINUTE);
    proxy.setFaults(null);
    const summary = await engine.syncOnce();
    expect(summary.pushed).toEqual({ delivered: 1, conflicts: 0, rejected: 0 });
    expect(vault.outbox.count()).toBe(0);
    expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, receipt.resourceIds[0]!)).toBe(1);
    expect(summary.purgedPatients).toBe(1);
  });
});
