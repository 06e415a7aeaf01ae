// Events a hub already held before the trail index existed are indexed from their hashed entries
// when the migration runs, so the privacy officer's view finds them too.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { TestAuditChain } from '../../tests/support/audit-chain.js';
import { auditIngestMigrations } from './index.js';

let db: SqlDatabase;
beforeEach(() => {
  db = openSqliteDatabase(':memory:');
});
afterEach(async () => db.close());

describe('the trail index migration', () => {
  it('indexes the events already held from their hashed entries', async () => {
    await runMigrations(db, auditIngestMigrations.slice(0, 1));
    const chain = new TestAuditChain('dev-A').define(1, {
      time: '2026-03-02T10:00:00.000Z',
      user: 'nurse-1',
      action: 'chart-read',
      patient: 'pat-1',
      session: 's-9',
    });
    const event = chain.event(1);
    await db.execute(
      `INSERT INTO audit_events (event_id, device_id, sequence, previous_hash, hash, content_hash, resource, received_at)
       VALUES ($1, 'dev-A', 1, $2, $3, 'x', $4, '2026-03-02T10:00:01.000Z')`,
      [event.id, '0'.repeat(64), chain.hash(1), JSON.stringify(event)],
    );
    await runMigrations(db, auditIngestMigrations);
    const rows = await db.query<Record<string, unknown>>('SELECT recorded_ms, user_id, patient_id, action, session_id FROM audit_events');
    expect(rows).toEqual([
      {
        recorded_ms: Date.parse('2026-03-02T10:00:00.000Z'),
        user_id: 'nurse-1',
        patient_id: 'pat-1',
        action: 'chart-read',
        session_id: 's-9',
      },
    ]);
  });
});
