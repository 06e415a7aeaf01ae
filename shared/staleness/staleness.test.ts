import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_STALENESS, dataStaleness, vitalsStaleness } from './staleness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.UTC(2025, 2, 14, 12, 0, 0);
const ago = (ms: number): string => new Date(now - ms).toISOString();
const policy = { amberMs: 15 * MIN, redMs: 60 * MIN };

describe('staleness of the ward data', () => {
  it('turns amber then red as the policy thresholds pass, by the clock alone', () => {
    expect(dataStaleness(ago(10 * MIN), now, policy)).toBe('fresh');
    expect(dataStaleness(ago(15 * MIN), now, policy)).toBe('amber');
    expect(dataStaleness(ago(61 * MIN), now, policy)).toBe('red');
  });

  it('shows data amber after 15 minutes and red after an hour by default thresholds', () => {
    const at = Date.parse('2026-01-15T10:00:00Z');
    expect(dataStaleness(null, at, DEFAULT_DATA_STALENESS)).toBe('never-synced');
    expect(dataStaleness('2026-01-15T09:50:00Z', at, DEFAULT_DATA_STALENESS)).toBe('fresh');
    expect(dataStaleness('2026-01-15T09:45:00Z', at, DEFAULT_DATA_STALENESS)).toBe('amber');
    expect(dataStaleness('2026-01-15T09:00:00Z', at, DEFAULT_DATA_STALENESS)).toBe('red');
  });

  it('follows thresholds a machine policy sets instead of the defaults', () => {
    const strict = { amberMs: 5 * MIN, redMs: 10 * MIN };
    expect(dataStaleness(ago(6 * MIN), now, strict)).toBe('amber');
    expect(dataStaleness(ago(10 * MIN), now, strict)).toBe('red');
    expect(dataStaleness(ago(6 * MIN), now, DEFAULT_DATA_STALENESS)).toBe('fresh');
  });

  it('says never synced when there is no time, and fresh for a time just ahead of the clock', () => {
    expect(dataStaleness(null, now, policy)).toBe('never-synced');
    expect(dataStaleness('not a time', now, policy)).toBe('never-synced');
    expect(dataStaleness(ago(-MIN), now, policy)).toBe('fresh');
  });
});

describe("staleness of a patient's last vital signs", () => {
  it('is amber after 8 h and red after 12 h', () => {
    expect(vitalsStaleness(ago(4 * HOUR), now)).toBe('recent');
    expect(vitalsStaleness(ago(8 * HOUR + MIN), now)).toBe('amber');
    expect(vitalsStaleness(ago(12 * HOUR + MIN), now)).toBe('red');
    expect(vitalsStaleness(null, now)).toBe('none');
  });
});
