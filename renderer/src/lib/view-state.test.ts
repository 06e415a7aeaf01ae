import { describe, expect, it } from 'vitest';
import { forgetView, pruneViews, readView, writeView, type ViewStorage } from './view-state.js';

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
  it('brings back the chart a user had open, for that session only', () => {
    const storage = memoryStorage();
    writeView('s-alice', { screen: 'chart', patientId: 'pat-7' }, storage);
    expect(readView('s-alice', storage)).toEqual({ screen: 'chart', patientId: 'pat-7' });
    expect(readView('s-bob', storage)).toBeNull();
  });

  it('refuses to store anything but opaque ids (a name is not a patient id)', () => {
    const storage = memoryStorage();
    writeView('s-alice', { screen: 'chart', patientId: 'Jane Doe' }, storage);
    expect(storage.length).toBe(0);
    writeView('s-alice', { screen: 'chart', patientId: 'pat-7', name: 'Jane Doe' } as never, storage);
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

  it('forgets signed-out sessions (the chart tab kept beside the view too) and prunes those no longer on the workstation', () => {
    const storage = memoryStorage();
    writeView('s-alice', { screen: 'census' }, storage);
    storage.setItem('wardline:s-alice:chart-tab', '{}');
    writeView('s-bob', { screen: 'audit' }, storage);
    storage.setItem('wardline:s-bob:chart-tab', '{}');
    writeView('s-carol', { screen: 'policy' }, storage);
    storage.setItem('wardline:s-carol:chart-tab', '{}');
    storage.setItem('other.key', 'kept');
    forgetView('s-alice', storage);
    expect(Object.keys(storage.dump())).not.toContain('wardline:s-alice:chart-tab');
    pruneViews(['s-carol'], storage);
    expect(Object.keys(storage.dump()).sort()).toEqual(['other.key', 'wardline.view.s-carol', 'wardline:s-carol:chart-tab']);
  });
});
