// The hub's tokens of each session signed in online: held in memory only, dropped when the session
// ends, and renewed through the hub's refresh when the access token is about to expire or the hub
// refused it.
import type { Logger } from 'pino';
import { sessionResponseSchema, type SessionResponse } from '../../shared/auth/index.js';
import type { Clock } from './clock.js';
import type { HubLogin } from './hub-login.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { SessionError } from './session-error.js';

/** The hub's tokens for the active user, held in memory only and dropped when the session ends. */
export interface HubTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessExpiresAt: number;
  readonly refreshExpiresAt: number;
}

/** A user token this close to its expiry is renewed before it is used. */
const HUB_TOKEN_RENEW_MARGIN_MS = 30_000;

/** The tokens of a hub's sign-in answer, with their expiries on the workstation's clock. */
export function hubTokensOf(session: SessionResponse, now: number): HubTokens {
  return {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    accessExpiresAt: now + session.expiresIn * 1000,
    refreshExpiresAt: now + session.refreshExpiresIn * 1000,
  };
}

export interface HubTokenKeeperOptions {
  readonly clock: Clock;
  readonly hubLogin: HubLogin | null | undefined;
  readonly userLocks: KeyedMutex;
  readonly logger: Logger;
}

export class HubTokenKeeper {
  private readonly tokens = new Map<string, HubTokens>();

  constructor(private readonly options: HubTokenKeeperOptions) {}

  hold(sessionId: string, tokens: HubTokens): void {
    this.tokens.set(sessionId, tokens);
  }

  drop(sessionId: string): void {
    this.tokens.delete(sessionId);
  }

  /** The access token of `sessionId` (renewed when due or when `renew`), or null; see SessionManager.hubUserToken. */
  async accessToken(sessionId: string, userId: string, renew: boolean): Promise<string | null> {
    const seen = this.tokens.get(sessionId);
    if (seen === undefined) return null;
    if (!renew && this.options.clock.now() < seen.accessExpiresAt - HUB_TOKEN_RENEW_MARGIN_MS) return seen.accessToken;
    return this.options.userLocks.run(`hub-token:${userId}`, async () => {
      const tokens = this.tokens.get(sessionId);
      if (tokens === undefined) return null;
      // Another call renewed them while this one waited.
      if (tokens !== seen && this.options.clock.now() < tokens.accessExpiresAt - HUB_TOKEN_RENEW_MARGIN_MS) return tokens.accessToken;
      const hub = this.options.hubLogin;
      if (hub?.refresh === undefined || this.options.clock.now() >= tokens.refreshExpiresAt) {
        this.tokens.delete(sessionId);
        return null;
      }
      const result = await hub.refresh(tokens.refreshToken);
      if (result.outcome === 'refused') {
        if (this.tokens.get(sessionId) === tokens) this.tokens.delete(sessionId);
        this.options.logger.info({ event: 'session.hub_token_refused', sessionId }, 'hub refused to renew the user token');
        return null;
      }
      const parsed = sessionResponseSchema.safeParse(result.session);
      if (!parsed.success || parsed.data.user.userId !== userId) {
        throw new SessionError(
          'HUB_ANSWER_INVALID',
          'The hub renewed your sign-in in a form this workstation cannot use. Ask IT to check that the hub and the workstation versions match.',
        );
      }
      // The session may have ended while the hub answered: its tokens are then not kept.
      if (this.tokens.get(sessionId) !== tokens) return null;
      const now = this.options.clock.now();
      const renewed: HubTokens = {
        accessToken: parsed.data.accessToken,
        refreshToken: parsed.data.refreshToken,
        accessExpiresAt: now + parsed.data.expiresIn * 1000,
        refreshExpiresAt: Math.min(tokens.refreshExpiresAt, now + parsed.data.refreshExpiresIn * 1000),
      };
      this.tokens.set(sessionId, renewed);
      return renewed.accessToken;
    });
  }
}
