import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/contract/index.js';
import type { PowerEventKind } from '../session/index.js';
import { chooseKeyCustodian } from './key-custodian-choice.js';
import { appSenderCheck, senderInfoOf } from './ipc-sender.js';
import { ipcMainTransport } from './ipc-main-transport.js';
import { PowerMonitorEvents } from './power-monitor-events.js';

describe("the Electron adapters of the host's ports", () => {
  it("turns powerMonitor's events into PowerEvents, and unsubscribes completely", () => {
    const monitor = new EventEmitter();
    const seen: PowerEventKind[] = [];
    const stop = new PowerMonitorEvents(monitor as never).subscribe((kind) => seen.push(kind));
    for (const kind of ['lock-screen', 'suspend', 'resume', 'unlock-screen', 'shutdown']) monitor.emit(kind);
    expect(seen).toEqual(['lock-screen', 'suspend', 'resume', 'unlock-screen']);
    stop();
    expect(monitor.eventNames()).toEqual([]);
  });

  it('serves every request on the one invoke channel, with the sender as the frame says it is', async () => {
    const handlers = new Map<string, (event: unknown, message: unknown) => unknown>();
    const sent: unknown[][] = [];
    const transport = ipcMainTransport({
      ipcMain: {
        handle: (channel: string, fn: (event: unknown, message: unknown) => unknown) => void handlers.set(channel, fn),
        removeHandler: (channel: string) => void handlers.delete(channel),
      } as never,
      target: () => ({ send: (...args: unknown[]) => void sent.push(args), isDestroyed: () => false }) as never,
    });
    const stop = transport.serve(async (request) => ({ ok: true, value: request }));
    expect([...handlers.keys()]).toEqual([IPC_INVOKE]);
    const event = { sender: { id: 7 }, senderFrame: { url: 'app://wardline/index.html', parent: null } };
    expect(await handlers.get(IPC_INVOKE)!(event, { channel: 'session:state', request: {} })).toEqual({
      ok: true,
      value: {
        sender: { frameUrl: 'app://wardline/index.html', isMainFrame: true, contentsId: 7 },
        message: { channel: 'session:state', request: {} },
      },
    });
    transport.emit({ event: 'session:purge', payload: { sessionId: 's', userId: 'u' } });
    expect(sent).toEqual([[IPC_EVENT, { event: 'session:purge', payload: { sessionId: 's', userId: 'u' } }]]);
    stop();
    expect(handlers.size).toBe(0);
  });

  it('sees an iframe, or a frame already gone, for what it is', () => {
    expect(senderInfoOf({ sender: { id: 1 }, senderFrame: { url: 'app://wardline/', parent: {} } } as never)).toEqual({
      frameUrl: 'app://wardline/',
      isMainFrame: false,
      contentsId: 1,
    });
    expect(senderInfoOf({ sender: { id: 1 }, senderFrame: null } as never)).toEqual({ frameUrl: null, isMainFrame: false, contentsId: 1 });
    const disposed = {
      sender: { id: 1 },
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
    };
    expect(senderInfoOf(disposed as never)).toEqual({ frameUrl: null, isMainFrame: false, contentsId: 1 });
  });

  it("trusts only the top app:// frame of the host's own window", () => {
    const trusted = appSenderCheck(() => new Set([1]));
    expect(trusted({ frameUrl: 'app://wardline/index.html', isMainFrame: true, contentsId: 1 })).toBe(true);
    expect(trusted({ frameUrl: 'app://wardline/index.html', isMainFrame: true, contentsId: 2 })).toBe(false);
    expect(trusted({ frameUrl: 'app://wardline/index.html', isMainFrame: false, contentsId: 1 })).toBe(false);
    expect(trusted({ frameUrl: 'app://wardline.evil/index.html', isMainFrame: true, contentsId: 1 })).toBe(false);
    expect(trusted({ frameUrl: 'file:///opt/Wardline/index.html', isMainFrame: true, contentsId: 1 })).toBe(false);
    expect(trusted({ frameUrl: 'not a url', isMainFrame: true, contentsId: 1 })).toBe(false);
  });

  it('keeps keys where they are, and uses safeStorage for a new data directory only where it protects the key', () => {
    const storage = (available: boolean, backend: string) => ({
      isEncryptionAvailable: () => available,
      getSelectedStorageBackend: () => backend as never,
    });
    const fresh = { hasWrappedKeys: false, hasEncryptedData: false };
    expect(chooseKeyCustodian({ platform: 'win32', safeStorage: storage(true, 'unknown'), ...fresh })).toBe('safe-storage');
    expect(chooseKeyCustodian({ platform: 'linux', safeStorage: storage(true, 'gnome_libsecret'), ...fresh })).toBe('safe-storage');
    expect(chooseKeyCustodian({ platform: 'linux', safeStorage: storage(true, 'basic_text'), ...fresh })).toBe('keytar');
    expect(chooseKeyCustodian({ platform: 'darwin', safeStorage: storage(false, 'unknown'), ...fresh })).toBe('keytar');
    // A vault made by the wardline CLI has its keys in the OS keystore through keytar.
    expect(
      chooseKeyCustodian({ platform: 'win32', safeStorage: storage(true, 'unknown'), hasWrappedKeys: false, hasEncryptedData: true }),
    ).toBe('keytar');
    // Keys wrapped by safeStorage are never looked for elsewhere.
    expect(
      chooseKeyCustodian({
        platform: 'linux',
        safeStorage: storage(true, 'gnome_libsecret'),
        hasWrappedKeys: true,
        hasEncryptedData: true,
      }),
    ).toBe('safe-storage');
    expect(
      chooseKeyCustodian({ platform: 'linux', safeStorage: storage(true, 'basic_text'), hasWrappedKeys: true, hasEncryptedData: true }),
    ).toBe('unavailable');
  });
});
