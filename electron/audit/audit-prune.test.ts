// Retention of the audit log: only entries the hub acknowledged and that are older than the
// retention period go; the chain head and anything unsent stay; the rest of the chain still
// verifies from the anchor (and across a reopen), the numbering goes on, and the database itself
// still refuses to delete an entry that has not been pruned.
import { afterEach, describe, expect, it } from 'vitest';
import { openEncryptedDatabase } from '../vault/index.js';
import { AUDIT_FILE_NAME } from './audit-files.js';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { AUDIT_MIGRATIONS } from './migrations/index.js';
import { temporaryAuditDir, type AuditTestDir } from './test-helpers.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

let dirs: AuditTestDir[] = [];
let logs: AuditLog[] = [];
afterEach(async () => {
  for (const log of logs) log.close();
  for (const dir of dirs) await dir.remove();
  dirs = [];
  logs = [];
});

/** A log with one entry per day from T0 (entry n recorded on day n − 1). */
async function logOfDays(days: number): Promise<{ log: AuditLog; dir: AuditTestDir }> {
  const dir = temporaryAuditDir('prune');
  dirs.push(dir);
  let now = T0;
  const log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, now: () => now });
  logs.push(log);
  for (let day = 0; day < days; day += 1) {
    now = T0 + day * DAY;
    log.record({ action: 'chart-read', user: 'u-1', patient: `p-${day}`, resources: [`Patient/p-${day}`] });
  }
  return { log, dir };
}

function acknowledge(log: AuditLog, through: number): void {
  log.queue.markSent(Array.from({ length: through }, (_, i) => i + 1));
  log.queue.setHubAcknowledged(through, new Date(T0).toISOString());
}

describe('pruning the audit log', () => {
  it('removes nothing the hub has not acknowledged, however old', async () => {
    const { log } = await logOfDays(10);
    expect(log.pruneAcknowledged(T0 + 100 * DAY)).toBe(0);
    expect(log.head().sequence).toBe(10);
    expect(log.get(1)).not.toBeNull();
  });

  it('removes acknowledged entries older than the cut-off only, and the rest verifies from the anchor', async () => {
    const { log, dir } = await logOfDays(10);
    acknowledge(log, 8);
    // Cut-off: day 5 (entries 1–5 are older); entries 6–8 are acknowledged but younger.
    expect(log.pruneAcknowledged(T0 + 5 * DAY)).toBe(5);
    expect(log.get(5)).toBeNull();
    expect(log.get(6)).not.toBeNull();
    expect(log.anchor()).toMatchObject({ sequence: 5 });
    expect(log.verify()).toMatchObject({ ok: true, entries: 5, head: { sequence: 10 } });
    expect(log.queue.pendingCount()).toBe(2);
    expect(log.record({ action: 'sign-in', user: 'u-1' }).sequence).toBe(11);

    log.close();
    const reopened = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, create: false });
    logs.push(reopened);
    expect(reopened.verify()).toMatchObject({ ok: true, entries: 6 });
  });

  it('keeps the chain head even when everything is acknowledged and old', async () => {
    const { log } = await logOfDays(4);
    acknowledge(log, 4);
    expect(log.pruneAcknowledged(T0 + 100 * DAY)).toBe(3);
    expect(log.head().sequence).toBe(4);
    expect(log.verify()).toMatchObject({ ok: true, entries: 1 });
    expect(log.record({ action: 'sign-out', user: 'u-1' }).sequence).toBe(5);
  });

  it('still refuses, in the database, to delete an entry that was not pruned', async () => {
    const { log, dir } = await logOfDays(6);
    acknowledge(log, 6);
    log.pruneAcknowledged(T0 + 3 * DAY);
    log.close();
    const { db } = await openEncryptedDatabase({
      dataDir: dir.dir,
      fileName: AUDIT_FILE_NAME,
      purpose: 'audit',
      custodian: dir.custodian,
      migrations: AUDIT_MIGRATIONS,
      create: false,
    });
    try {
      expect(() => db.prepare('DELETE FROM audit_entries WHERE sequence = 5').run()).toThrow(/append-only/);
      expect(() => db.prepare('UPDATE audit_entries SET body = body WHERE sequence = 5').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });
});
