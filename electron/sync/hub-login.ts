// The sessions room's HubLogin port over this room's pinned, device-authenticated client:
// POST /auth/login and /auth/refresh, and whether the hub answers at all (offline sign-in). A refusal comes back as the hub's stable code and its
// message; an unreachable hub rejects (the sessions room then falls back to offline sign-in). The
// password is only sent.
import { hubErrorCode, sessionResponseSchema } from '../../shared/auth/index.js';
import type { HubLogin, HubLoginResult } from '../session/index.js';
import type { HubClient } from './hub-client.js';
import { SyncError } from './sync-error.js';

function messageOf(body: unknown): string {
  const issue = (body as { issue?: Array<{ details?: { text?: unknown }; diagnostics?: unknown }> } | null)?.issue?.[0];
  const text = issue?.details?.text ?? issue?.diagnostics;
  return typeof text === 'string' ? text : '';
}

export function createHubLogin(client: HubClient): HubLogin {
  return {
    async login(username, password, totp): Promise<HubLoginResult> {
      const answer = await client.postJsonAnswer(
        '/auth/login',
        { username, password, ...(totp === undefined ? {} : { totp }) },
        { retries: 1 },
      );
      if (answer.status === 200) {
        const parsed = sessionResponseSchema.safeParse(answer.body);
        if (!parsed.success) {
          throw new SyncError(
            'HUB_ANSWER_INVALID',
            'The hub answered the sign-in in a form this workstation cannot read. Ask IT to check that hub and workstation versions match.',
          );
        }
        return { outcome: 'signed-in', session: parsed.data };
      }
      return { outcome: 'refused', code: hubErrorCode(answer.body) ?? 'HUB_REFUSED', message: messageOf(answer.body) };
    },
    async isReachable(): Promise<boolean> {
      try {
        await client.getJson('/fhir/metadata', { retries: 0 });
        return true;
      } catch (error) {
        // Any answer of the hub (a refusal of this device included) means it can be reached; no
        // connection, a failed TLS handshake or another certificate than the pinned one do not.
        return !(
          error instanceof SyncError && ['HUB_UNREACHABLE', 'TIMEOUT', 'CONNECTION_LOST', 'TLS_FAILED', 'PIN_MISMATCH'].includes(error.code)
        );
      }
    },
    async refresh(refreshToken): Promise<HubLoginResult> {
      const answer = await client.postJsonAnswer('/auth/refresh', { refreshToken }, { retries: 1 });
      if (answer.status === 200) {
        const parsed = sessionResponseSchema.safeParse(answer.body);
        if (!parsed.success) {
          throw new SyncError(
            'HUB_ANSWER_INVALID',
            'The hub answered a sign-in renewal in a form this workstation cannot read. Ask IT to check that hub and workstation versions match.',
          );
        }
        return { outcome: 'signed-in', session: parsed.data };
      }
      return { outcome: 'refused', code: hubErrorCode(answer.body) ?? 'HUB_REFUSED', message: messageOf(answer.body) };
    },
  };
}
