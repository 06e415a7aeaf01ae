import { describe, expect, it } from 'vitest';
import { CERTIFICATE_REJECT } from './certificate-pinning.js';
import { hardenSession, hardenWebContents, type HardenableContents, type HardenableSession } from './hardening.js';
import {
  devicePermissionHandler,
  navigationBlocker,
  permissionCheckHandler,
  permissionRequestHandler,
  schemeOf,
  windowOpenHandler,
  type Refusal,
} from './navigation-guards.js';

const PERMISSIONS = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'geolocation',
  'idle-detection',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'pointerLock',
  'keyboardLock',
  'openExternal',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'unknown',
  'fileSystem',
] as const;

type Handler = (...args: never[]) => unknown;

/** Records what the hardening installs on a session (Electron's Session has these methods). */
function recordingSession() {
  const installed = new Map<string, unknown>();
  const record = (name: string) => (value: unknown) => void installed.set(name, value);
  const session = {
    setPermissionRequestHandler: record('permissionRequest'),
    setPermissionCheckHandler: record('permissionCheck'),
    setDevicePermissionHandler: record('devicePermission'),
    setDisplayMediaRequestHandler: record('displayMedia'),
    setCertificateVerifyProc: record('certificateVerify'),
    setSpellCheckerEnabled: record('spellChecker'),
  } as unknown as HardenableSession;
  return { session, installed };
}

function recordingContents() {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  let windowOpen: Handler | null = null;
  let devToolsClosed = 0;
  const contents = {
    setWindowOpenHandler: (handler: Handler) => void (windowOpen = handler),
    on: (event: string, listener: (...args: unknown[]) => void) => {
      listeners.set(event, listener);
      return contents;
    },
    closeDevTools: () => void (devToolsClosed += 1),
  } as unknown as HardenableContents;
  return { contents, listeners, windowOpen: () => windowOpen, devToolsClosed: () => devToolsClosed };
}

describe('the session and page hardening', () => {
  it('denies every permission a page can request or check, and every device', () => {
    const refusals: Refusal[] = [];
    const request = permissionRequestHandler((r) => refusals.push(r));
    for (const permission of PERMISSIONS) {
      let granted: boolean | null = null;
      request({} as never, permission, (answer) => (granted = answer), {} as never);
      expect(granted).toBe(false);
      expect(permissionCheckHandler()(null, 'media', 'app://wardline', {} as never)).toBe(false);
    }
    expect(refusals.map((r) => r.detail)).toEqual([...PERMISSIONS]);
    expect(devicePermissionHandler()({} as never)).toBe(false);
  });

  it("denies every new window and stops every navigation, logging only the URL's scheme", () => {
    const refusals: Refusal[] = [];
    const open = windowOpenHandler((r) => refusals.push(r));
    expect(
      open({
        url: 'https://evil.example/?mrn=123',
        frameName: '',
        features: '',
        disposition: 'new-window',
        referrer: {} as never,
        postBody: undefined,
      } as never),
    ).toEqual({ action: 'deny' });
    let prevented = 0;
    navigationBlocker('navigation', (r) => refusals.push(r))({ preventDefault: () => void (prevented += 1), url: 'file:///etc/passwd' });
    expect(prevented).toBe(1);
    expect(refusals).toEqual([
      { kind: 'window-open', detail: 'https' },
      { kind: 'navigation', detail: 'file' },
    ]);
    expect(schemeOf('javascript:alert(1)')).toBe('javascript');
  });

  it('installs every handler on the session, spellchecker off, certificates pinned', () => {
    const { session, installed } = recordingSession();
    hardenSession(session, {
      pinning: { pinned: new Map([['hub.hospital.example', ['pin']]]), publicHosts: new Set() },
      onRefused: () => undefined,
    });
    expect([...installed.keys()].sort()).toEqual([
      'certificateVerify',
      'devicePermission',
      'displayMedia',
      'permissionCheck',
      'permissionRequest',
      'spellChecker',
    ]);
    expect(installed.get('spellChecker')).toBe(false);
    let verdict: number | null = null;
    (installed.get('certificateVerify') as (req: unknown, cb: (v: number) => void) => void)(
      { hostname: 'elsewhere.example', certificate: { data: '' } },
      (v) => (verdict = v),
    );
    expect(verdict).toBe(CERTIFICATE_REJECT);
    let granted: boolean | null = null;
    (installed.get('permissionRequest') as (...a: unknown[]) => void)({}, 'media', (answer: boolean) => (granted = answer), {});
    expect(granted).toBe(false);
  });

  it('guards each page: windows denied, navigation, frame navigation, redirects and webviews stopped', () => {
    const { contents, listeners, windowOpen } = recordingContents();
    hardenWebContents(contents, { packaged: false, onRefused: () => undefined });
    expect((windowOpen() as Handler)({ url: 'https://x.example' } as never)).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      listeners.get(event)!({ preventDefault: () => (prevented = true), url: 'https://x.example' });
      expect(prevented, event).toBe(true);
    }
    expect(listeners.has('devtools-opened')).toBe(false);
  });

  it('closes devtools at once in a packaged build', () => {
    const { contents, listeners, devToolsClosed } = recordingContents();
    const refusals: Refusal[] = [];
    hardenWebContents(contents, { packaged: true, onRefused: (r) => refusals.push(r) });
    listeners.get('devtools-opened')!();
    expect(devToolsClosed()).toBe(1);
    expect(refusals).toEqual([{ kind: 'devtools', detail: 'devtools' }]);
  });
});
