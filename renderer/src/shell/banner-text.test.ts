import { describe, expect, it } from 'vitest';
import type { SyncStatusData } from '../../../shared/contract/index.js';
import { bannerWording } from './banner-text.js';

const MIN = 60_000;
const now = new Date(2025, 2, 14, 11, 0, 0).getTime();
const status = (over: Partial<SyncStatusData> = {}): SyncStatusData => ({
  enrolled: true,
  state: 'online',
  lastSuccess: new Date(now - 18 * MIN).toISOString(),
  dataAsOf: new Date(2025, 2, 14, 10, 42).toISOString(),
  staleness: 'fresh',
  outboxPending: 0,
  conflicts: 0,
  lastError: null,
  initialLoad: null,
  staleAmberMs: 15 * MIN,
  staleRedMs: 60 * MIN,
  pollIntervalMs: 30_000,
  ...over,
});

describe("the downtime banner's words", () => {
  it('says downtime in plain words with the time the charts date from', () => {
    const w = bannerWording(status({ state: 'offline', lastError: 'HUB_UNREACHABLE' }), now);
    expect(w.headline).toBe('Downtime — hub unreachable. Showing charts as of 10:42.');
    expect(w.errorCode).toBe('HUB_UNREACHABLE');
    expect(bannerWording(status({ state: 'hub-down' }), now).headline).toContain('the hub is down');
    expect(bannerWording(status({ state: 'degraded' }), now).headline).toContain('slow');
    expect(bannerWording(status({ enrolled: false }), now).state).toBe('not-enrolled');
  });

  it('re-colours "data as of" by the policy thresholds as time passes, with words', () => {
    expect(bannerWording(status(), now).staleness).toBe('amber');
    expect(bannerWording(status(), now).stalenessLabel).toBe('Older than 15 min');
    expect(bannerWording(status(), now - 10 * MIN).staleness).toBe('fresh');
    expect(bannerWording(status(), now + 60 * MIN).staleness).toBe('red');
    expect(bannerWording(status({ dataAsOf: null }), now).headline).toBe('Online — connected to the hub.');
    expect(bannerWording(status({ dataAsOf: null, state: 'offline' }), now).headline).toContain('No chart data has been synced yet.');
  });

  it('never says "Up to date" with a green dot unless the hub confirms the data: downtime shows fresh data as recent', () => {
    const fresh = now - 10 * MIN;
    const online = bannerWording(status(), fresh);
    expect([online.stalenessLabel, online.stalenessClass]).toEqual(['Up to date', 'staleness staleness--fresh']);
    for (const state of ['offline', 'hub-down', 'degraded'] as const) {
      const w = bannerWording(status({ state }), fresh);
      expect(w.staleness).toBe('fresh');
      expect(w.stalenessLabel).toBe('Recent, not confirmed by the hub');
      expect(w.stalenessClass).toBe('staleness staleness--unconfirmed');
    }
    const stopped = bannerWording(status({ stopped: { reason: 'not-cycling', since: new Date(fresh).toISOString() } }), fresh);
    expect(stopped.stalenessLabel).toBe('Recent, not confirmed by the hub');
    // Old data keeps its warning whatever the connection.
    expect(bannerWording(status({ state: 'offline' }), now).stalenessLabel).toBe('Older than 15 min');
  });

  it('counts what waits in the outbox and the conflicts, and the initial load', () => {
    const w = bannerWording(status({ outboxPending: 3, conflicts: 1, initialLoad: { loaded: 12, total: 40 } }), now);
    expect(w.outbox).toBe('3 entries waiting to upload');
    expect(w.conflicts).toBe('1 conflict to resolve');
    expect(w.progress).toEqual({ loaded: 12, total: 40, label: 'Loading the ward: 12 of 40 patients' });
    expect(bannerWording(status({ outboxPending: 1 }), now).outbox).toBe('1 entry waiting to upload');
    expect(bannerWording(status(), now).outbox).toBeNull();
  });

  it('says "Sync stopped" and why while the watchdog finds sync stopped, even though the hub answers', () => {
    const w = bannerWording(
      status({
        state: 'online',
        lastError: 'INTERNAL',
        stopped: { reason: 'no-cycle-succeeded', since: new Date(now - 6 * MIN).toISOString() },
      }),
      now,
    );
    expect(w.state).toBe('sync-stopped');
    expect(w.headline).toBe(
      'Sync stopped — no sync has completed although the hub answers. Wardline is restarting it. Showing charts as of 10:42.',
    );
    expect(w.errorCode).toBe('INTERNAL');
    expect(bannerWording(status({ stopped: { reason: 'cycle-hung', since: new Date(now).toISOString() } }), now).headline).toContain(
      'waiting on the hub for too long',
    );
    expect(bannerWording(status({ stopped: null }), now).state).toBe('online');
  });

  it('says "Sync stopped" with the code for IT when the hub sends data this workstation cannot read, never "Up to date"', () => {
    const w = bannerWording(
      status({
        state: 'online',
        lastError: 'HUB_ANSWER_MALFORMED',
        stopped: { reason: 'hub-answer-unreadable', since: new Date(now).toISOString() },
      }),
      now,
    );
    expect(w.state).toBe('sync-stopped');
    expect(w.headline).toBe(
      'Sync stopped — the hub sent data this workstation cannot read (call IT if this goes on). Wardline tries again later. Showing charts as of 10:42.',
    );
    expect(w.errorCode).toBe('HUB_ANSWER_MALFORMED');
    expect(w.stalenessLabel).not.toBe('Up to date');
  });
});
