// The HubLogin port: POST /auth/login (and /auth/refresh) on the hub, as the sync client implements
// it. The sessions room builds the sign-in flow around it (offline verifier, fallback when unreachable).
import type { SessionResponse } from '../../shared/auth/index.js';

export type HubLoginResult =
  /** The hub accepted the credentials: tokens, the user, and what to keep for offline sign-in. */
  | { readonly outcome: 'signed-in'; readonly session: SessionResponse }
  /**
   * The hub answered and refused: `code` is the hub's stable error code (INVALID_CREDENTIALS,
   * MFA_REQUIRED, MFA_INVALID, ACCOUNT_LOCKED, ACCOUNT_DISABLED, WARD_NOT_ASSIGNED, …) and
   * `message` its text for the user (the hub's messages carry no patient data).
   */
  | { readonly outcome: 'refused'; readonly code: string; readonly message: string };

export interface HubLogin {
  /** Rejects (with any error) when the hub cannot be reached or does not answer in time. */
  login(username: string, password: string, totp?: string): Promise<HubLoginResult>;
  /**
   * POST /auth/refresh: new tokens for a refresh token (each is spent once). Optional: without it a
   * user token is not renewed. Rejects when the hub cannot be reached; a refusal comes back coded.
   */
  refresh?(refreshToken: string): Promise<HubLoginResult>;
  /**
   * Whether the hub answers right now (any answer of the hub counts, a refusal of this device too).
   * Asked at each offline sign-in: offline sign-in is only for when the hub cannot be reached.
   */
  isReachable(): Promise<boolean>;
}
