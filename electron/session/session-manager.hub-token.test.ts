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

  it('comes with an online sign-in into a session signed in offline, which is online from then on (locked or not)', async () => {
    const hub = new RefreshingHub(wardStaff());
    const h = sessionHarness({ hubLogin: hub });
    const password = hub.account('nina').password;
    await signInAs(h, 'nina');
    h.manager.signOut();
    hub.reachable = false;
    await h.manager.signInOffline('nina', password);
    expect(h.manager.current().active).toMatchObject({ mode: 'offline' });

    // The hub is back: her password at the lock screen signs her in online and resumes the session.
    hub.reachable = true;
    h.manager.lock('manual');
    const resumed = await h.manager.signInOnline('nina', password);
    expect(resumed).toMatchObject({ resumed: true, mode: 'online' });
    expect(h.manager.current().active).toMatchObject({ mode: 'online' });
    expect(await h.manager.hubUserToken()).toMatch(/^access-/);

    // A later offline sign-in (the hub gone again) does not take the session's tokens or its mode away.
    hub.reachable = false;
    h.manager.lock('manual');
    await h.manager.signInOffline('nina', password);
    expect(h.manager.current().active).toMatchObject({ mode: 'online' });
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
