import { describe, expect, it } from 'vitest';
import { LOOPBACK_IPC_PATH } from '../../../shared/loopback/index.js';
import { EARLY_INVOKE, loopbackIpcUrl, openEarlySocket, takeEarlySocket } from './early-socket.js';
import { needsLoopbackBridge } from './loopback-page.js';
import { TestSocket } from './test-socket.js';

describe('the page start on loopback', () => {
  it('wants the bridge only on a page the loopback server served and without a preload API', () => {
    const loopback = { protocol: 'http:', hostname: '127.0.0.1' };
    expect(needsLoopbackBridge({ location: loopback })).toBe(true);
    expect(needsLoopbackBridge({ location: loopback, wardline: {} })).toBe(false);
    expect(needsLoopbackBridge({ location: { protocol: 'app:', hostname: 'wardline' } })).toBe(false);
    expect(needsLoopbackBridge({ location: { protocol: 'http:', hostname: 'localhost' } })).toBe(false);
  });

  it('opens one socket to the loopback path, asks session:state the moment it opens, and hands both over once', () => {
    const opened: TestSocket[] = [];
    const create = (url: string): WebSocket => {
      opened.push(new TestSocket(url));
      return opened.at(-1)!.asWebSocket();
    };
    openEarlySocket({ host: '127.0.0.1:4321' }, create);
    openEarlySocket({ host: '127.0.0.1:4321' }, create);
    expect(opened.map((s) => s.url)).toEqual([`ws://127.0.0.1:4321${LOOPBACK_IPC_PATH}`]);
    opened[0]!.open();
    expect(opened[0]!.sent.map((text) => JSON.parse(text) as unknown)).toEqual([{ id: 0, type: 'invoke', message: EARLY_INVOKE }]);
    opened[0]!.answer(0, { ok: true, value: 'state' });

    const taken = takeEarlySocket(loopbackIpcUrl({ host: '127.0.0.1:4321' }));
    expect(taken?.socket).toBe(opened[0]);
    expect(taken?.sent).toEqual([{ id: 0, message: EARLY_INVOKE }]);
    expect(taken?.received).toHaveLength(1);
    expect(takeEarlySocket(loopbackIpcUrl({ host: '127.0.0.1:4321' }))).toBeNull();
  });

  it('closes a socket opened for another address instead of handing it over', () => {
    let socket: TestSocket | null = null;
    openEarlySocket({ host: '127.0.0.1:1111' }, (url) => (socket = new TestSocket(url)).asWebSocket());
    expect(takeEarlySocket(loopbackIpcUrl({ host: '127.0.0.1:2222' }))).toBeNull();
    expect(socket!.readyState).toBe(3);
  });
});
