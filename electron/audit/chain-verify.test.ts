// Tampering with the audit database through a raw handle holding the key (what an attacker with
// the key could do) is caught by verify, which names the first bad sequence.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EncryptedConnection } from '../vault/index.js';
import { entryHash } from './audit-entry.js';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { canonicalJson } from '../../shared/json/index.js';
import { rawAuditHandle, tamperBody, temporaryAuditDir, type AuditTestDir } from './test-helpers.js';

const ENTRIES = 10;
let dir: AuditTestDir;
let raw: EncryptedConnection;

beforeEach(async () => {
  dir = temporaryAuditDir('verify');
  const log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian });
  for (let i = 1; i <= ENTRIES; i += 1)
    log.record({ action: 'chart-read', user: `u-${i % 3}`, patient: `p-${i}`, resources: [`Patient/p-${i}`] });
  log.close();
  raw = await rawAuditHandle(dir.dir, dir.custodian);
});

afterEach(async () => {
  if (raw.open) raw.close();
  await dir.remove();
});

async function verified() {
  raw.close();
  const log: AuditLog = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, create: false });
  try {
    return log.verify();
  } finally {
    log.close();
  }
}

/** Renumbers entries (and their search rows) from `fromSequence` on by `by`, as a careful attacker would. */
function shift(fromSequence: number, by: number): void {
  for (const table of ['audit_entries', 'audit_search']) {
    raw.prepare(`UPDATE ${table} SET sequence = -sequence WHERE sequence >= ?`).run(fromSequence);
    raw.prepare(`UPDATE ${table} SET sequence = -sequence + ? WHERE sequence < 0`).run(by);
  }
}

describe('audit verify', () => {
  it('accepts the untouched chain and reports its head', async () => {
    expect(await verified()).toMatchObject({ ok: true, entries: ENTRIES, head: { sequence: ENTRIES } });
  });

  it('names an entry whose content was edited (hash left as it was)', async () => {
    tamperBody(
      raw,
      4,
      (body) => {
        body.patient = 'p-other';
      },
      { rehash: false },
    );
    expect(await verified()).toMatchObject({ ok: false, firstBadSequence: 4, problem: 'altered' });
  });

  it('names an entry that was edited and re-hashed, because its successor committed to the old hash', async () => {
    tamperBody(
      raw,
      4,
      (body) => {
        body.user = 'u-innocent';
      },
      { rehash: true },
    );
    expect(await verified()).toMatchObject({ ok: false, firstBadSequence: 4, problem: 'altered' });
  });

  it("names an entry whose search column was changed to hide it from a patient's history", async () => {
    raw.prepare("UPDATE audit_search SET patient_id = 'p-elsewhere' WHERE sequence = 6").run();
    expect(await verified()).toMatchObject({ ok: false, firstBadSequence: 6, problem: 'altered' });
  });

  it('names an entry whose stored hash was replaced', async () => {
    raw.prepare('UPDATE audit_entries SET hash = ? WHERE sequence = 7').run('f'.repeat(64));
    expect(await verified()).toMatchObject({ ok: false, firstBadSequence: 7, problem: 'altered' });
  });

  it('names a deleted entry, whether or not the later ones were renumbered to close the gap', async () => {
    raw.prepare('DELETE FROM audit_entries WHERE sequence = 5').run();
    raw.prepare('DELETE FROM audit_search WHERE sequence = 5').run();
    const gap = await verified();
    expect(gap).toMatchObject({ ok: false, firstBadSequence: 5, problem: 'missing' });

    raw = await rawAuditHandle(dir.dir, dir.custodian);
    shift(6, -1);
    expect(await verified()).toMatchObject({ ok: false, firstBadSequence: 5, problem: 'missing' });
  });

  it('names two entries that changed places', async () => {
    for (const table of ['audit_entries', 'audit_search']) {
      raw.prepare(`UPDATE ${table} SET sequence = -3 WHERE sequence = 3`).run();
      raw.prepare(`UPDATE ${table} SET sequence = 3 WHERE sequence = 4`).run();
      raw.prepare(`UPDATE ${table} SET sequence = 4 WHERE sequence = -3`).run();
    }
    expect(await verified()).toMatchObject({ ok: false, firstBadSequence: 3, problem: 'out-of-place' });
  });

  it('names an entry slipped in between two others, even when it is chained correctly to the one before', async () => {
    const before = raw.prepare<[number], { hash: string; body: string }>('SELECT hash, body FROM audit_entries WHERE sequence = ?').get(6)!;
    shift(7, 1);
    const forged: Record<string, unknown> = {
      ...(JSON.parse(before.body) as Record<string, unknown>),
      sequence: 7,
      patient: 'p-decoy',
      resources: ['Patient/p-decoy'],
    };
    const json = canonicalJson(forged);
    raw
      .prepare('INSERT INTO audit_entries (sequence, body, previous_hash, hash) VALUES (7, ?, ?, ?)')
      .run(json, before.hash, entryHash(before.hash, json));
    raw
      .prepare("INSERT INTO audit_search (sequence, recorded_ms, user_id, patient_id, action) VALUES (7, ?, ?, 'p-decoy', 'chart-read')")
      .run(Date.parse(forged.time as string), forged.user as string);
    expect(await verified()).toMatchObject({ ok: false, firstBadSequence: 7, problem: 'inserted' });
  });

  it('notices entries cut off the end below what the hub already acknowledged', async () => {
    raw
      .prepare(
        "INSERT INTO audit_meta (key, value) VALUES ('hub_acknowledged', '10') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      )
      .run();
    raw.prepare('DELETE FROM audit_entries WHERE sequence > 8').run();
    expect(await verified()).toMatchObject({ ok: false, firstBadSequence: 9, problem: 'missing' });
  });
});
