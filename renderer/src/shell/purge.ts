// Purge-on-lock: when the host says a session locked or ended (session:purge), or a call is
// refused because nobody is active any more, the window drops everything it holds — the React
// tree is emptied at once, then the document reloads, so no patient data survives in the DOM or
// the JS heap. After the reload the lock or sign-in screen is drawn from session:state.
import { flushSync } from 'react-dom';
import { hostApi, onCallFailed, type HostRequestError } from '../host-api.js';

/** The router's answers when the window asks for something nobody may be served any more. */
const SESSION_LOSS_CODES: ReadonlySet<string> = new Set(['LOCKED', 'NOT_SIGNED_IN']);

const resetters = new Set<() => void>();
let purging = false;

/** True when a refusal means the session behind the window is gone (locked or signed out). */
export function isSessionLoss(error: Pick<HostRequestError, 'code'>): boolean {
  return SESSION_LOSS_CODES.has(error.code);
}

/** Registers a reset run synchronously before the reload (the app empties its tree). */
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

/** Drops every piece of state now and reloads the document. Safe to call more than once. */
export function purgeAndReload(): void {
  if (purging) return;
  purging = true;
  for (const reset of [...resetters]) {
    try {
      flushSync(reset);
    } catch {
      // the reload below drops whatever a failed reset left behind
    }
  }
  location.reload();
}

/**
 * Listens for the host's purge event and for refusals that mean the session is gone.
 * `holdsSession` says whether the window shows an active session (a refusal on the lock or
 * sign-in screen is expected and must not reload it in a loop).
 */
export function watchForPurge(holdsSession: () => boolean): () => void {
  const stopEvent = hostApi().session.onPurge(() => purgeAndReload());
  const stopFailures = onCallFailed((error) => {
    if (isSessionLoss(error) && holdsSession()) purgeAndReload();
  });
  return () => {
    stopEvent();
    stopFailures();
  };
}
