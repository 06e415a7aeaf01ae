// What the set-up screen says for each state of a first start: plain words for the person at the
// workstation, and the steps IT must take when it is not set up. Never a stack trace: the host's
// problem message was written for people, and its code is shown for IT.
import type { SetupStateData } from '../../../../shared/contract/index.js';

export interface SetupWording {
  readonly title: string;
  readonly lead: string;
  /** What IT must do, in order; empty while setting up. */
  readonly itSteps: readonly string[];
  /** "3 of 12 patients", while the first sync runs and the census is known. */
  readonly progressLabel: string | null;
  /** The host's code for IT (NOT_SET_UP, PIN_MISMATCH…), or null. */
  readonly codeForIt: string | null;
}

const STAGE_POLICY = (state: SetupStateData): string =>
  `Deploy the organisation's signed machine policy${state.policyFile === null ? '' : ` to ${state.policyFile}`} (it names the hub, its certificate pin and the ward).`;
const STAGE_TOKEN = (state: SetupStateData): string =>
  `Make a one-time enrollment token for this ward on the hub (wardline-hub token --ward W) and save it as ${state.tokenFile ?? "the enrollment token file in Wardline's machine folder"}.`;
const RESTART = 'Start Wardline again: it sets itself up, deletes the token and loads the ward.';

export function setupWording(state: SetupStateData): SetupWording {
  switch (state.phase) {
    case 'enrolling':
      return {
        title: 'Setting up this workstation',
        lead: 'Wardline is connecting this workstation to the hub. This takes a moment; nothing needs doing here.',
        itSteps: [],
        progressLabel: null,
        codeForIt: null,
      };
    case 'first-sync':
    case 'ready':
      return {
        title: 'Setting up this workstation',
        lead: "Wardline is loading the ward's charts into this workstation's encrypted store. Sign-in opens when it is done.",
        itSteps: [],
        progressLabel: state.progress === null ? null : `${state.progress.loaded} of ${state.progress.total} patients`,
        codeForIt: null,
      };
    case 'failed':
      return {
        title: 'This workstation could not be set up',
        lead: state.problem?.message ?? 'Setting up this workstation failed. Call IT.',
        itSteps: [
          'Check that the machine policy names the right hub, its current certificate pin and the ward.',
          `If the hub refused the token (expired or already used), ${STAGE_TOKEN(state).replace('Make a one-time', 'make a new one-time')}`,
          RESTART,
        ],
        progressLabel: null,
        codeForIt: state.problem?.code ?? null,
      };
    case 'not-set-up':
      return {
        title: 'This workstation is not set up',
        lead: "Nobody can sign in here yet: this workstation has not been connected to the hospital's Wardline hub. Call IT and tell them what this screen says.",
        itSteps: [STAGE_POLICY(state), STAGE_TOKEN(state), RESTART],
        progressLabel: null,
        codeForIt: state.problem?.code ?? 'NOT_SET_UP',
      };
  }
}
