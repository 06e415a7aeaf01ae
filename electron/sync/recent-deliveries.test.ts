import { describe, expect, it } from 'vitest';
import { RECENT_DELIVERIES_MAX, RECENT_DELIVERIES_MAX_AGE_MS, RecentDeliveries, type DeliveredEntry } from './recent-deliveries.js';

const at = (ms: number): string => new Date(ms).toISOString();
const entry = (entryId: string, patientId: string, deliveredMs: number): DeliveredEntry => ({
  entryId,
  patientId,
  items: [],
  recordedAt: at(deliveredMs - 60_000),
  deliveredAt: at(deliveredMs),
});

describe('recent deliveries', () => {
  const now = Date.parse('2026-12-07T10:00:00Z');

  it("lists one patient's deliveries newest first, and no other patient's", () => {
    const deliveries = new RecentDeliveries();
    deliveries.record([entry('e1', 'p1', now - 3000), entry('e2', 'p2', now - 2000)]);
    deliveries.record([entry('e3', 'p1', now - 1000)]);
    expect(deliveries.of('p1', new Date(now)).map((d) => d.entryId)).toEqual(['e3', 'e1']);
    expect(deliveries.of('p3', new Date(now))).toEqual([]);
  });

  it('forgets deliveries older than the age limit and beyond the count limit', () => {
    const deliveries = new RecentDeliveries();
    deliveries.record([entry('old', 'p1', now - RECENT_DELIVERIES_MAX_AGE_MS - 1), entry('young', 'p1', now - 1)]);
    expect(deliveries.of('p1', new Date(now)).map((d) => d.entryId)).toEqual(['young']);
    deliveries.record(Array.from({ length: RECENT_DELIVERIES_MAX }, (_, i) => entry(`n${i}`, 'p2', now)));
    expect(deliveries.of('p1', new Date(now))).toEqual([]);
    expect(deliveries.of('p2', new Date(now))).toHaveLength(RECENT_DELIVERIES_MAX);
    deliveries.clear();
    expect(deliveries.of('p2', new Date(now))).toEqual([]);
  });
});
