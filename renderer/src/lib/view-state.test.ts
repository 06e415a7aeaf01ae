import { describe, expect, it } from 'vitest';
import { forgetView, pruneViews, readView, savedChartTab, saveChartTab, writeView, type ViewStorage } from './view-state.js';

function memoryStorage(): ViewStorage & { dump(): Record<string, string> } {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
    dump: () => Object.fromEntries(map),
  };
}

describe('per-session view state', () => {
  it('brings back the chart and tab a user had open, for that session only', () => {
    const storage = memoryStorage();
    writeView('s-alice', { screen: 'chart', patientId: 'pat-7' }, storage);
    saveChartTab('s-alice', 'pat-7', 'vitals', storage);
    expect(readView('s-alice', storage)).toEqual({ screen: 'chart', patientId: 'pat-7', tab: 'vitals' });
    expect(savedChartTab('s-alice', 'pat-7', storage)).toBe('vitals');
    expect(savedChartTab('s-alice', 'pat-8', storage)).toBeNull();
    expect(readView('s-bob', storage)).toBeNull();
  });

  it('refuses to store anything but opaque ids (a name is not a patient id)', () => {
    const storage = memoryStorage();
    writeView('s-alice', { screen: 'chart', patientId: 'Jane Doe' }, storage);
    expect(storage.length).toBe(0);
    saveChartTab('s-alice', 'pat-7', 'Jane Doe', storage);
    expect(readView('s-alice', storage)).toEqual({ screen: 'chart', patientId: 'pat-7' });
    expect(JSON.stringify(storage.dump())).not.toContain('Jane');
  });

  it('ignores tampered or unreadable entries', () => {
    const storage = memoryStorage();
    storage.setItem('wardline.view.s-alice', '{not json');
    expect(readView('s-alice', storage)).toBeNull();
    storage.setItem('wardline.view.s-alice', JSON.stringify({ screen: 'chart', patientId: '<script>' }));
    expect(readView('s-alice', storage)).toBeNull();
    storage.setItem('wardline.view.s-alice', JSON.stringify({ screen: 'conflicts', extra: 'Jane Doe' }));
    expect(readView('s-alice', storage)).toEqual({ screen: 'conflicts' });
  });

  it('forgets signed-out sessions and prunes those no longer on the workstation', () => {
    const storage = memoryStorage();
    writeView('s-alice', { screen: 'census' }, storage);
    writeView('s-bob', { screen: 'audit' }, storage);
    writeView('s-carol', { screen: 'policy' }, storage);
    storage.setItem('other.key', 'kept');
    forgetView('s-alice', storage);
    pruneViews(['s-carol'], storage);
    expect(Object.keys(storage.dump()).sort()).toEqual(['other.key', 'wardline.view.s-carol']);
  });
});
