import { CompactSign, importJWK, type CryptoKey } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { createAuditCheckpoint, generateDeviceKeyPair, type DeviceKeyPair } from '../../shared/auth/index.js';
import { TestAuditChain } from '../../tests/support/audit-chain.js';
import { recordCheckpoint } from './checkpoint.js';
import { auditChainStatus, auditIngestMigrations, recordAuditEvent } from './index.js';

let db: SqlDatabase;
let keys: DeviceKeyPair;
const now = new Date('2026-03-02T08:00:00Z');
const chain = new TestAuditChain('dev-A');
const hash1 = chain.hash(1);

beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  await runMigrations(db, auditIngestMigrations);
  keys = await generateDeviceKeyPair();
});
afterEach(async () => db.close());

async function device(deviceId = 'dev-A') {
  return { deviceId, publicKey: (await importJWK(keys.publicKeyJwk, 'ES384')) as CryptoKey };
}

async function holdFirstEvent(): Promise<void> {
  await db.transaction((tx) =>
    recordAuditEvent(
      tx,
      { device: { deviceId: 'dev-A', ward: 'w', scope: { read: true, write: true } } },
      { ...chain.event(1), id: 'e1' },
      now.toISOString(),
    ),
  );
}

describe('signed audit checkpoints', () => {
  it('stores a checkpoint signed with the device key and says whether it matches the held chain', async () => {
    const early = await createAuditCheckpoint(keys.privateKey, { deviceId: 'dev-A', sequence: 1, hash: hash1, time: now.toISOString() });
    await expect(recordCheckpoint(db, await device(), early, now)).resolves.toEqual({
      deviceId: 'dev-A',
      sequence: 1,
      matchesHeldChain: null,
    });
    await holdFirstEvent();
    await expect(recordCheckpoint(db, await device(), early, now)).resolves.toMatchObject({ matchesHeldChain: true });
    const [stored] = await db.query<{ jws: string }>('SELECT jws FROM audit_checkpoints');
    expect(stored?.jws).toBe(early);
  });

  it('flags a checkpoint whose hash differs from the event the hub holds', async () => {
    await holdFirstEvent();
    const other = await createAuditCheckpoint(keys.privateKey, {
      deviceId: 'dev-A',
      sequence: 1,
      hash: 'c'.repeat(64),
      time: now.toISOString(),
    });
    await expect(recordCheckpoint(db, await device(), other, now)).resolves.toMatchObject({ matchesHeldChain: false });
    expect((await auditChainStatus(db, 'dev-A')).hashMismatches).toEqual([1]);
  });

  it('refuses a checkpoint signed with another key, or an altered one', async () => {
    const stranger = await generateDeviceKeyPair();
    const forged = await createAuditCheckpoint(stranger.privateKey, {
      deviceId: 'dev-A',
      sequence: 1,
      hash: hash1,
      time: now.toISOString(),
    });
    await expect(recordCheckpoint(db, await device(), forged, now)).rejects.toMatchObject({ code: 'CHECKPOINT_SIGNATURE_INVALID' });
    const genuine = await createAuditCheckpoint(keys.privateKey, { deviceId: 'dev-A', sequence: 1, hash: hash1, time: now.toISOString() });
    const [header, , signature] = genuine.split('.');
    const altered = Buffer.from(JSON.stringify({ deviceId: 'dev-A', sequence: 2, hash: hash1, time: now.toISOString() })).toString(
      'base64url',
    );
    await expect(recordCheckpoint(db, await device(), `${header}.${altered}.${signature}`, now)).rejects.toMatchObject({
      code: 'CHECKPOINT_SIGNATURE_INVALID',
    });
    expect(await db.query('SELECT jws FROM audit_checkpoints')).toEqual([]);
  });

  it('refuses a checkpoint for another device, without the checkpoint type, or dated in the future', async () => {
    const foreign = await createAuditCheckpoint(keys.privateKey, { deviceId: 'dev-B', sequence: 1, hash: hash1, time: now.toISOString() });
    await expect(recordCheckpoint(db, await device(), foreign, now)).rejects.toMatchObject({ code: 'CHECKPOINT_INVALID', httpStatus: 403 });
    const untyped = await new CompactSign(
      new TextEncoder().encode(JSON.stringify({ deviceId: 'dev-A', sequence: 1, hash: hash1, time: now.toISOString() })),
    )
      .setProtectedHeader({ alg: 'ES384' })
      .sign(keys.privateKey);
    await expect(recordCheckpoint(db, await device(), untyped, now)).rejects.toMatchObject({ code: 'CHECKPOINT_INVALID' });
    const future = await createAuditCheckpoint(keys.privateKey, {
      deviceId: 'dev-A',
      sequence: 1,
      hash: hash1,
      time: new Date(now.getTime() + 3_600_000).toISOString(),
    });
    await expect(recordCheckpoint(db, await device(), future, now)).rejects.toMatchObject({ code: 'CHECKPOINT_INVALID' });
  });
});
