// Listens for the shortcut table's keys on the whole window and runs the matching action.
// Typing in a field or working in a dialog keeps its keys, except for the lock.
import { useEffect, useEffectEvent } from 'react';
import { matchShortcut, type ShortcutId } from './shortcuts.js';

const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'password',
  'email',
  'number',
  'tel',
  'url',
  'date',
  'datetime-local',
  'time',
  'month',
  'week',
]);

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type);
}

function isInDialog(target: EventTarget | null): boolean {
  if (target instanceof Element && target.closest('[role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"]') !== null)
    return true;
  return document.querySelector('[aria-modal="true"]') !== null;
}

/** Runs `actions[id]` for each shortcut pressed; an action returning false lets the key through. */
export function useShortcuts(actions: Partial<Record<ShortcutId, () => boolean | void>>): void {
  // An effect event always sees the latest actions, so the listener is added once.
  const onKeyDown = useEffectEvent((event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.isComposing) return;
    const id = matchShortcut(event, { inEditable: isEditable(event.target), inDialog: isInDialog(event.target) });
    if (id === null) return;
    const action = actions[id];
    if (action === undefined) return;
    if (action() === false) return;
    event.preventDefault();
    event.stopPropagation();
  });

  useEffect(() => {
    const listener = (event: KeyboardEvent): void => onKeyDown(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
