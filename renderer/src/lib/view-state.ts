// Each session's view (which screen, which chart) in sessionStorage, keyed by the session id, so
// the owner's PIN unlock brings the same chart back after the purge reload. Opaque ids only
// (screen names, FHIR ids), checked on the way in and out: never names. The chart screen keeps its
// tab beside it under `wardline:<sessionId>:…`; forgetting and pruning a session covers both.

export type SavedView =
  | { readonly screen: 'census' }
  | { readonly screen: 'chart'; readonly patientId: string }
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
  return { screen: 'chart', patientId: v.patientId };
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

/** The session a stored key belongs to (`wardline.view.<id>` or `wardline:<id>:…`), or null. */
export function sessionOfKey(key: string): string | null {
  if (key.startsWith(PREFIX)) return key.slice(PREFIX.length);
  const match = /^wardline:([A-Za-z0-9_-]{1,128}):/.exec(key);
  return match?.[1] ?? null;
}

function removeWhere(storage: ViewStorage, drop: (sessionId: string) => boolean): void {
  const doomed: string[] = [];
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    const owner = key === null ? null : sessionOfKey(key);
    if (key !== null && owner !== null && drop(owner)) doomed.push(key);
  }
  for (const key of doomed) storage.removeItem(key);
}

/** Forgets everything kept for one session (when it is signed out). */
export function forgetView(sessionId: string, storage: ViewStorage | null = pageStorage()): void {
  if (storage === null) return;
  try {
    removeWhere(storage, (owner) => owner === sessionId);
  } catch {
    // nothing to forget
  }
}

/** Forgets what was kept for every session not in `keep` (signed out or expired meanwhile). */
export function pruneViews(keep: readonly string[], storage: ViewStorage | null = pageStorage()): void {
  if (storage === null) return;
  try {
    removeWhere(storage, (owner) => !keep.includes(owner));
  } catch {
    // storage unavailable
  }
}
