// Reaching the host as the page starts, while React loads: window.wardline comes from Electron's
// preload or, on a page the loopback server served, from the bridge's own module script (added
// here, so Electron never loads it; the WebSocket is opened, and session:state asked over it,
// first, so the round trip overlaps loading the bridge). Then the purge watch, and the first
// session:state answer, which the app is first drawn from.
import bridgeScriptUrl from 'virtual:wardline-bridge-url';
import type { SessionSnapshotData } from '../../../shared/contract/index.js';
import { openEarlySocket } from '../bridge/early-socket.js';
import { needsLoopbackBridge } from '../bridge/loopback-page.js';
import { call, hostApi, HostRequestError } from '../host-api.js';
import { holdSession, watchForPurge } from './purge.js';

/** The host's first answer: who is at the workstation, or why Wardline cannot start. */
export type FirstAnswer = { readonly snapshot: SessionSnapshotData } | { readonly failure: HostRequestError };

export interface HostStart {
  readonly answer: Promise<FirstAnswer>;
  /** The answer if it has come already. */
  settled(): FirstAnswer | null;
}

/** Opens the socket and adds the loopback bridge's script; resolves once it has run (or failed to load). */
function loadLoopbackBridge(): Promise<void> {
  openEarlySocket(window.location);
  // The same module as the script below: through import(), vite fetches the chunks it needs in
  // parallel with it (one round trip, not two); the script element holds the page's load event.
  import('../bridge/bridge-entry.js').catch(() => undefined);
  return new Promise((resolve) => {
    const script = document.createElement('script');
    script.type = 'module';
    script.src = bridgeScriptUrl;
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => resolve()); // without window.wardline the answer says so
    document.head.append(script);
  });
}

function firstAnswer(): Promise<FirstAnswer> {
  try {
    watchForPurge();
    return call(hostApi().session.state()).then(
      (snapshot) => {
        holdSession(snapshot.active?.sessionId ?? null);
        return { snapshot };
      },
      (error: unknown) => ({ failure: asHostError(error) }),
    );
  } catch (error) {
    return Promise.resolve({ failure: asHostError(error) });
  }
}

function asHostError(error: unknown): HostRequestError {
  return error instanceof HostRequestError ? error : new HostRequestError('INTERNAL', 'Wardline could not reach its host.');
}

export function startHost(): HostStart {
  const ready = needsLoopbackBridge(window) ? loadLoopbackBridge() : Promise.resolve();
  let settled: FirstAnswer | null = null;
  const answer = ready.then(firstAnswer).then((result) => (settled = result));
  return { answer, settled: () => settled };
}
