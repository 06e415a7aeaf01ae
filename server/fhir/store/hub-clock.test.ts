// The hub clock: instants at FHIR precision, ranges for search prefixes, and stamps that keep
// growing in commit order even when the wall clock steps back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteDatabase, runMigrations } from '../../storage/index.js';
import { resourceStoreMigrations } from './resource-store-migrations.js';
import { beginWrite, endWrite, parseInstantRange, readWatermark, stampToInstant, watermarkInstant } from './hub-clock.js';

describe('hub clock', () => {
  it('writes stamps as instants with milliseconds, and more digits only when there are any', () => {
    expect(stampToInstant(Date.UTC(2024, 4, 1, 10, 42) * 1000)).toBe('2024-05-01T10:42:00.000Z');
    expect(stampToInstant(Date.UTC(2024, 4, 1, 10, 42) * 1000 + 7)).toBe('2024-05-01T10:42:00.000007Z');
  });

  it('reads dates and instants as the span they cover at their precision', () => {
    const ms = (iso: string) => Date.parse(iso) * 1000;
    expect(parseInstantRange('2024')).toEqual({ start: ms('2024-01-01T00:00:00Z'), end: ms('2025-01-01T00:00:00Z') });
    expect(parseInstantRange('2024-02')).toEqual({ start: ms('2024-02-01T00:00:00Z'), end: ms('2024-03-01T00:00:00Z') });
    expect(parseInstantRange('2024-02-29')).toEqual({ start: ms('2024-02-29T00:00:00Z'), end: ms('2024-03-01T00:00:00Z') });
    expect(parseInstantRange('2024-05-01T12:00:00+02:00')).toEqual({ start: ms('2024-05-01T10:00:00Z'), end: ms('2024-05-01T10:00:01Z') });
    expect(parseInstantRange('2024-05-01T10:00:00.123Z')).toEqual({
      start: ms('2024-05-01T10:00:00.123Z'),
      end: ms('2024-05-01T10:00:00.123Z') + 1000,
    });
    expect(parseInstantRange('2024-05-01T10:00:00.123001Z')).toEqual({
      start: ms('2024-05-01T10:00:00.123Z') + 1,
      end: ms('2024-05-01T10:00:00.123Z') + 2,
    });
    for (const bad of ['', 'yesterday', '2024-13-01', '2024-05-01T25:00:00Z', "2024'; DROP", '2024-05-01T10:00:00.1Z junk']) {
      expect(parseInstantRange(bad), bad).toBeNull();
    }
  });

  it('hands out stamps that grow by at least a millisecond per transaction, whatever the wall clock does', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'wardline-clock-'));
    const db = openSqliteDatabase(join(folder, 'clock.sqlite'));
    try {
      await runMigrations(db, resourceStoreMigrations);
      const times = ['2030-01-01T12:00:00.000Z', '2030-01-01T12:00:00.000Z', '2029-06-01T00:00:00.000Z', '2030-01-01T12:00:05.000Z'];
      const stamps: number[] = [];
      for (const time of times) {
        await db.transaction(async (tx) => {
          const session = await beginWrite(tx, new Date(time));
          session.nextSeq();
          stamps.push(session.stamp);
          await endWrite(tx, session);
        });
      }
      expect(stamps.map(stampToInstant)).toEqual([
        '2030-01-01T12:00:00.000Z',
        '2030-01-01T12:00:00.001Z',
        '2030-01-01T12:00:00.002Z',
        '2030-01-01T12:00:05.000Z',
      ]);
      const watermark = await readWatermark(db);
      expect(watermark).toEqual({ stamp: stamps[3], seq: 4 });
      // The watermark instant is just after the newest write, and before any later one.
      expect(watermarkInstant(watermark)).toBe('2030-01-01T12:00:05.000001Z');
    } finally {
      await db.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
