import { describe, expect, it } from 'vitest';
import { matchShortcut, SHORTCUTS, shortcut, type KeyLike } from './shortcuts.js';

const press = (key: string, mods: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike => ({
  key,
  code: mods.code ?? '',
  ctrlKey: mods.ctrlKey ?? false,
  shiftKey: mods.shiftKey ?? false,
  altKey: mods.altKey ?? false,
  metaKey: mods.metaKey ?? false,
});
const anywhere = { inEditable: false, inDialog: false };
const typing = { inEditable: true, inDialog: false };
const inDialog = { inEditable: false, inDialog: true };

describe('keyboard shortcuts', () => {
  it('locks on Ctrl+Shift+L everywhere, even while typing or in a dialog', () => {
    const lock = press('L', { code: 'KeyL', ctrlKey: true, shiftKey: true });
    expect(matchShortcut(lock, anywhere)).toBe('lock');
    expect(matchShortcut(lock, typing)).toBe('lock');
    expect(matchShortcut(lock, inDialog)).toBe('lock');
    expect(matchShortcut(press('l', { code: 'KeyL', ctrlKey: true }), anywhere)).toBeNull();
  });

  it('focuses the search on "/" or Ctrl+K; in a field "/" types but Ctrl+K still searches', () => {
    expect(matchShortcut(press('/'), anywhere)).toBe('search');
    expect(matchShortcut(press('/', { shiftKey: true, code: 'Digit7' }), anywhere)).toBe('search');
    expect(matchShortcut(press('k', { code: 'KeyK', ctrlKey: true }), anywhere)).toBe('search');
    expect(matchShortcut(press('/'), typing)).toBeNull();
    expect(matchShortcut(press('k', { code: 'KeyK', ctrlKey: true }), typing)).toBe('search');
  });

  it('moves between patients with Alt+arrows, and never on a plain arrow', () => {
    expect(matchShortcut(press('ArrowDown', { altKey: true }), anywhere)).toBe('next-patient');
    expect(matchShortcut(press('ArrowUp', { altKey: true }), anywhere)).toBe('previous-patient');
    expect(matchShortcut(press('ArrowDown'), anywhere)).toBeNull();
  });

  it('goes back on Escape outside fields and dialogs only (a dialog closes itself first)', () => {
    expect(matchShortcut(press('Escape'), anywhere)).toBe('census');
    expect(matchShortcut(press('Escape'), typing)).toBeNull();
    expect(matchShortcut(press('Escape'), inDialog)).toBeNull();
  });

  it('opens conflicts on Alt+C whatever character the layout makes of it', () => {
    expect(matchShortcut(press('ç', { code: 'KeyC', altKey: true }), anywhere)).toBe('conflicts');
    expect(matchShortcut(press('c'), anywhere)).toBeNull();
  });

  it('shows the help on "?" but not while typing', () => {
    expect(matchShortcut(press('?', { shiftKey: true }), anywhere)).toBe('help');
    expect(matchShortcut(press('?', { shiftKey: true }), typing)).toBeNull();
  });

  it('has one entry per shortcut, each with a label and a description', () => {
    const ids = SHORTCUTS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SHORTCUTS) expect(s.label.length * s.description.length * s.aria.length).toBeGreaterThan(0);
    expect(shortcut('lock').aria).toBe('Control+Shift+L');
  });
});
