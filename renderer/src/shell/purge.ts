// Purge-on-lock: when the host says a session locked or ended (session:purge), or a call is
// refused because nobody is active any more, the window drops everything it holds — the reload of
// the document starts at once and, while it loads, the React tree is emptied, so no patient data
// survives in the DOM or the JS heap. After the reload the lock or sign-in screen is drawn from
// session:state. Free of React, so the page's small entry can listen before the app is loaded.
import { hostApi, onCallFailed, type HostRequestError } from '../host-api.js';

/** The router's answers when the window asks for something nobody may be served any more. */
const SESSION_LOSS_CODES: ReadonlySet<string> = new Set(['LOCKED', 'NOT_SIGNED_IN']);

const resetters = new Set<() => void>();
let purging = false;
let heldSessionId: string | null = null;

/** True when a refusal means the session behind the window is gone (locked or signed out). */
export function isSessionLoss(error: Pick<HostRequestError, 'code'>): boolean {
  return SESSION_LOSS_CODES.has(error.code);
}

/**
 * Registers a reset run synchronously right after the reload has started (the app empties its
 * tree; it wraps its own state update in flushSync so the DOM is cleared before the task ends).
 */
export function onPurge(reset: () => void): () => void {
  resetters.add(reset);
  return () => {
    resetters.delete(reset);
  };
}

/** True once a purge has begun: nothing may render or store patient data any more. */
export function isPurging(): boolean {
  return purging;
}

/** Which session the window shows as active (null on the sign-in and lock screens). */
export function holdSession(sessionId: string | null): void {
  heldSessionId = sessionId;
}

/** Reloads the document now and drops every piece of state. Safe to call more than once. */
export function purgeAndReload(): void {
  if (purging) return;
  purging = true;
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
