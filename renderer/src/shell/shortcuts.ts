// The one table of keyboard shortcuts: what each does, its keys (as shown in the help dialog and
// in aria-keyshortcuts), and where it works. matchShortcut turns a keydown into a shortcut id.

export type ShortcutId = 'lock' | 'search' | 'next-patient' | 'previous-patient' | 'census' | 'conflicts' | 'help';

/** One way to press a shortcut: a `key` (case-insensitive) or a physical `code`, and its modifiers. */
export interface KeyChord {
  readonly key?: string;
  readonly code?: string;
  /** Ctrl (or ⌘ on a Mac keyboard). */
  readonly ctrl?: boolean;
  /** 'any' for characters whose Shift depends on the keyboard layout ("?" and "/"). */
  readonly shift?: boolean | 'any';
  readonly alt?: boolean;
  /** Overrides the shortcut's inEditable for this chord (Ctrl+K works in a field, "/" types). */
  readonly inEditable?: boolean;
}

export interface Shortcut {
  readonly id: ShortcutId;
  readonly chords: readonly KeyChord[];
  /** As the help dialog shows it: "Ctrl+Shift+L". */
  readonly label: string;
  /** As aria-keyshortcuts wants it: "Control+Shift+L". */
  readonly aria: string;
  readonly description: string;
  /** Works while typing in a field. */
  readonly inEditable: boolean;
  /** Works while a dialog is open. */
  readonly inDialog: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    id: 'lock',
    chords: [{ code: 'KeyL', key: 'l', ctrl: true, shift: true }],
    label: 'Ctrl+Shift+L',
    aria: 'Control+Shift+L',
    description: 'Lock the workstation now',
    inEditable: true,
    inDialog: true,
  },
  {
    id: 'search',
    chords: [
      { key: '/', shift: 'any' },
      { code: 'KeyK', key: 'k', ctrl: true, inEditable: true },
    ],
    label: '/ or Ctrl+K',
    aria: '/ Control+K',
    description: 'Search the ward census',
    inEditable: false,
    inDialog: false,
  },
  {
    id: 'next-patient',
    chords: [{ key: 'ArrowDown', alt: true }],
    label: 'Alt+↓',
    aria: 'Alt+ArrowDown',
    description: 'Next patient (census order)',
    inEditable: false,
    inDialog: false,
  },
  {
    id: 'previous-patient',
    chords: [{ key: 'ArrowUp', alt: true }],
    label: 'Alt+↑',
    aria: 'Alt+ArrowUp',
    description: 'Previous patient (census order)',
    inEditable: false,
    inDialog: false,
  },
  {
    id: 'census',
    chords: [{ key: 'Escape' }],
    label: 'Esc',
    aria: 'Escape',
    description: 'Back to the ward census',
    inEditable: false,
    inDialog: false,
  },
  {
    id: 'conflicts',
    chords: [{ code: 'KeyC', key: 'c', alt: true }],
    label: 'Alt+C',
    aria: 'Alt+C',
    description: 'Open the conflicts to resolve',
    inEditable: false,
    inDialog: false,
  },
  {
    id: 'help',
    chords: [{ key: '?', shift: 'any' }],
    label: '?',
    aria: 'Shift+?',
    description: 'Show these keyboard shortcuts',
    inEditable: false,
    inDialog: false,
  },
];

/** What matchShortcut reads of a KeyboardEvent. */
export interface KeyLike {
  readonly key: string;
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}

/** Where the key was pressed. */
export interface KeyContext {
  /** In a text field, text area, select or contenteditable. */
  readonly inEditable: boolean;
  /** Inside an open dialog or menu. */
  readonly inDialog: boolean;
}

function chordMatches(chord: KeyChord, event: KeyLike): boolean {
  const ctrl = event.ctrlKey || event.metaKey;
  if ((chord.ctrl ?? false) !== ctrl) return false;
  if ((chord.alt ?? false) !== event.altKey) return false;
  if (chord.shift !== 'any' && (chord.shift ?? false) !== event.shiftKey) return false;
  const keyMatches = chord.key !== undefined && chord.key.toLowerCase() === event.key.toLowerCase();
  const codeMatches = chord.code !== undefined && chord.code === event.code;
  return keyMatches || codeMatches;
}

/** The shortcut this key press means here, or null. */
export function matchShortcut(event: KeyLike, where: KeyContext): ShortcutId | null {
  for (const shortcut of SHORTCUTS) {
    if (where.inDialog && !shortcut.inDialog) continue;
    const usable = (chord: KeyChord): boolean => !where.inEditable || (chord.inEditable ?? shortcut.inEditable);
    if (shortcut.chords.some((chord) => usable(chord) && chordMatches(chord, event))) return shortcut.id;
  }
  return null;
}

/** The table entry of a shortcut (for labels and aria-keyshortcuts). */
export function shortcut(id: ShortcutId): Shortcut {
  const found = SHORTCUTS.find((s) => s.id === id);
  if (found === undefined) throw new Error(`Unknown shortcut ${id}`);
  return found;
}
