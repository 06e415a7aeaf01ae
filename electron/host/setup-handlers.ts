// The setup:state channel of a running host, and the set-up state a workstation that is set up
// answers with. (Until it is set up, the start-up path's setup router answers instead: setup-router.ts.)
import type { SetupStateData } from '../../shared/contract/index.js';
import type { IpcHandler } from './ipc-router.js';

export interface SetupHandlers {
  readonly 'setup:state': IpcHandler<'setup:state'>;
}

/** A workstation with a vault: set up, nothing to report. */
export const SET_UP: SetupStateData = Object.freeze({ phase: 'ready', progress: null, problem: null, policyFile: null, tokenFile: null });

export function setupHandlers(state: () => SetupStateData): SetupHandlers {
  return { 'setup:state': () => state() };
}
