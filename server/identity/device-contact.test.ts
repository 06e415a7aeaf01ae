import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { generateDeviceKeyPair } from '../../shared/auth/index.js';
import { deviceLearnedAt, noteDeviceContact, purgeOldContactGaps } from './device-contact.js';
import { createEnrollmentToken, enrollDevice } from './enrollment.js';
import { identityMigrations } from './identity-migrations.js';

const MINUTE = 60_000;
const start = Date.parse('2026-03-02T08:00:00Z');
const at = (minutes: number): Date => new Date(start + minutes * MINUTE);
let db: SqlDatabase;
let clientId = '';

beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  await runMigrations(db, identityMigrations);
  const token = await createEnrollmentToken(db, { ward: '4east', now: at(0) });
  clientId = (await enrollDevice(db, { enrollmentToken: token, publicKeyJwk: (await generateDeviceKeyPair()).publicKeyJwk }, at(0)))
    .clientId;
});
afterEach(async () => db.close());

async function gaps(): Promise<{ started: number; ended: number }[]> {
  const rows = await db.query<{ started_at: unknown; ended_at: unknown }>(
    'SELECT started_at, ended_at FROM identity_device_gaps ORDER BY started_at',
  );
  return rows.map((row) => ({ started: Number(row.started_at), ended: Number(row.ended_at) }));
}

describe('device contact', () => {
  it('records a gap only when a device comes back after more than five minutes, once however many requests come together', async () => {
    for (const minute of [0.5, 1, 2, 4, 6]) await noteDeviceContact(db, clientId, at(minute));
    expect(await gaps()).toEqual([]);
    await Promise.all([
      noteDeviceContact(db, clientId, at(200)),
      noteDeviceContact(db, clientId, at(200)),
      noteDeviceContact(db, clientId, at(200.1)),
    ]);
    expect(await gaps()).toEqual([{ started: at(6).getTime(), ended: at(200).getTime() }]);
  });

  it('tells when a device could first have learned what the hub learned at a time', async () => {
    await noteDeviceContact(db, clientId, at(3));
    await noteDeviceContact(db, clientId, at(180));
    // In contact at minute 2; away from minute 3 to 180; no contact since 180 (asked at 400).
    expect(await deviceLearnedAt(db, clientId, at(2).getTime(), at(400))).toBe(at(2).getTime());
    expect(await deviceLearnedAt(db, clientId, at(60).getTime(), at(400))).toBe(at(180).getTime());
    // `last_seen` is not rewritten within the minute: a device counts as in contact until a minute
    // after it (a read it made then is not recorded), then the asking request is the first contact after.
    expect(await deviceLearnedAt(db, clientId, at(181).getTime(), at(181.5))).toBe(at(181).getTime());
    expect(await deviceLearnedAt(db, clientId, at(181.1).getTime(), at(400))).toBe(at(400).getTime());
    expect(await deviceLearnedAt(db, clientId, at(300).getTime(), at(400))).toBe(at(400).getTime());
    // The same at the start of a gap: a departure within the minute after its last recorded read.
    expect(await deviceLearnedAt(db, clientId, at(3.9).getTime(), at(400))).toBe(at(3.9).getTime());
    expect(await deviceLearnedAt(db, clientId, at(4.1).getTime(), at(400))).toBe(at(180).getTime());
  });

  it('keeps gaps for the late documentation window only', async () => {
    await noteDeviceContact(db, clientId, at(60));
    expect(await purgeOldContactGaps(db, at(60 + 29 * 24 * 60))).toBe(0);
    expect(await purgeOldContactGaps(db, at(61 + 30 * 24 * 60))).toBe(1);
    expect(await gaps()).toEqual([]);
  });
});
