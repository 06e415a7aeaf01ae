import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresDatabase, openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { identityMigrations, revokeDevice, type Principal } from '../identity/index.js';
import { startTestPostgres, type TestPostgres } from '../../tests/support/postgres.js';
import { TestAuditChain, type EventOptions } from '../../tests/support/audit-chain.js';
import { auditChainStatus, auditIngestMigrations, recordAuditEvent, recordAuditEvents } from './index.js';

const deviceA: Principal = { device: { deviceId: 'dev-A', ward: '4east', scope: { read: true, write: true } } };
const deviceB: Principal = { device: { deviceId: 'dev-B', ward: '4east', scope: { read: true, write: true } } };
const nowIso = '2026-03-02T08:00:00.000Z';

/** Each device's chain as its workstation keeps it (fresh for every test). */
let chains = new Map<string, TestAuditChain>();

function auditEvent(sequence: number, options: EventOptions & { deviceId?: string } = {}) {
  const deviceId = options.deviceId ?? 'dev-A';
  let chain = chains.get(deviceId);
  if (chain === undefined) {
    chain = new TestAuditChain(deviceId);
    chains.set(deviceId, chain);
  }
  return chain.event(sequence, options);
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
    await runMigrations(db, [...identityMigrations, ...auditIngestMigrations]);
    chains = new Map();
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

  it('stores an event as the serialisation of the event; a re-send, in a later run or the same one, is recognised', async () => {
    const events = [auditEvent(1), auditEvent(2)];
    const run = await db.transaction((tx) => recordAuditEvents(tx, deviceA, [...events, auditEvent(2)], nowIso));
    expect(run).toEqual([{ created: true }, { created: true }, { created: false }]);
    const rows = await db.query<{ resource: string }>('SELECT resource FROM audit_events ORDER BY sequence');
    expect(rows.map((r) => r.resource)).toEqual(events.map((event) => JSON.stringify(event)));
    expect(await upload(deviceA, auditEvent(2))).toEqual({ created: false });
    await expect(
      db.transaction((tx) => recordAuditEvents(tx, deviceA, [auditEvent(3), auditEvent(3, { action: 'U' })], nowIso)),
    ).rejects.toMatchObject({ code: 'AUDIT_EVENT_CONFLICT' });
    expect(await db.query('SELECT event_id FROM audit_events')).toHaveLength(2);
  });

  it('refuses an existing id with other content, or from another device, leaving the stored event unchanged', async () => {
    await upload(deviceA, auditEvent(1));
    await expect(upload(deviceA, auditEvent(1, { action: 'U' }))).rejects.toMatchObject({ code: 'AUDIT_EVENT_CONFLICT', httpStatus: 409 });
    await expect(upload(deviceB, auditEvent(1, { id: 'dev-A-1', deviceId: 'dev-B' }))).rejects.toMatchObject({
      code: 'AUDIT_EVENT_CONFLICT',
    });
    const [row] = await db.query<{ resource: string }>('SELECT resource FROM audit_events');
    expect(JSON.parse(row!.resource).action).toBe('E');
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

  it('recomputes each hash from the entry it carries: an altered entry is kept as evidence and flagged, the chain goes on', async () => {
    await upload(deviceA, auditEvent(1));
    const genuine = chains.get('dev-A')!.body(2);
    const altered = JSON.stringify({ ...genuine, user: 'someone-else' });
    expect(await upload(deviceA, auditEvent(2, { entryText: altered }))).toEqual({ created: true });
    await upload(deviceA, auditEvent(3));
    const status = await auditChainStatus(db, 'dev-A');
    expect(status.hashMismatches).toEqual([2]);
    expect(status.highestContiguousSequence).toBe(3);
    const flags = await db.query<{ kind: string; sequence: unknown }>('SELECT kind, sequence FROM audit_chain_flags');
    expect(flags.map((f) => [f.kind, Number(f.sequence)])).toEqual([['content-mismatch', 2]]);
  });

  it('flags an entry re-hashed by whoever altered it when its hash no longer links, and one whose own sequence is another', async () => {
    const chain = chains.get('dev-A') ?? new TestAuditChain('dev-A');
    chains.set('dev-A', chain);
    chain.define(1, { action: 'chart-read', patient: 'p-1' });
    await upload(deviceA, chain.event(1));
    const moved = JSON.stringify({ ...chain.body(2), sequence: 7 });
    await upload(deviceA, chain.event(2, { entryText: moved }));
    expect((await auditChainStatus(db, 'dev-A')).hashMismatches).toEqual([2]);
  });

  it('refuses an event without its hashed entry: nothing in it could be checked', async () => {
    await expect(upload(deviceA, auditEvent(1, { withoutEntry: true }))).rejects.toMatchObject({
      code: 'AUDIT_CHAIN_MISSING',
      httpStatus: 400,
    });
    expect(await db.query('SELECT event_id FROM audit_events')).toEqual([]);
  });

  it('indexes who, which patient, what and when from the hashed entry, not from the rest of the event', async () => {
    const chain = new TestAuditChain('dev-A');
    chains.set('dev-A', chain);
    chain.define(1, {
      time: '2026-03-02T09:15:00.000Z',
      user: 'nurse-1',
      action: 'chart-read',
      patient: 'pat-9',
      session: 's-1',
      resources: ['Patient/pat-9'],
    });
    chain.define(2, { user: null, action: 'sign-in-failed', outcome: 'minor-failure', detail: { username: 'j.smith' } });
    const decoy = { ...chain.event(1), recorded: '2020-01-01T00:00:00Z', entity: [{ what: { reference: 'Patient/other' } }] };
    await upload(deviceA, decoy);
    await upload(deviceA, chain.event(2));
    const rows = await db.query<Record<string, unknown>>(
      'SELECT recorded_ms, user_id, patient_id, action, session_id, outcome, username_tried FROM audit_events ORDER BY sequence',
    );
    expect(rows.map((r) => ({ ...r, recorded_ms: Number(r.recorded_ms) }))).toEqual([
      {
        recorded_ms: Date.parse('2026-03-02T09:15:00.000Z'),
        user_id: 'nurse-1',
        patient_id: 'pat-9',
        action: 'chart-read',
        session_id: 's-1',
        outcome: 'success',
        username_tried: null,
      },
      {
        recorded_ms: Date.UTC(2026, 2, 2, 8, 0, 2),
        user_id: null,
        patient_id: null,
        action: 'sign-in-failed',
        session_id: null,
        outcome: 'minor-failure',
        username_tried: 'j.smith',
      },
    ]);
  });

  it('checks a run stored together as the same events one after another: repeats, gaps, broken links, reused sequences', async () => {
    // Device A uploads one event per transaction, device B the same shapes as one run.
    const shapes = (deviceId: string) => {
      const events = [
        auditEvent(1, { deviceId }),
        auditEvent(2, { deviceId }),
        auditEvent(2, { deviceId }),
        auditEvent(5, { deviceId }),
        auditEvent(4, { deviceId, previousHash: 'e'.repeat(64) }),
        auditEvent(3, { deviceId }),
        auditEvent(3, { deviceId, id: `${deviceId}-fork-3`, hash: 'b'.repeat(64) }),
        auditEvent(6, { deviceId }),
        auditEvent(9, { deviceId }),
      ];
      return events;
    };
    const one: { created: boolean }[] = [];
    for (const event of shapes('dev-A')) one.push(await upload(deviceA, event));
    const run = await db.transaction((tx) => recordAuditEvents(tx, deviceB, shapes('dev-B'), nowIso));
    expect(run).toEqual(one);
    expect(run.filter((r) => r.created)).toHaveLength(8);
    const statusA = await auditChainStatus(db, 'dev-A');
    expect(statusA).toEqual({ highestContiguousSequence: 6, gaps: [{ from: 7, to: 8 }], hashMismatches: [3, 4], reusedSequences: [3] });
    expect(await auditChainStatus(db, 'dev-B')).toEqual(statusA);
    const flagsOf = async (deviceId: string) =>
      (
        await db.query<{ kind: string; sequence: unknown }>(
          'SELECT kind, sequence FROM audit_chain_flags WHERE device_id = $1 ORDER BY sequence, kind',
          [deviceId],
        )
      ).map((f) => [f.kind, Number(f.sequence)]);
    expect(await flagsOf('dev-B')).toEqual(await flagsOf('dev-A'));
  });

  it('refuses a whole run when one of its events conflicts with a held one, storing none of it', async () => {
    await upload(deviceA, auditEvent(1));
    const run = [auditEvent(2), auditEvent(1, { action: 'U' }), auditEvent(3)];
    await expect(db.transaction((tx) => recordAuditEvents(tx, deviceA, run, nowIso))).rejects.toMatchObject({
      code: 'AUDIT_EVENT_CONFLICT',
    });
    expect(await db.query('SELECT event_id FROM audit_events')).toHaveLength(1);
    expect((await auditChainStatus(db, 'dev-A')).highestContiguousSequence).toBe(1);
  });

  it('refuses an event it cannot serialise, new or re-sent, with a 422, storing nothing of its run', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i += 1) deep = [deep];
    await expect(
      db.transaction((tx) => recordAuditEvents(tx, deviceA, [auditEvent(1), { ...auditEvent(2), note: deep }], nowIso)),
    ).rejects.toMatchObject({ code: 'AUDIT_EVENT_INVALID', httpStatus: 422 });
    expect(await db.query('SELECT event_id FROM audit_events')).toEqual([]);
    await upload(deviceA, auditEvent(1));
    await expect(upload(deviceA, { ...auditEvent(1), note: deep })).rejects.toMatchObject({ code: 'AUDIT_EVENT_INVALID', httpStatus: 422 });
    expect(await db.query('SELECT event_id FROM audit_events')).toHaveLength(1);
  });

  it("keeps each device's chain apart", async () => {
    await upload(deviceA, auditEvent(1));
    await upload(deviceB, auditEvent(1, { deviceId: 'dev-B' }));
    await upload(deviceB, auditEvent(2, { deviceId: 'dev-B' }));
    expect((await auditChainStatus(db, 'dev-A')).highestContiguousSequence).toBe(1);
    expect((await auditChainStatus(db, 'dev-B')).highestContiguousSequence).toBe(2);
    expect((await auditChainStatus(db, 'dev-never')).highestContiguousSequence).toBe(0);
  });

  describe('a workstation enrolled again (its audit trail kept, a new device id)', () => {
    const deviceC: Principal = { device: { deviceId: 'dev-C', ward: '5west', scope: { read: true, write: true } } };
    const deviceD: Principal = { device: { deviceId: 'dev-D', ward: '5west', scope: { read: true, write: true } } };
    /** The sequences of dev-A's trail that are its wipe (the same in every copy of the trail). */
    let wipedAt: number[] = [];
    const wipeAt = (sequence: number): void => {
      wipedAt.push(sequence);
      chains.set('dev-A', new TestAuditChain('dev-A').define(sequence, { action: 'wipe' }));
    };
    /** The same trail (same audit-log id, same entries, same hashes) as the hub knows it under `deviceId`. */
    const sameTrailAs = (deviceId: string): TestAuditChain => {
      const chain = new TestAuditChain(deviceId, chains.get('dev-A')!.auditLogId);
      for (const sequence of wipedAt) chain.define(sequence, { action: 'wipe' });
      return chain;
    };
    beforeEach(() => {
      wipedAt = [];
    });
    const enrolled = async (clientId: string): Promise<void> => {
      await db.execute('INSERT INTO identity_devices (client_id, ward, public_jwk, enrolled_at) VALUES ($1, $2, $3, $4)', [
        clientId,
        '4east',
        JSON.stringify(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' })),
        Date.parse(nowIso),
      ]);
    };

    it("continues its chain under the new device after the earlier device's wipe, with no gap, and names the device it continues", async () => {
      wipeAt(3);
      for (const n of [1, 2, 3]) await upload(deviceA, auditEvent(n));
      const continued = sameTrailAs('dev-C');
      await db.transaction((tx) => recordAuditEvents(tx, deviceC, [continued.event(4), continued.event(5)], nowIso));
      expect(await auditChainStatus(db, 'dev-C')).toEqual({
        continues: { deviceId: 'dev-A', afterSequence: 3 },
        highestContiguousSequence: 5,
        gaps: [],
        hashMismatches: [],
        reusedSequences: [],
      });
      await upload(deviceC, continued.event(6));
      expect((await auditChainStatus(db, 'dev-C')).highestContiguousSequence).toBe(6);
      expect(await auditChainStatus(db, 'dev-A')).toEqual({
        highestContiguousSequence: 3,
        gaps: [],
        hashMismatches: [],
        reusedSequences: [],
      });
    });

    it('continues the chain of an earlier device IT revoked, though its chain ends in no wipe', async () => {
      await enrolled('dev-A');
      for (const n of [1, 2, 3]) await upload(deviceA, auditEvent(n));
      await revokeDevice(db, 'dev-A', new Date(nowIso));
      await upload(deviceC, sameTrailAs('dev-C').event(4));
      expect(await auditChainStatus(db, 'dev-C')).toMatchObject({
        continues: { deviceId: 'dev-A', afterSequence: 3 },
        highestContiguousSequence: 4,
        gaps: [],
      });
    });

    it('is not taken for a continuation of an enrollment not given up (a copied trail uploading before the original goes on)', async () => {
      await enrolled('dev-A');
      for (const n of [1, 2, 3]) await upload(deviceA, auditEvent(n));
      await upload(deviceC, sameTrailAs('dev-C').event(4));
      await upload(deviceA, auditEvent(4));
      const copy = await auditChainStatus(db, 'dev-C');
      expect(copy).toMatchObject({ highestContiguousSequence: 0, gaps: [{ from: 1, to: 3 }] });
      expect(copy.continues).toBeUndefined();
      expect((await auditChainStatus(db, 'dev-A')).highestContiguousSequence).toBe(4);
      expect(await db.query('SELECT device_id FROM audit_chain_continuations')).toEqual([]);
    });

    it('refuses a second claimant of the point another device already continues: it keeps its gap', async () => {
      wipeAt(3);
      for (const n of [1, 2, 3]) await upload(deviceA, auditEvent(n));
      await upload(deviceC, sameTrailAs('dev-C').event(4));
      await upload(deviceD, sameTrailAs('dev-D').event(4));
      const second = await auditChainStatus(db, 'dev-D');
      expect(second).toMatchObject({ highestContiguousSequence: 0, gaps: [{ from: 1, to: 3 }] });
      expect(second.continues).toBeUndefined();
      expect((await auditChainStatus(db, 'dev-C')).continues).toEqual({ deviceId: 'dev-A', afterSequence: 3 });
      expect(await db.query('SELECT device_id, earlier_device_id FROM audit_chain_continuations')).toEqual([
        { device_id: 'dev-C', earlier_device_id: 'dev-A' },
      ]);
    });

    it("acknowledges the earlier device's entries it re-sends under the same ids (the wipe's answer was lost), and refuses other content", async () => {
      wipeAt(3);
      for (const n of [1, 2, 3]) await upload(deviceA, auditEvent(n));
      const continued = sameTrailAs('dev-C');
      const resent = (n: number) => continued.event(n, { id: `dev-A-${n}` });
      const run = await db.transaction((tx) => recordAuditEvents(tx, deviceC, [resent(3), continued.event(4)], nowIso));
      expect(run).toEqual([{ created: false }, { created: true }]);
      expect(await upload(deviceC, resent(3))).toEqual({ created: false });
      expect(await upload(deviceC, resent(2))).toEqual({ created: false });
      expect(await auditChainStatus(db, 'dev-C')).toMatchObject({
        continues: { deviceId: 'dev-A', afterSequence: 3 },
        highestContiguousSequence: 4,
        gaps: [],
      });
      await expect(upload(deviceC, continued.event(3, { id: 'dev-A-3', hash: 'e'.repeat(64) }))).rejects.toMatchObject({
        code: 'AUDIT_EVENT_CONFLICT',
        httpStatus: 409,
      });
      await expect(upload(deviceD, sameTrailAs('dev-D').event(3, { id: 'dev-A-3' }))).rejects.toMatchObject({
        code: 'AUDIT_EVENT_CONFLICT',
        httpStatus: 409,
      });
      const rows = await db.query<{ device_id: string }>('SELECT device_id FROM audit_events WHERE event_id = $1', ['dev-A-3']);
      expect(rows).toEqual([{ device_id: 'dev-A' }]);
    });

    it("acknowledges a run of nothing but the earlier device's entries, the last one its wipe", async () => {
      wipeAt(3);
      for (const n of [1, 2, 3]) await upload(deviceA, auditEvent(n));
      const continued = sameTrailAs('dev-C');
      const run = await db.transaction((tx) =>
        recordAuditEvents(tx, deviceC, [continued.event(2, { id: 'dev-A-2' }), continued.event(3, { id: 'dev-A-3' })], nowIso),
      );
      expect(run).toEqual([{ created: false }, { created: false }]);
      expect(await auditChainStatus(db, 'dev-C')).toMatchObject({
        continues: { deviceId: 'dev-A', afterSequence: 3 },
        highestContiguousSequence: 3,
      });
    });

    it('reports the gap when the earlier device never delivered the entries below the new start', async () => {
      for (const n of [1, 2]) await upload(deviceA, auditEvent(n));
      await upload(deviceA, auditEvent(4));
      const continued = sameTrailAs('dev-C');
      await upload(deviceC, continued.event(5));
      expect(await auditChainStatus(db, 'dev-C')).toMatchObject({ highestContiguousSequence: 0, gaps: [{ from: 1, to: 4 }] });
    });

    it('is not taken for a continuation of a chain that goes on under its own device (a copied trail)', async () => {
      wipeAt(3);
      for (const n of [1, 2, 3, 4]) await upload(deviceA, auditEvent(n));
      await upload(deviceC, sameTrailAs('dev-C').event(4));
      expect(await auditChainStatus(db, 'dev-C')).toMatchObject({ highestContiguousSequence: 0, gaps: [{ from: 1, to: 3 }] });
    });

    it('is not taken for a continuation when its first link names no hash the hub holds there', async () => {
      wipeAt(3);
      for (const n of [1, 2, 3]) await upload(deviceA, auditEvent(n));
      await upload(deviceC, auditEvent(4, { deviceId: 'dev-C' }));
      await upload(deviceC, sameTrailAs('dev-C').event(4, { id: 'dev-C-forged-4', previousHash: 'f'.repeat(64) }));
      expect(await auditChainStatus(db, 'dev-C')).toMatchObject({ highestContiguousSequence: 0, gaps: [{ from: 1, to: 3 }] });
    });
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
