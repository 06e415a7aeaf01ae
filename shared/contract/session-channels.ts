// The sessions channels: what the lock screen and the banner ask of the host's SessionManager,
// and the purge event the host sends when a session locks or ends.
import { z } from 'zod';
import { btgJustificationSchema, btgReasonCodeSchema } from '../access/index.js';
import { ID_PATTERN } from '../fhir/index.js';
import { channelTable, defineChannel, defineEvent } from './channel.js';
import { passwordSchema, pinSchema, sessionSnapshotSchema, signInResultSchema, totpSchema, usernameSchema } from './session-schemas.js';

const noRequest = z.strictObject({});

export const SESSION_CHANNELS = channelTable([
  defineChannel({
    name: 'session:state',
    summary: 'the sessions on this workstation (who is active, who is locked)',
    permission: 'public',
    request: noRequest,
    response: sessionSnapshotSchema,
  }),
  defineChannel({
    name: 'session:sign-in',
    summary: 'sign in with username and password (against the hub, or offline when it cannot be reached)',
    permission: 'public',
    request: z.strictObject({
      username: usernameSchema,
      password: passwordSchema,
      totp: totpSchema.optional(),
      offline: z.boolean().optional(),
    }),
    response: signInResultSchema,
  }),
  defineChannel({
    name: 'session:unlock-pin',
    summary: "resume one's own locked session with the PIN",
    permission: 'public',
    request: z.strictObject({ userId: z.string().min(1).max(128), pin: pinSchema }),
    response: sessionSnapshotSchema,
  }),
  defineChannel({
    name: 'session:lock',
    summary: 'lock the active session now',
    permission: 'session',
    request: noRequest,
    response: sessionSnapshotSchema,
  }),
  defineChannel({
    name: 'session:sign-out',
    summary: 'sign the active user out',
    permission: 'session',
    request: noRequest,
    response: sessionSnapshotSchema,
  }),
  defineChannel({
    name: 'session:switch-user',
    summary: 'lock the active session so another user can sign in',
    permission: 'session',
    request: noRequest,
    response: sessionSnapshotSchema,
  }),
  defineChannel({
    name: 'session:set-pin',
    summary: "set the active user's PIN (the password too, when the last full sign-in is older than 5 minutes)",
    permission: 'session',
    request: z.strictObject({ pin: pinSchema, password: passwordSchema.optional() }),
    response: z.object({}),
  }),
  defineChannel({
    name: 'session:break-glass',
    summary:
      'emergency access to one restricted chart, for a limited time, with a coded reason and a justification (audited as a security alert)',
    permission: 'btg:use',
    request: z.strictObject({
      patientId: z.string().regex(ID_PATTERN, 'a patient id (FHIR id)'),
      reasonCode: btgReasonCodeSchema,
      reasonText: btgJustificationSchema,
    }),
    response: z.object({ patientId: z.string(), expiresAt: z.string() }),
  }),
  defineChannel({
    name: 'session:activity',
    summary: 'the user pressed a key or moved the pointer: the idle lock moves later',
    permission: 'session',
    request: noRequest,
    response: z.object({}),
  }),
]);

export const SESSION_EVENTS = channelTable([
  defineEvent({
    name: 'session:purge',
    summary: 'a session locked or ended: drop every piece of patient data the window holds, now',
    payload: z.object({ sessionId: z.string(), userId: z.string() }),
  }),
]);
