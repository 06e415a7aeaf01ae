// IT's actions at the hub's command line are one source of the trail (audit_hub_actions), each
// action coded as HUB_ACTION_CODING says: a ward set up is found by `type=110131` (Software
// Configuration) and documentation retried by `type=110110` (Patient Record), never the other way.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateHub } from '../app.js';
import { openSqliteDatabase, type SqlDatabase } from '../storage/index.js';
import { labelsOf, trailEvents } from './trail-events.js';
import { searchTrail } from './trail-query.js';
import { recordHubAction } from './hub-actions.js';

let db: SqlDatabase;

beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  await migrateHub(db);
  await recordHubAction(db, {
    action: 'upstream-retry',
    at: new Date(1_700_000_000_000),
    osUser: 'it-admin',
    patientId: 'p-1',
    detail: { entry: 12, resource: 'Observation/o-1/_history/1', dependents: 0 },
  });
  await recordHubAction(db, {
    action: 'ward-add',
    at: new Date(1_700_000_001_000),
    osUser: 'it-admin',
    patientId: null,
    detail: { resource: 'Location/ward-4north' },
  });
});
afterEach(async () => {
  await db.close();
});

describe("IT's actions in the hub trail", () => {
  it('are searched by their AuditEvent type, each action coded as HUB_ACTION_CODING says', async () => {
    const configuration = await searchTrail(db, { types: ['110131'] }, { count: 10 });
    expect(configuration.map((row) => [row.source, row.action, row.patientId])).toEqual([['hub-action', 'ward-add', null]]);
    const record = await searchTrail(db, { types: ['110110'] }, { count: 10 });
    expect(record.map((row) => [row.source, row.action, row.patientId])).toEqual([['hub-action', 'upstream-retry', 'p-1']]);

    const rows = await searchTrail(db, {}, { count: 10, order: 'oldest' });
    const events = (await trailEvents(db, rows, await labelsOf(db, rows))) as {
      type: { code: string };
      action: string;
      entity: { what?: { reference: string }; description?: string }[];
    }[];
    expect(events.map((event) => [event.type.code, event.action, event.entity.map((entity) => entity.what?.reference)])).toEqual([
      ['110110', 'U', ['Patient/p-1', 'Observation/o-1/_history/1']],
      ['110131', 'U', ['Location/ward-4north']],
    ]);
    expect(events[1]!.entity[0]!.description).toBe('wardline-hub ward add');
  });
});
