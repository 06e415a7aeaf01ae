import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresDatabase, openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { AUDIT_CHAIN_EXTENSION_URL, GENESIS_PREVIOUS_HASH } from '../../shared/auth/index.js';
import type { Principal } from '../identity/index.js';
import { startTestPostgres, type TestPostgres } from '../../tests/support/postgres.js';
import { auditChainStatus, auditIngestMigrations, recordAuditEvent } from './index.js';

const deviceA: Principal = { device: { deviceId: 'dev-A', ward: '4east', scope: { read: true, write: true } } };
const deviceB: Principal = { device: { deviceId: 'dev-B', ward: '4east', scope: { read: true, write: true } } };
const nowIso = '2026-03-02T08:00:00.000Z';

const hashOf = (deviceId: string, sequence: number): string => createHash('sha256').update(`${deviceId}:${sequence}`).digest('hex');

function auditEvent(
  sequence: number,
  options: { deviceId?: string; id?: string; previousHash?: string; hash?: string; action?: string } = {},
) {
  const deviceId = options.deviceId ?? 'dev-A';
  return {
    resourceType: 'AuditEvent',
    id: options.id ?? `${deviceId}-${sequence}`,
    extension: [
      {
        url: AUDIT_CHAIN_EXTENSION_URL,
        extension: [
          { url: 'sequence', valueInteger: sequence },
          {
            url: 'previousHash',
            valueString: options.previousHash ?? (sequence === 1 ? GENESIS_PREVIOUS_HASH : hashOf(deviceId, sequence - 1)),
          },
          { url: 'hash', valueString: options.hash ?? hashOf(deviceId, sequence) },
        ],
      },
    ],
    type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110' },
    action: options.action ?? 'R',
    recorded: '2026-03-02T07:59:00Z',
    agent: [{ who: { reference: 'Practitioner/p1' }, requestor: true }],
    source: { observer: { reference: `Device/${deviceId}` } },
  };
}

let postgres: TestPostgres | undefined;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

describe.each(['sqlite', 'postgres'] as const)('audit ingest on %s', (engine) => {
  let db: SqlDatabase;
  beforeEach(async () => {
    db = engine === 'sqlite' ? openSqliteDatabase(':memory:') : await openPostgresDatabase(await postgres!.createDatabase());
    await runMigrations(db, auditIngestMigrations);
  });
  afterEach(async () => db.close());

  /** As the FHIR batch processor does: one transaction per entry. */
  const upload = (principal: Principal, event: unknown) => db.transaction((tx) => recordAuditEvent(tx, principal, event, nowIso));

  it('stores each event exactly once: a re-sent event is ignored and the chain head stays put', async () => {
    for (const n of [1, 2, 3]) expect(await upload(deviceA, auditEvent(n))).toEqual({ created: true });
    expect(await upload(deviceA, auditEvent(2))).toEqual({ created: false });
    const reordered = Object.fromEntries(Object.entries(auditEvent(3)).reverse());
    expect(await upload(deviceA, { ...reordered, meta: { versionId: '7', lastUpdated: nowIso } })).toEqual({ created: false });
    expect(await db.query('SELECT event_id FROM audit_events')).toHaveLength(3);
    expect(await auditChainStatus(db, 'dev-A')).toEqual({
      highestContiguousSequence: 3,
      gaps: [],
      hashMismatches: [],
      reusedSequences: [],
    });
  });

  it('refuses an existing id with other content, or from another device, leaving the stored event unchanged', async () => {
    await upload(deviceA, auditEvent(1));
    await expect(upload(deviceA, auditEvent(1, { action: 'U' }))).rejects.toMatchObject({ code: 'AUDIT_EVENT_CONFLICT', httpStatus: 409 });
    await expect(upload(deviceB, auditEvent(1, { id: 'dev-A-1', deviceId: 'dev-B' }))).rejects.toMatchObject({
      code: 'AUDIT_EVENT_CONFLICT',
    });
    const [row] = await db.query<{ resource: string }>('SELECT resource FROM audit_events');
    expect(JSON.parse(row!.resource).action).toBe('R');
  });

  it('flags a device that skips sequences: the gap is reported and the head stays below it until it is filled', async () => {
    for (const n of [1, 2, 5, 6, 9]) await upload(deviceA, auditEvent(n));
    expect(await auditChainStatus(db, 'dev-A')).toMatchObject({
      highestContiguousSequence: 2,
      gaps: [
        { from: 3, to: 4 },
        { from: 7, to: 8 },
      ],
    });
    await upload(deviceA, auditEvent(4));
    await upload(deviceA, auditEvent(3));
    expect(await auditChainStatus(db, 'dev-A')).toMatchObject({
      highestContiguousSequence: 6,
      gaps: [{ from: 7, to: 8 }],
      hashMismatches: [],
    });
  });

  it('reports a missing start of the chain', async () => {
    await upload(deviceA, auditEvent(4));
    expect(await auditChainStatus(db, 'dev-A')).toMatchObject({ highestContiguousSequence: 0, gaps: [{ from: 1, to: 3 }] });
  });

  it('flags a hash that does not link to its predecessor, in whichever order the two arrive', async () => {
    await upload(deviceA, auditEvent(1));
    await upload(deviceA, auditEvent(2, { previousHash: 'f'.repeat(64) }));
    await upload(deviceA, auditEvent(4, { previousHash: 'e'.repeat(64) }));
    await upload(deviceA, auditEvent(3));
    const status = await auditChainStatus(db, 'dev-A');
    expect(status.hashMismatches).toEqual([2, 4]);
    expect(status.highestContiguousSequence).toBe(4);
  });

  it('flags a first event that does not start from the genesis hash', async () => {
    await upload(deviceA, auditEvent(1, { previousHash: 'a'.repeat(64) }));
    expect((await auditChainStatus(db, 'dev-A')).hashMismatches).toEqual([1]);
  });

  it('keeps, and flags, a second event claiming an already used sequence number', async () => {
    await upload(deviceA, auditEvent(1));
    await upload(deviceA, auditEvent(1, { id: 'fork-1', hash: 'b'.repeat(64) }));
    expect(await auditChainStatus(db, 'dev-A')).toMatchObject({ highestContiguousSequence: 1, reusedSequences: [1] });
  });

  it("keeps each device's chain apart", async () => {
    await upload(deviceA, auditEvent(1));
    await upload(deviceB, auditEvent(1, { deviceId: 'dev-B' }));
    await upload(deviceB, auditEvent(2, { deviceId: 'dev-B' }));
    expect((await auditChainStatus(db, 'dev-A')).highestContiguousSequence).toBe(1);
    expect((await auditChainStatus(db, 'dev-B')).highestContiguousSequence).toBe(2);
    expect((await auditChainStatus(db, 'dev-never')).highestContiguousSequence).toBe(0);
  });

  it('refuses an event observed by another device, one without a chain extension, and one without an id', async () => {
    await expect(upload(deviceA, auditEvent(1, { deviceId: 'dev-B' }))).rejects.toMatchObject({
      code: 'AUDIT_WRONG_DEVICE',
      httpStatus: 403,
    });
    const { extension: _extension, ...unchained } = auditEvent(1);
    await expect(upload(deviceA, unchained)).rejects.toMatchObject({ code: 'AUDIT_CHAIN_MISSING' });
    const { id: _id, ...anonymous } = auditEvent(1);
    await expect(upload(deviceA, anonymous)).rejects.toMatchObject({ code: 'AUDIT_EVENT_INVALID' });
    await expect(upload(deviceA, { resourceType: 'Patient', id: 'x' })).rejects.toMatchObject({ code: 'AUDIT_EVENT_INVALID' });
    expect(await db.query('SELECT event_id FROM audit_events')).toEqual([]);
  });
});
