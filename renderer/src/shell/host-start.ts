// Reaching the host as the page starts, before React is loaded: window.wardline comes from
// Electron's preload or, on a page the loopback server served, from the bridge's own module script
// (added here, so Electron never loads it). Then the purge watch, and the first session:state
// request, whose answer the app is first drawn from.
import bridgeScriptUrl from 'virtual:wardline-bridge-url';
import type { SessionSnapshotData } from '../../../shared/contract/index.js';
import { needsLoopbackBridge } from '../bridge/loopback-page.js';
import { call, hostApi, HostRequestError } from '../host-api.js';
import { holdSession, watchForPurge } from './purge.js';

/** The host's first answer: who is at the workstation, or why Wardline cannot start. */
export type FirstAnswer = { readonly snapshot: SessionSnapshotData } | { readonly failure: HostRequestError };

export interface HostStart {
  /** window.wardline is there (or will not come): the app may load now. */
  readonly ready: Promise<void>;
  readonly answer: Promise<FirstAnswer>;
  /** The answer if it has come already. */
  settled(): FirstAnswer | null;
}

/** Adds the loopback bridge's script; resolves once it has run (or failed to load). */
function loadBridgeScript(): Promise<void> {
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
  const ready = needsLoopbackBridge(window) ? loadBridgeScript() : Promise.resolve();
  let settled: FirstAnswer | null = null;
  const answer = ready.then(firstAnswer).then((result) => (settled = result));
  return { ready, answer, settled: () => settled };
}
