// Purge-on-lock: when the host says a session locked or ended (session:purge), or a call is
// refused because nobody is active any more, the window drops everything it holds. First, in one
// synchronous step, everything the page shows leaves the document and a plain cover (the name,
// no patient data) takes its place, so the chart is gone from the screen at the next frame; once
// that frame is painted the document reloads and, while the new one loads, the React tree is
// emptied, so no patient data survives in the DOM or the JS heap. After the reload the lock or
// sign-in screen is drawn from session:state. Free of React, so the page's small entry can listen
// before the app is loaded.
import { hostApi, onCallFailed, type HostRequestError } from '../host-api.js';

/** The router's answers when the window asks for something nobody may be served any more. */
const SESSION_LOSS_CODES: ReadonlySet<string> = new Set(['LOCKED', 'NOT_SIGNED_IN']);

/** Marked once the cover has been painted (the chart is off the screen). */
export const WINDOW_COVERED_MARK = 'wardline:window-covered';

/**
 * The longest the reload waits for the cover's frame: a window the OS does not paint (occluded,
 * minimised) may never run an animation frame, and the purge must not wait on it.
 */
const COVER_PAINT_LIMIT_MS = 150;

const resetters = new Set<() => void>();
let purging = false;
let covered: Promise<void> | null = null;
let heldSessionId: string | null = null;

/** True when a refusal means the session behind the window is gone (locked or signed out). */
export function isSessionLoss(error: Pick<HostRequestError, 'code'>): boolean {
  return SESSION_LOSS_CODES.has(error.code);
}

/**
 * Registers a reset run synchronously right after the reload has started (the app empties its
 * tree; it wraps its own state update in flushSync so its detached tree is dropped at once).
 */
export function onPurge(reset: () => void): () => void {
  resetters.add(reset);
  return () => {
    resetters.delete(reset);
  };
}

/** True once a purge has begun: nothing may render or store patient data any more. */
export function isPurging(): boolean {
  return purging || covered !== null;
}

/** Which session the window shows as active (null on the sign-in and lock screens). */
export function holdSession(sessionId: string | null): void {
  heldSessionId = sessionId;
}

/** The cover: the page's background and the name, as the splash shows it. */
function coverElement(): HTMLElement {
  const cover = document.createElement('main');
  cover.className = 'centre-page splash purge-cover';
  cover.setAttribute('aria-busy', 'true');
  cover.setAttribute('aria-label', 'Wardline is closing this screen');
  const name = document.createElement('p');
  name.className = 'splash__name';
  name.textContent = 'Wardline';
  cover.append(name);
  return cover;
}

/**
 * Resolves after the next frame has been painted (and marks it), at once on a page nobody sees,
 * or after COVER_PAINT_LIMIT_MS without a frame (then unmarked: the cover was never seen).
 */
function afterNextPaint(): Promise<void> {
  if (document.visibilityState === 'hidden') return Promise.resolve();
  return new Promise((resolve) => {
    const limit = setTimeout(resolve, COVER_PAINT_LIMIT_MS);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(limit);
        performance.mark(WINDOW_COVERED_MARK);
        resolve();
      }, 0),
    );
  });
}

/**
 * Takes everything the page shows out of the document at once (one step, however large the
 * chart) and shows the cover instead; resolves once the cover is on the screen. The lock's
 * trigger calls it first, before asking the host, so the chart leaves the screen at the next
 * frame. Safe to call more than once; the window is reloaded by purgeAndReload.
 */
export function coverWindow(): Promise<void> {
  if (covered !== null) return covered;
  document.body.replaceChildren(coverElement());
  covered = afterNextPaint();
  return covered;
}

/** Covers the window, then reloads the document and drops every piece of state. Safe to call more than once. */
export function purgeAndReload(): void {
  if (purging) return;
  purging = true;
  void coverWindow().then(() => {
    // The navigation starts first (the new document loads while this one is emptied); the old
    // document, its DOM and its heap are discarded when the new one commits.
    location.reload();
    for (const reset of [...resetters]) {
      try {
        reset();
      } catch {
        // the reload drops whatever a failed reset left behind
      }
    }
  });
}

/**
 * Listens, for the life of the page, for the host's purge event and for refusals that mean the
 * session is gone. A refusal reloads only while the window shows an active session (one on the
 * lock or sign-in screen is expected and must not reload it in a loop).
 */
export function watchForPurge(): () => void {
  const stopEvent = hostApi().session.onPurge(() => purgeAndReload());
  const stopFailures = onCallFailed((error) => {
    if (isSessionLoss(error) && heldSessionId !== null) purgeAndReload();
  });
  return () => {
    stopEvent();
    stopFailures();
  };
}
