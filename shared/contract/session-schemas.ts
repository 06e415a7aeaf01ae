// The sessions as the lock screen and the banner see them (the host's SessionSnapshot, from
// electron/session/session-snapshot.ts): user ids, usernames, roles, times. No patient data.
import { z } from 'zod';
import { staffRoleSchema as role } from '../access/index.js';
const epochMs = z.number().int().nonnegative();

export const sessionViewSchema = z.object({
  sessionId: z.string(),
  userId: z.string(),
  username: z.string(),
  role,
  wards: z.array(z.string()),
  scope: z.array(z.string()),
  mode: z.enum(['online', 'offline']),
  status: z.enum(['active', 'locked']),
  signedInAt: epochMs,
  lastActivityAt: epochMs,
  lockedAt: epochMs.nullable(),
  lockReason: z.enum(['idle', 'manual', 'os-lock', 'suspend', 'switch']).nullable(),
  idleDeadline: epochMs.nullable(),
  absoluteDeadline: epochMs,
  pinLockedOut: z.boolean(),
  /** Whether the user has a PIN on this workstation (absent: not told); without one the lock screen asks for the password. */
  hasPin: z.boolean().optional(),
});
export type SessionViewData = z.infer<typeof sessionViewSchema>;

export const endedSessionSchema = z.object({
  sessionId: z.string(),
  userId: z.string(),
  reason: z.enum(['user', 'timeout', 'absolute-limit', 'evicted', 'credentials-revoked', 'shutdown']),
  at: epochMs,
});

export const sessionSnapshotSchema = z.object({
  status: z.enum(['signed-out', 'active', 'locked', 'expired']),
  active: sessionViewSchema.nullable(),
  locked: z.array(sessionViewSchema),
  lastEnded: endedSessionSchema.nullable(),
});
export type SessionSnapshotData = z.infer<typeof sessionSnapshotSchema>;

export const signInResultSchema = z.object({
  snapshot: sessionSnapshotSchema,
  mode: z.enum(['online', 'offline']),
  resumed: z.boolean(),
  hubUnreachable: z.boolean(),
  /** True after a first online sign-in here by a user without a PIN: the window offers to set one. */
  offerPin: z.boolean().optional(),
});

export const usernameSchema = z.string().trim().min(1).max(128);
export const passwordSchema = z.string().min(1).max(1024);
/** The host checks the PIN's rules (pinProblem); here only its form. */
export const pinSchema = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');
export const totpSchema = z.string().regex(/^\d{6}$/, 'a 6-digit code');
