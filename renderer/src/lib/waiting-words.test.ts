import { describe, expect, it } from 'vitest';
import { bannerWording } from '../shell/banner-text.js';
import type { SyncStatusData } from '../../../shared/contract/index.js';
import { patientWaitingWords } from './waiting-words.js';

const status = (outboxPending: number, conflicts: number): SyncStatusData => ({
  enrolled: true,
  state: 'offline',
  lastSuccess: null,
  dataAsOf: null,
  staleness: 'never-synced',
  outboxPending,
  conflicts,
  lastError: null,
  initialLoad: null,
  staleAmberMs: 15 * 60_000,
  staleRedMs: 60 * 60_000,
  pollIntervalMs: 15_000,
  stopped: null,
});

describe('what waits for the hub, in the banner and in the chart', () => {
  it("says the chart's patient counts in the banner's words and kinds, so one patient's entries read the same in both", () => {
    for (const [entries, conflicts] of [
      [1, 0],
      [3, 0],
      [0, 1],
      [2, 2],
    ] as const) {
      const banner = bannerWording(status(entries, conflicts), Date.now());
      const chart = patientWaitingWords(entries, conflicts)!;
      for (const words of [banner.outbox, banner.conflicts]) if (words !== null) expect(chart).toContain(words);
      // An entry in conflict is not counted as waiting to upload, in either.
      if (entries === 0) expect(chart).not.toContain('waiting to upload');
    }
    expect(patientWaitingWords(1, 1)).toBe('1 entry waiting to upload and 1 conflict to resolve for this patient');
    expect(patientWaitingWords(0, 0)).toBeNull();
  });
});
