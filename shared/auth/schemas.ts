// zod schemas of the hub's identity and audit endpoints and of the tokens' claims, shared so the
// workstation parses exactly what the hub sends and sends exactly what the hub parses.
import { z } from 'zod';

import { staffRoleSchema, type StaffRole } from '../access/index.js';
import { WARD_CODE_PATTERN, WARD_CODE_RULE } from '../fhir/index.js';

export { staffRoleSchema };
export type StaffRoleName = StaffRole;

/** A ward code: the one rule of shared/fhir (WARD_CODE_PATTERN), as the hub serves it and the ADT feed sends it. */
export const wardSchema = z.string().regex(WARD_CODE_PATTERN, WARD_CODE_RULE);

export const hexSha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

/** The public half of a workstation key: EC P-384, coordinates of 48 bytes in base64url. */
export const devicePublicJwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-384'),
  x: z.string().regex(/^[A-Za-z0-9_-]{64}$/),
  y: z.string().regex(/^[A-Za-z0-9_-]{64}$/),
});
export type DevicePublicJwk = z.infer<typeof devicePublicJwkSchema>;

// POST /auth/enroll
export const enrollRequestSchema = z.object({
  enrollmentToken: z.string().min(1).max(512),
  publicKeyJwk: z.record(z.string(), z.unknown()),
  name: z.string().max(100).optional(),
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;
export const enrollResponseSchema = z.object({ clientId: z.string(), ward: wardSchema, tokenUrl: z.string() });
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

// POST /auth/token (application/x-www-form-urlencoded in, JSON out)
export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive(),
  scope: z.string(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** Claims of a client assertion as the hub requires them (SMART Backend Services). */
export const clientAssertionClaimsSchema = z.object({
  iss: z.string().min(1),
  sub: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number().optional(),
  nbf: z.number().optional(),
  jti: z.string().min(1).max(256),
});
export type ClientAssertionClaims = z.infer<typeof clientAssertionClaimsSchema>;

// POST /auth/login, POST /auth/refresh, POST /auth/logout
export const loginRequestSchema = z.object({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
  totp: z
    .string()
    .regex(/^\d{6}$/, 'a 6-digit code')
    .optional(),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const sessionUserSchema = z.object({
  userId: z.string(),
  username: z.string(),
  role: staffRoleSchema,
  wards: z.array(wardSchema),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/**
 * What a workstation keeps to let this user sign in offline later. The workstation derives its own
 * argon2id verifier from the password the user just typed, and drops it when `credentialStamp`
 * changes (password changed, account disabled) — see GET /auth/credential-stamps. For an account
 * that requires a second factor, `totpSecret` (base32) comes with a sign-in that passed its TOTP
 * code (over TLS, to an enrolled device only): the workstation keeps it in its encrypted vault to
 * check the code at an offline sign-in.
 */
export const offlineVerifierSchema = sessionUserSchema.extend({
  credentialStamp: z.string(),
  mfaRequired: z.boolean(),
  issuedAt: z.string(),
  totpSecret: z
    .string()
    .regex(/^[A-Z2-7]{16,128}$/)
    .optional(),
});
export type OfflineVerifier = z.infer<typeof offlineVerifierSchema>;

export const sessionResponseSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds the access token lives (≤ 900). */
  expiresIn: z.number().int().positive(),
  /** Seconds the refresh token (and so the online session) lives at most. */
  refreshExpiresIn: z.number().int().positive(),
  user: sessionUserSchema,
  offlineVerifier: offlineVerifierSchema,
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(512) });
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

// GET /auth/credential-stamps
export const credentialStampsResponseSchema = z.object({
  ward: wardSchema,
  users: z.array(
    z.object({
      userId: z.string(),
      username: z.string(),
      credentialStamp: z.string(),
      disabled: z.boolean(),
      /** Locked at the hub after too many failed sign-ins, now: the offline verifier goes too. */
      locked: z.boolean(),
    }),
  ),
});
export type CredentialStampsResponse = z.infer<typeof credentialStampsResponseSchema>;

// Audit: GET /audit/chain, POST /audit/checkpoint
export const auditChainStatusSchema = z.object({
  deviceId: z.string(),
  highestContiguousSequence: z.number().int().nonnegative(),
  gaps: z.array(z.object({ from: z.number().int(), to: z.number().int() })),
  hashMismatches: z.array(z.number().int()),
  reusedSequences: z.array(z.number().int()),
  /** For a workstation enrolled again: the earlier device whose chain this one continues, and after which sequence. */
  continues: z.object({ deviceId: z.string(), afterSequence: z.number().int().nonnegative() }).optional(),
  /** Events of this device that fork from a continued chain (a second claimant of its point, or the earlier device going on above it). */
  forkedSequences: z.array(z.number().int()).optional(),
});
export type AuditChainStatusResponse = z.infer<typeof auditChainStatusSchema>;

/** What a device signs: the head of its audit chain. */
export const auditCheckpointClaimsSchema = z.object({
  deviceId: z.string().min(1),
  sequence: z.number().int().positive(),
  hash: hexSha256Schema,
  time: z.iso.datetime({ offset: true }),
});
export type AuditCheckpointClaims = z.infer<typeof auditCheckpointClaimsSchema>;

export const auditCheckpointRequestSchema = z.object({ jws: z.string().min(1).max(8192) });
export type AuditCheckpointRequest = z.infer<typeof auditCheckpointRequestSchema>;

export const auditCheckpointResponseSchema = z.object({
  deviceId: z.string(),
  sequence: z.number().int(),
  /** true: the hub holds that event with that hash; false: it holds a different hash; null: not held yet. */
  matchesHeldChain: z.boolean().nullable(),
});
export type AuditCheckpointResponse = z.infer<typeof auditCheckpointResponseSchema>;
