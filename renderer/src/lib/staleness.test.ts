import { describe, expect, it } from 'vitest';
import { dataStaleness, dataStalenessLabel, durationWords, vitalsStaleness, vitalsStalenessLabel } from './staleness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.UTC(2025, 2, 14, 12, 0, 0);
const ago = (ms: number): string => new Date(now - ms).toISOString();

describe('staleness of the ward data', () => {
  it('turns amber then red as the policy thresholds pass, by the clock alone', () => {
    expect(dataStaleness(ago(10 * MIN), now, 15 * MIN, 60 * MIN)).toBe('fresh');
    expect(dataStaleness(ago(15 * MIN), now, 15 * MIN, 60 * MIN)).toBe('amber');
    expect(dataStaleness(ago(61 * MIN), now, 15 * MIN, 60 * MIN)).toBe('red');
  });

  it('says never synced when there is no time, and fresh for a time just ahead of the clock', () => {
    expect(dataStaleness(null, now, 15 * MIN, 60 * MIN)).toBe('never-synced');
    expect(dataStaleness('not a time', now, 15 * MIN, 60 * MIN)).toBe('never-synced');
    expect(dataStaleness(ago(-MIN), now, 15 * MIN, 60 * MIN)).toBe('fresh');
  });

  it('puts every level into words, so colour is never the only signal', () => {
    expect(dataStalenessLabel('amber', 15 * MIN, 60 * MIN)).toBe('Older than 15 min');
    expect(dataStalenessLabel('red', 15 * MIN, 4 * HOUR)).toBe('Older than 4 h: may be out of date');
    expect(dataStalenessLabel('fresh', 1, 2)).toBe('Up to date');
    expect(durationWords(90 * MIN)).toBe('1.5 h');
  });
});

describe("staleness of a patient's last vital signs", () => {
  it('flags vitals older than 8 hours amber and older than 12 hours red', () => {
    expect(vitalsStaleness(ago(4 * HOUR), now)).toBe('recent');
    expect(vitalsStaleness(ago(8 * HOUR + MIN), now)).toBe('amber');
    expect(vitalsStaleness(ago(12 * HOUR + MIN), now)).toBe('red');
    expect(vitalsStaleness(null, now)).toBe('none');
    expect(vitalsStalenessLabel('amber')).toBe('Over 8 h ago');
    expect(vitalsStalenessLabel('none')).toBe('None recorded');
  });
});
