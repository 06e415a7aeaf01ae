// The sessions room's HubLogin port over this room's pinned, device-authenticated client:
// POST /auth/login and /auth/refresh. A refusal comes back as the hub's stable code and its
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
