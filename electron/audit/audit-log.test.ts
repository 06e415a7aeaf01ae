import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyNameFor, openEncryptedDatabase } from '../vault/index.js';
import { entryHash, GENESIS_PREVIOUS_HASH } from './audit-entry.js';
import { isAuditError } from './audit-error.js';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { canonicalJson } from '../../shared/json/index.js';
import { AUDIT_MIGRATIONS } from './migrations/index.js';
import { normalizeUsername } from '../session/index.js';
import { rawAuditHandle, temporaryAuditDir, type AuditTestDir } from './test-helpers.js';

let dirs: AuditTestDir[] = [];
let logs: AuditLog[] = [];
afterEach(async () => {
  for (const log of logs) log.close();
  for (const dir of dirs) await dir.remove();
  dirs = [];
  logs = [];
});

async function freshLog(now?: () => number): Promise<{ log: AuditLog; dir: AuditTestDir }> {
  const dir = temporaryAuditDir();
  dirs.push(dir);
  const log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, ...(now ? { now } : {}) });
  logs.push(log);
  return { log, dir };
}

describe('the audit log', () => {
  it('is its own encrypted file with its own key, flushed to disk on every commit', async () => {
    const { log, dir } = await freshLog();
    log.record({ action: 'sign-in', user: 'u-1' });
    expect(existsSync(path.join(dir.dir, 'audit.db'))).toBe(true);
    expect(await dir.custodian.load(keyNameFor(dir.dir, 'audit'))).toHaveLength(32);
    expect(await dir.custodian.load(keyNameFor(dir.dir, 'vault'))).toBeNull();
    const raw = await rawAuditHandle(dir.dir, dir.custodian);
    try {
      expect(raw.pragma('cipher', { simple: true })).toBe('sqlcipher');
    } finally {
      raw.close();
    }
  });

  it('chains each entry to the one before: hash = SHA-256(previous hash ‖ canonical JSON of the entry)', async () => {
    const { log } = await freshLog(() => Date.UTC(2026, 2, 2, 8, 0, 0));
    const first = log.record({ action: 'sign-in', user: 'u-1', session: 's-1' });
    const second = log.record({
      action: 'chart-read',
      user: 'u-1',
      session: 's-1',
      patient: 'p-1',
      resources: ['Patient/p-1'],
      purposeOfUse: 'TREAT',
    });
    expect(first).toMatchObject({
      sequence: 1,
      previousHash: GENESIS_PREVIOUS_HASH,
      time: '2026-03-02T08:00:00.000Z',
      device: log.workstationId,
    });
    expect(second.previousHash).toBe(first.hash);
    const { previousHash, hash, ...body } = second;
    expect(hash).toBe(entryHash(previousHash, canonicalJson(body)));
    expect(log.head()).toEqual({ sequence: 2, hash: second.hash });
    expect(log.get(2)).toEqual(second);
  });

  it('keeps every entry across a close and reopen, and continues the same chain', async () => {
    const { log, dir } = await freshLog();
    for (let i = 0; i < 5; i += 1) log.record({ action: 'lock', user: 'u-1' });
    const workstationId = log.workstationId;
    log.close();
    const again = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian });
    logs.push(again);
    expect(again.workstationId).toBe(workstationId);
    const sixth = again.record({ action: 'unlock', user: 'u-1' });
    expect(sixth.sequence).toBe(6);
    expect(again.verify()).toMatchObject({ ok: true, entries: 6 });
  });

  it('records a census as one commit of one entry per patient, in order', async () => {
    const { log } = await freshLog();
    const entries = log.recordAll(
      ['p-1', 'p-2', 'p-3'].map((patient) => ({ action: 'query' as const, user: 'u-1', patient, query: 'Encounter?status=in-progress' })),
    );
    expect(entries.map((e) => [e.sequence, e.patient])).toEqual([
      [1, 'p-1'],
      [2, 'p-2'],
      [3, 'p-3'],
    ]);
    expect(log.verify()).toMatchObject({ ok: true, entries: 3 });
  });

  it('refuses to change or delete an entry through SQL, even from inside the application', async () => {
    const { log, dir } = await freshLog();
    log.record({ action: 'sign-in', user: 'u-1' });
    log.close();
    const { db } = await openEncryptedDatabase({
      dataDir: dir.dir,
      fileName: 'audit.db',
      purpose: 'audit',
      custodian: dir.custodian,
      migrations: AUDIT_MIGRATIONS,
      create: false,
    });
    try {
      expect(() => db.prepare("UPDATE audit_entries SET body = replace(body, 'sign-in', 'lock')").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_entries').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('refuses a malformed entry without writing anything', async () => {
    const { log } = await freshLog();
    expect(() => log.record({ action: 'chart-read', patient: 'Smith, John' })).toThrow(expect.objectContaining({ code: 'INVALID_ENTRY' }));
    expect(() => log.recordAll([{ action: 'lock' }, { action: 'nonsense' as 'lock' }])).toThrow(
      expect.objectContaining({ code: 'INVALID_ENTRY' }),
    );
    expect(log.head().sequence).toBe(0);
  });

  it('finds entries by patient, by user and by time, in sequence order', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { log } = await freshLog(() => now);
    log.record({ action: 'chart-read', user: 'u-1', patient: 'p-1' });
    now += 60_000;
    log.record({ action: 'chart-read', user: 'u-2', patient: 'p-1' });
    now += 60_000;
    log.record({ action: 'chart-read', user: 'u-1', patient: 'p-2' });
    expect(log.find({ patient: 'p-1' }).map((e) => e.sequence)).toEqual([1, 2]);
    expect(log.find({ user: 'u-1' }).map((e) => e.sequence)).toEqual([1, 3]);
    expect(log.find({ fromMs: Date.UTC(2026, 0, 1, 0, 1), toMs: Date.UTC(2026, 0, 1, 0, 1) }).map((e) => e.sequence)).toEqual([2]);
    expect(log.find({ user: 'u-1', afterSequence: 1 }).map((e) => e.sequence)).toEqual([3]);
    expect(log.find({ limit: 1 })).toHaveLength(1);
  });

  it('finds the failed sign-ins that tried a username by its own index, normalised as sign-in normalises, also in a trail older than the index', async () => {
    const { log, dir } = await freshLog();
    log.record({ action: 'sign-in-failed', user: null, detail: { mode: 'online', reason: 'bad-password', username: ' ÄRZTIN.K ' } });
    log.record({ action: 'sign-in-failed', user: null, detail: { mode: 'offline', reason: 'bad-pin', username: 'someone.else' } });
    log.record({ action: 'sign-in', user: 'u-1' });
    log.record({ action: 'sign-in-failed', user: null, detail: { mode: 'online', reason: 'unknown-user', username: 'ärztin.k' } });
    const tried = (trail: AuditLog): number[] =>
      trail.find({ users: [], usernameTried: normalizeUsername('Ärztin.K') }).map((e) => e.sequence);
    expect(tried(log)).toEqual([1, 4]);
    expect(log.find({ users: ['u-1'], usernameTried: 'nobody' }).map((e) => e.sequence)).toEqual([3]);
    log.close();

    // The search reads the index on the username tried, not every entry's body.
    const raw = await rawAuditHandle(dir.dir, dir.custodian);
    try {
      const plan = raw
        .prepare<[string], { detail: string }>(
          `EXPLAIN QUERY PLAN SELECT s.sequence FROM audit_search s JOIN audit_entries e ON e.sequence = s.sequence WHERE s.username_tried = ? ORDER BY s.sequence`,
        )
        .all('x')
        .map((row) => row.detail)
        .join('\n');
      expect(plan).toContain('audit_search_by_username_tried');
      // A trail written before the index existed (schema 2): upgraded on open, its failed sign-ins found as well.
      raw.exec('DROP INDEX audit_search_by_username_tried; ALTER TABLE audit_search DROP COLUMN username_tried; PRAGMA user_version = 2;');
    } finally {
      raw.close();
    }
    const reopened = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian });
    logs.push(reopened);
    expect(tried(reopened)).toEqual([1, 4]);
    expect(reopened.verify()).toMatchObject({ ok: true });
  });

  it('says it is closed instead of silently dropping an entry', async () => {
    const { log } = await freshLog();
    log.close();
    let error: unknown;
    try {
      log.record({ action: 'lock' });
    } catch (caught) {
      error = caught;
    }
    expect(isAuditError(error, 'CLOSED')).toBe(true);
  });

  it('does not create a log when asked only to open one', async () => {
    const dir = temporaryAuditDir();
    dirs.push(dir);
    await expect(openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, create: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(existsSync(path.join(dir.dir, 'audit.db'))).toBe(false);
  });
});
