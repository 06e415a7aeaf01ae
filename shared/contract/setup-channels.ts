// First start on a deployed machine (issue 16): how far this workstation is with setting itself up
// from the machine policy and the one-time enrollment token IT staged (enrolling, first sync with
// its progress), or why it is not set up, in words for the person at the screen and for IT.
// Public: nobody can sign in before the workstation is set up. Never patient data.
import { z } from 'zod';
import { channelTable, defineChannel, defineEvent } from './channel.js';

export const SETUP_PHASES = ['not-set-up', 'enrolling', 'first-sync', 'ready', 'failed'] as const;
export type SetupPhase = (typeof SETUP_PHASES)[number];

export const setupStateSchema = z.object({
  phase: z.enum(SETUP_PHASES),
  /** During the first sync: patients loaded of patients on the ward's census (null before the census is known). */
  progress: z.object({ loaded: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).nullable(),
  /** Why the workstation is not set up, or why setting it up failed: a stable code and what IT must do. */
  problem: z.object({ code: z.string().max(64), message: z.string().max(1000) }).nullable(),
  /** Where IT stages the machine policy and the enrollment token on this machine (paths, never secrets). */
  policyFile: z.string().max(1000).nullable(),
  tokenFile: z.string().max(1000).nullable(),
});
export type SetupStateData = z.infer<typeof setupStateSchema>;

/** The error codes every other channel answers with until the workstation is set up. */
export const SETUP_ERROR_CODES = { notSetUp: 'NOT_SET_UP', settingUp: 'SETTING_UP' } as const;

export const SETUP_CHANNELS = channelTable([
  defineChannel({
    name: 'setup:state',
    summary: 'how far this workstation is with setting itself up (enrolling, first sync), or why it is not set up',
    permission: 'public',
    request: z.strictObject({}),
    response: setupStateSchema,
  }),
]);

export const SETUP_EVENTS = channelTable([
  defineEvent({
    name: 'setup:changed',
    summary: 'the set-up moved on (enrolled, a step of the first sync, ready, failed)',
    payload: setupStateSchema,
  }),
]);
