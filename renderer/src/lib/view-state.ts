// Each session's view (which screen, which chart, which chart tab) in sessionStorage, keyed by
// the session id, so the owner's PIN unlock brings the same chart back after the purge reload.
// Opaque ids only (screen names, FHIR ids, tab ids), checked on the way in and out: never names.

export type SavedView =
  | { readonly screen: 'census' }
  | { readonly screen: 'chart'; readonly patientId: string; readonly tab?: string }
  | { readonly screen: 'conflicts' }
  | { readonly screen: 'audit' }
  | { readonly screen: 'policy' };

/** The part of the Storage interface this module uses (sessionStorage in the page, a map in tests). */
export interface ViewStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

const PREFIX = 'wardline.view.';
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** A FHIR id: letters, digits, '-' and '.', at most 64. */
const PATIENT_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TAB_ID = /^[a-z][a-z0-9-]{0,31}$/;
const PLAIN_SCREENS = new Set(['census', 'conflicts', 'audit', 'policy']);

function pageStorage(): ViewStorage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** A view read from storage or about to be written, if it holds only what it may. */
export function checkedView(value: unknown): SavedView | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.screen === 'string' && PLAIN_SCREENS.has(v.screen)) return { screen: v.screen } as SavedView;
  if (v.screen !== 'chart' || typeof v.patientId !== 'string' || !PATIENT_ID.test(v.patientId)) return null;
  if (v.tab !== undefined && (typeof v.tab !== 'string' || !TAB_ID.test(v.tab))) return { screen: 'chart', patientId: v.patientId };
  return v.tab === undefined ? { screen: 'chart', patientId: v.patientId } : { screen: 'chart', patientId: v.patientId, tab: v.tab };
}

/** The view saved for this session, or null. */
export function readView(sessionId: string, storage: ViewStorage | null = pageStorage()): SavedView | null {
  if (storage === null || !SESSION_ID.test(sessionId)) return null;
  try {
    const raw = storage.getItem(PREFIX + sessionId);
    return raw === null ? null : checkedView(JSON.parse(raw));
  } catch {
    return null;
  }
}

/** Saves this session's view; anything not made of opaque ids is refused (nothing is written). */
export function writeView(sessionId: string, view: SavedView, storage: ViewStorage | null = pageStorage()): void {
  const checked = checkedView(view);
  if (storage === null || checked === null || !SESSION_ID.test(sessionId)) return;
  try {
    storage.setItem(PREFIX + sessionId, JSON.stringify(checked));
  } catch {
    // Storage full or disabled: the view simply will not come back after a lock.
  }
}

/** The chart tab saved for this session when it shows this patient's chart (for the chart screen). */
export function savedChartTab(sessionId: string, patientId: string, storage: ViewStorage | null = pageStorage()): string | null {
  const view = readView(sessionId, storage);
  return view?.screen === 'chart' && view.patientId === patientId ? (view.tab ?? null) : null;
}

/** Remembers the chart tab the user is on (the chart screen calls this when the tab changes). */
export function saveChartTab(sessionId: string, patientId: string, tab: string, storage: ViewStorage | null = pageStorage()): void {
  writeView(sessionId, { screen: 'chart', patientId, tab }, storage);
}

/** Forgets one session's view (when it is signed out). */
export function forgetView(sessionId: string, storage: ViewStorage | null = pageStorage()): void {
  if (storage === null || !SESSION_ID.test(sessionId)) return;
  try {
    storage.removeItem(PREFIX + sessionId);
  } catch {
    // nothing to forget
  }
}

/** Forgets the views of every session not in `keep` (signed out or expired meanwhile). */
export function pruneViews(keep: readonly string[], storage: ViewStorage | null = pageStorage()): void {
  if (storage === null) return;
  try {
    const stale: string[] = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key !== null && key.startsWith(PREFIX) && !keep.includes(key.slice(PREFIX.length))) stale.push(key);
    }
    for (const key of stale) storage.removeItem(key);
  } catch {
    // storage unavailable
  }
}
