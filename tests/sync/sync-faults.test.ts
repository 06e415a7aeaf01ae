// Fault injection through a proxy between the workstation and the hub: connections dropped, requests
// stalled, 5xx answers, answers cut off mid-body (some after the hub did the work). While faults
// last, sync cycles fail or limp and documentation keeps being written; once they stop, the vault
// converges to the hub and no outbox entry exists twice on the hub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedResources } from '../support/hub-fixtures.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import type { Observation } from '../../shared/fhir/index.js';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import type { Vault } from '../../electron/vault/index.js';
import { openDocumentation, type Documentation, type DocumentationReceipt } from '../../electron/documentation/index.js';
import { CLIENT_ID_SYSTEM, type SyncEngine } from '../../electron/sync/index.js';
import {
  enrollTestWorkstation,
  hubCopiesOf,
  hubWardContents,
  addWardNurse,
  seedGeneratedWard,
  vaultDifferences,
  type TestWorkstation,
} from './sync-test-kit.js';
import type { DocumentationAuthor } from '../../electron/documentation/index.js';

/** A seeded generator, so a failing run can be repeated. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

let hub: TestHub;
let NURSE: DocumentationAuthor;
let proxy: FaultProxy;
let ward: SyntheticWard;
let station: TestWorkstation;
let vault: Vault;
let engine: SyncEngine;
let documentation: Documentation;

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 2000, burst: 4000 } });
  NURSE = await addWardNurse(hub.db, 'a');
  ward = await seedGeneratedWard(hub.db, 'a', { seed: 'sync-faults', patients: 4, days: 2 });
  proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem, random: seeded(20261123) });
  station = await enrollTestWorkstation(hub, 'a', { hubUrl: proxy.url, pin: proxy.pin });
  vault = await station.openVault();
  engine = station.engine(vault, { pageSize: 40, retries: 5, idleTimeoutMs: 400, retryBaseMs: 5, retryMaxMs: 50, pushBatchSize: 3 });
  documentation = openDocumentation({ vault, sync: engine, logger: station.logger });
});

afterAll(async () => {
  await engine?.close();
  vault?.close();
  await station?.remove();
  await proxy?.stop();
  await hub?.stop();
});

describe('sync: faults between workstation and hub', () => {
  it('converges to the hub once faults stop, with every outbox entry on the hub exactly once', async () => {
    proxy.setFaults({ drop: 0.08, stall: 0.04, error5xx: 0.08, cut: 0.08, cutAfterForward: 0.08 });
    const receipts: DocumentationReceipt[] = [];
    const observations = ward.patients.flatMap((p) => p.resources.filter((r): r is Observation => r.resourceType === 'Observation'));
    let failedCycles = 0;
    // The initial load itself runs into the faults; it resumes where each failed cycle stopped.
    for (let attempt = 0; attempt < 30 && vault.census().length < ward.patients.length; attempt += 1) {
      await engine.syncOnce().catch(() => {
        failedCycles += 1;
      });
    }
    expect(vault.census()).toHaveLength(ward.patients.length);
    for (let round = 0; round < 12; round += 1) {
      const patient = ward.patients[round % ward.patients.length]!;
      receipts.push(documentation.recordVitalSigns(patient.patient.id!, { heartRate: 60 + round, oxygenSaturation: 95 }, NURSE));
      const changed = observations[(round * 7) % observations.length]!;
      await feedResources(hub.db, [{ ...changed, note: [{ text: `round ${round}` }] } as Observation]);
      await engine.syncOnce().catch(() => {
        failedCycles += 1;
      });
    }
    const injected = { ...proxy.injected };
    expect(injected.drop + injected.stall + injected.error5xx + injected.cut + injected.cutAfterForward).toBeGreaterThan(20);

    proxy.setFaults(null);
    await engine.syncOnce();
    expect(vault.outbox.count()).toBe(0);
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
    for (const receipt of receipts) {
      for (const clientId of receipt.resourceIds) expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, clientId)).toBe(1);
    }
    expect(documentation.conflicts()).toEqual([]);
    // The run is only meaningful when the faults hurt: some cycles failed, some answers were lost.
    expect(failedCycles + injected.cutAfterForward).toBeGreaterThan(0);
  });
});
