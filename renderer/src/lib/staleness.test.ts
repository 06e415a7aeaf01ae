import { describe, expect, it } from 'vitest';
import { dataStaleness, vitalsStaleness } from '../../../shared/staleness/index.js';
import { dataStalenessLabel, durationWords, vitalsStalenessLabel } from './staleness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.UTC(2025, 2, 14, 12, 0, 0);
const ago = (ms: number): string => new Date(now - ms).toISOString();

describe('staleness of the ward data, in words', () => {
  it('puts every level into words, so colour is never the only signal', () => {
    expect(dataStalenessLabel('amber', { amberMs: 15 * MIN, redMs: 60 * MIN }, true)).toBe('Older than 15 min');
    expect(dataStalenessLabel('red', { amberMs: 15 * MIN, redMs: 4 * HOUR }, false)).toBe('Older than 4 h: may be out of date');
    expect(dataStalenessLabel('fresh', { amberMs: 1, redMs: 2 }, true)).toBe('Up to date');
    expect(dataStalenessLabel('fresh', { amberMs: 1, redMs: 2 }, false)).toBe('Recent, not confirmed by the hub');
    expect(dataStalenessLabel('never-synced', { amberMs: 1, redMs: 2 }, false)).toBe('Never synced');
    expect(durationWords(90 * MIN)).toBe('1.5 h');
  });

  it('names the level the shared rule gives for the thresholds in force', () => {
    const thresholds = { amberMs: 15 * MIN, redMs: 60 * MIN };
    expect(dataStalenessLabel(dataStaleness(ago(20 * MIN), now, thresholds), thresholds, true)).toBe('Older than 15 min');
  });
});

describe("staleness of a patient's last vital signs, in words", () => {
  it('flags vitals older than 8 hours amber and older than 12 hours red', () => {
    expect(vitalsStalenessLabel(vitalsStaleness(ago(8 * HOUR + MIN), now))).toBe('Over 8 h ago');
    expect(vitalsStalenessLabel(vitalsStaleness(ago(12 * HOUR + MIN), now))).toBe('Over 12 h ago');
    expect(vitalsStalenessLabel(vitalsStaleness(ago(4 * HOUR), now))).toBe('Recent');
    expect(vitalsStalenessLabel('none')).toBe('None recorded');
  });
});
