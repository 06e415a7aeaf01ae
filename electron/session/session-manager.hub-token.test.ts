// The active user's hub token (kept in memory for requests the hub attributes to the user) and
// ending one session's break-the-glass grant from outside, with its stop told to listeners.
import { describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/auth/index.js';
import type { HubLoginResult } from './hub-login.js';
import type { BreakTheGlassStopNotice } from './session-manager.js';
import { ScriptedHubLogin, sessionHarness, signInAs, wardStaff } from './test-helpers.js';

const MINUTE = 60_000;
const REASON = 'Cardiac arrest in the corridor, chart needed now';

/** The scripted hub with a refresh that counts its calls and answers as told. */
class RefreshingHub extends ScriptedHubLogin {
  refreshes: string[] = [];
  refuse = false;
  async refresh(refreshToken: string): Promise<HubLoginResult> {
    this.refreshes.push(refreshToken);
    if (this.refuse) return { outcome: 'refused', code: 'REFRESH_TOKEN_INVALID', message: 'Sign in again.' };
    const signedIn = await this.login('nina', this.account('nina').password);
    if (signedIn.outcome !== 'signed-in') throw new Error('scripted login failed');
    const session: SessionResponse = { ...signedIn.session, accessToken: `renewed-${this.refreshes.length}` };
    return { outcome: 'signed-in', session };
  }
}

describe("the active user's hub token", () => {
  it("is the sign-in's token while fresh, renewed once (even when asked twice at once) when near expiry", async () => {
    const hub = new RefreshingHub(wardStaff());
    const h = sessionHarness({ hubLogin: hub });
    await signInAs(h, 'nina');
    const first = await h.manager.hubUserToken();
    expect(first).toMatch(/^access-/);
    for (let i = 0; i < 4; i += 1) {
      h.clock.advance(4 * MINUTE);
      h.manager.recordActivity();
    }
    const [a, b] = await Promise.all([h.manager.hubUserToken(), h.manager.hubUserToken()]);
    expect(a).toBe('renewed-1');
    expect(b).toBe('renewed-1');
    expect(hub.refreshes).toHaveLength(1);
    expect(await h.manager.hubUserToken({ renew: true })).toBe('renewed-2');
  });

  it('is null after an offline sign-in, and after the hub refuses a renewal', async () => {
    const hub = new RefreshingHub(wardStaff());
    const h = sessionHarness({ hubLogin: hub });
    await signInAs(h, 'nina');
    hub.refuse = true;
    expect(await h.manager.hubUserToken({ renew: true })).toBeNull();
    expect(await h.manager.hubUserToken()).toBeNull();
    h.manager.signOut();
    hub.reachable = false; // offline sign-in is for when the hub cannot be reached
    await h.manager.signInOffline('nina', hub.account('nina').password);
    expect(await h.manager.hubUserToken()).toBeNull();
  });
});

describe("ending a session's grant from outside", () => {
  it('ends the grant of a locked session, audits the stop and tells the listeners', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    const stops: BreakTheGlassStopNotice[] = [];
    h.manager.onBreakTheGlassStop((notice) => stops.push(notice));
    h.manager.startBreakTheGlass('p-9', 'ETREAT', REASON);
    h.manager.lock('manual');
    h.manager.endBreakTheGlassOfSession('s-1', 'p-9');
    h.manager.endBreakTheGlassOfSession('s-1', 'p-9');
    expect(stops).toEqual([{ sessionId: 's-1', userId: 'u-nurse-1', patientId: 'p-9' }]);
    expect(h.sink.ofType('btg-stop')).toEqual([
      { type: 'btg-stop', at: h.clock.now(), sessionId: 's-1', userId: 'u-nurse-1', patientId: 'p-9', reason: 'ended' },
    ]);
    expect(h.manager.isBreakTheGlassGranted('u-nurse-1', 'p-9')).toBe(false);
  });

  it('tells the listeners of a grant that expires by itself', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    const stops: BreakTheGlassStopNotice[] = [];
    h.manager.onBreakTheGlassStop((notice) => stops.push(notice));
    h.manager.startBreakTheGlass('p-9', 'COC', REASON);
    for (let i = 0; i < 8; i += 1) {
      h.clock.advance(4 * MINUTE);
      h.manager.recordActivity();
    }
    expect(stops).toEqual([{ sessionId: 's-1', userId: 'u-nurse-1', patientId: 'p-9' }]);
    expect(h.sink.ofType('btg-stop').map((e) => e.reason)).toEqual(['expired']);
  });
});
