// Test support for the sessions room (used by its tests and by cross-room tests): a ward's staff,
// a scripted stand-in for the hub's /auth/login behind the real HubLogin port (the HTTP client
// comes with the sync room), cheap argon2id parameters, and a manager wired to a fake clock.
import type { CredentialStampsResponse, SessionResponse } from '../../shared/auth/index.js';
import type { Argon2idParams, CredentialHashing } from './credential-hashing.js';
import { InMemoryCredentialStore } from './credential-store.js';
import { FakeClock } from './fake-clock.js';
import type { HubLogin, HubLoginResult } from './hub-login.js';
import { ControllablePowerEvents } from './power-events.js';
import { MemorySessionEventSink } from './session-events.js';
import { SessionManager, type SessionManagerOptions } from './session-manager.js';
import type { StaffRole } from './session-user.js';

export const TEST_WARD = 'ward-7';

/** Real argon2id, at its smallest cost, so property tests can run hundreds of sign-ins. */
const CHEAP: Argon2idParams = { memoryKiB: 1024, timeCost: 1, parallelism: 1 };
export const CHEAP_HASHING: CredentialHashing = { password: CHEAP, pin: CHEAP };

export interface HubAccount {
  readonly userId: string;
  readonly username: string;
  password: string;
  readonly role: StaffRole;
  wards: string[];
  credentialStamp: string;
  disabled: boolean;
  /** Locked at the hub after too many failed sign-ins. */
  locked: boolean;
  /** When set, the hub asks for this TOTP code. */
  totp: string | null;
  /** The account's TOTP secret (base32), handed over with a sign-in that passed its code. */
  totpSecret?: string;
  readonly pin: string;
}

export function wardStaff(): HubAccount[] {
  const account = (userId: string, username: string, role: StaffRole, wards: string[], pin: string): HubAccount => ({
    userId,
    username,
    password: `${username}-Passw0rd!`,
    role,
    wards,
    credentialStamp: `stamp-${userId}-1`,
    disabled: false,
    locked: false,
    totp: null,
    pin,
  });
  return [
    account('u-nurse-1', 'nina', 'nurse', [TEST_WARD], '2468'),
    account('u-nurse-2', 'noor', 'nurse', [TEST_WARD, 'icu'], '13579'),
    account('u-phys-1', 'paul', 'physician', [TEST_WARD, 'cardio'], '808080'),
    account('u-clerk-1', 'carla', 'clerk', [TEST_WARD], '4231'),
    account('u-admin-1', 'adam', 'admin', [TEST_WARD], '97531'),
    account('u-phys-2', 'vera', 'physician', ['cardio'], '1357'),
  ];
}

/**
 * Answers as the hub's POST /auth/login does (same refusal codes, same SessionResponse shape), from
 * a table of accounts the test can change: a password reset, a disabled account, a network outage.
 */
export class ScriptedHubLogin implements HubLogin {
  reachable = true;
  calls = 0;
  private counter = 0;

  constructor(
    readonly accounts: HubAccount[],
    private readonly deviceWard: string = TEST_WARD,
  ) {}

  account(username: string): HubAccount {
    const found = this.accounts.find((a) => a.username === username);
    if (found === undefined) throw new Error(`no test account ${username}`);
    return found;
  }

  async isReachable(): Promise<boolean> {
    return this.reachable;
  }

  async login(username: string, password: string, totp?: string): Promise<HubLoginResult> {
    this.calls += 1;
    if (!this.reachable) throw new Error('connect ECONNREFUSED');
    const a = this.accounts.find((x) => x.username === username);
    if (a?.locked === true)
      return refused('ACCOUNT_LOCKED', 'This account is locked after too many failed sign-ins. Try again in 15 minute(s).');
    if (a === undefined || a.password !== password) return refused('INVALID_CREDENTIALS', 'The username or password is wrong.');
    if (a.disabled) return refused('ACCOUNT_DISABLED', 'This account is disabled. Ask IT if you should have access.');
    if (a.totp !== null && totp === undefined) return refused('MFA_REQUIRED', 'Enter the 6-digit code from your authenticator app.');
    if (a.totp !== null && totp !== a.totp) return refused('MFA_INVALID', 'The 6-digit code is wrong or too old.');
    if (!a.wards.includes(this.deviceWard))
      return refused('WARD_NOT_ASSIGNED', 'Your account is not assigned to the ward of this workstation.');
    this.counter += 1;
    const user = { userId: a.userId, username: a.username, role: a.role, wards: [...a.wards] };
    const session: SessionResponse = {
      accessToken: `access-${this.counter}`,
      refreshToken: `refresh-${this.counter}`,
      expiresIn: 900,
      refreshExpiresIn: 12 * 3600,
      user,
      offlineVerifier: {
        ...user,
        credentialStamp: a.credentialStamp,
        mfaRequired: a.totp !== null,
        issuedAt: new Date(0).toISOString(),
        ...(a.totp !== null && a.totpSecret !== undefined ? { totpSecret: a.totpSecret } : {}),
      },
    };
    return { outcome: 'signed-in', session };
  }

  /** What GET /auth/credential-stamps answers for the device's ward. */
  stamps(): CredentialStampsResponse {
    return {
      ward: this.deviceWard,
      users: this.accounts
        .filter((a) => a.wards.includes(this.deviceWard))
        .map((a) => ({
          userId: a.userId,
          username: a.username,
          credentialStamp: a.credentialStamp,
          disabled: a.disabled,
          locked: a.locked,
        })),
    };
  }

  /** The hub-side password change: new password, new stamp. */
  changePassword(username: string, password: string): void {
    const a = this.account(username);
    a.password = password;
    a.credentialStamp = `${a.credentialStamp}+`;
  }
}

function refused(code: string, message: string): HubLoginResult {
  return { outcome: 'refused', code, message };
}

export interface SessionHarness {
  readonly clock: FakeClock;
  readonly power: ControllablePowerEvents;
  readonly store: InMemoryCredentialStore;
  readonly sink: MemorySessionEventSink;
  readonly hub: ScriptedHubLogin;
  readonly manager: SessionManager;
  /** Every purge notice the renderer would have received, in order. */
  readonly purges: { sessionId: string; userId: string }[];
}

/** A SessionManager on a fake clock, controllable power events, an in-memory store and the scripted hub. */
export function sessionHarness(overrides: Partial<SessionManagerOptions> = {}): SessionHarness {
  const clock = new FakeClock();
  const power = new ControllablePowerEvents();
  const store = new InMemoryCredentialStore();
  const sink = new MemorySessionEventSink();
  const hub = new ScriptedHubLogin(wardStaff());
  let n = 0;
  const manager = new SessionManager({
    clock,
    scheduler: clock,
    powerEvents: power,
    credentials: store,
    events: sink,
    workstationWard: TEST_WARD,
    hubLogin: hub,
    hashing: CHEAP_HASHING,
    newSessionId: () => `s-${++n}`,
    ...overrides,
  });
  const purges: { sessionId: string; userId: string }[] = [];
  manager.onRendererPurge((p) => purges.push(p));
  return { clock, power, store, sink, hub, manager, purges };
}

/** Signs `username` in online with their hub password. */
export function signInAs(h: SessionHarness, username: string): ReturnType<SessionManager['signInOnline']> {
  return h.manager.signInOnline(username, h.hub.account(username).password);
}
