// The workstation refuses to talk to a hub whose certificate does not match its pin, and stops when
// IT revokes it; either way it says so clearly, audits the mismatch, and the cached charts stay
// readable.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollmentToken, revokeDevice } from '../../server/identity/index.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import { enrollWorkstation, isSyncError, type SyncError } from '../../electron/sync/index.js';
import { createKeytarCustodian, keyNameFor, vaultFilePath } from '../../electron/vault/index.js';
import { enrollTestWorkstation, MemoryAuditSink, memoryLogger, seedGeneratedWard, type TestWorkstation } from './sync-test-kit.js';

let hub: TestHub;
let ward: SyntheticWard;
const stations: TestWorkstation[] = [];

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  ward = await seedGeneratedWard(hub.db, 'a', { seed: 'sync-refusals', patients: 2, days: 1 });
});

afterAll(async () => {
  for (const station of stations) await station.remove();
  await hub?.stop();
});

async function syncedStation(): Promise<TestWorkstation> {
  const station = await enrollTestWorkstation(hub, 'a');
  stations.push(station);
  const vault = await station.openVault();
  const engine = station.engine(vault);
  await engine.syncOnce();
  await engine.close();
  vault.close();
  return station;
}

async function refusal(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isSyncError(error)).toBe(true);
  return error as SyncError;
}

describe('sync: refusals', () => {
  it('refuses a hub whose certificate does not match the pin, audits it, and keeps the cache readable', async () => {
    const station = await syncedStation();
    const vault = await station.openVault();
    const enrollment = vault.sync.enrollment()!;
    vault.sync.setEnrollment({ ...enrollment, pin: randomBytes(32).toString('base64') });
    const engine = station.engine(vault);
    const error = await refusal(engine.syncOnce());
    expect(error.code).toBe('PIN_MISMATCH');
    expect(error.message).toMatch(/does not match the pin/);
    expect(engine.state).toBe('offline');
    expect(engine.status().lastError).toBe('PIN_MISMATCH');
    expect(station.audit.events.filter((event) => event.kind === 'pin-mismatch')).toEqual([
      { kind: 'pin-mismatch', host: '127.0.0.1', presentedPin: hub.pin },
    ]);
    expect(vault.census()).toHaveLength(2);
    expect(vault.patientSummary(ward.patients[0]!.patient.id!)).not.toBeNull();
    await engine.close();
    vault.close();
  });

  it('stops syncing a revoked workstation with a clear error, with or without a device token in hand, and keeps the cache readable', async () => {
    const station = await syncedStation();
    const vault = await station.openVault();
    const engine = station.engine(vault);
    await engine.syncOnce();
    await revokeDevice(hub.db, vault.sync.enrollment()!.clientId);

    const withToken = await refusal(engine.syncOnce());
    expect(withToken.code).toBe('DEVICE_REVOKED');
    expect(withToken.message).toMatch(/revoked/);
    const fresh = station.engine(vault);
    const withoutToken = await refusal(fresh.syncOnce());
    expect(withoutToken.code).toBe('AUTH_FAILED');
    expect(withoutToken.message).toMatch(/revoked/);
    expect(station.audit.events.filter((event) => event.kind === 'device-refused')).toHaveLength(2);
    expect(vault.census()).toHaveLength(2);
    await engine.close();
    await fresh.close();
    vault.close();
  });

  it('refuses to enroll at a hub whose certificate does not match the pin, leaving no vault and no device key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wardline-sync-pin-'));
    const custodian = createKeytarCustodian();
    const audit = new MemoryAuditSink();
    try {
      const error = await refusal(
        enrollWorkstation({
          dataDir,
          custodian,
          logger: memoryLogger().logger,
          audit,
          hubUrl: hub.url,
          pin: randomBytes(32).toString('base64'),
          enrollmentToken: await createEnrollmentToken(hub.db, { ward: 'a' }),
        }),
      );
      expect(error.code).toBe('PIN_MISMATCH');
      expect(existsSync(vaultFilePath(dataDir))).toBe(false);
      expect(await custodian.load(keyNameFor(dataDir, 'device'))).toBeNull();
      expect(audit.events.map((event) => event.kind)).toEqual(['pin-mismatch']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses an enrollment token the hub does not know, in words IT can act on', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wardline-sync-token-'));
    try {
      const error = await refusal(
        enrollWorkstation({
          dataDir,
          custodian: createKeytarCustodian(),
          logger: memoryLogger().logger,
          audit: new MemoryAuditSink(),
          hubUrl: hub.url,
          pin: hub.pin,
          enrollmentToken: 'not-a-token',
        }),
      );
      expect(error.code).toBe('ENROLLMENT_REFUSED');
      expect(error.message).toMatch(/new one/);
      expect(existsSync(vaultFilePath(dataDir))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
