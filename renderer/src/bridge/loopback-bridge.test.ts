import { describe, expect, it } from 'vitest';
import { EARLY_INVOKE } from './early-socket.js';
import { loopbackBridge, type AdoptedSocket } from './loopback-bridge.js';
import { TestSocket } from './test-socket.js';

const URL = 'ws://127.0.0.1:4321/ipc';
const OTHER = { channel: 'sync:status', request: {} };

function adopting(adopted: AdoptedSocket): (url: string) => AdoptedSocket | null {
  let given = false;
  return (url) => {
    if (given || url !== URL) return null;
    given = true;
    return adopted;
  };
}

describe('the loopback bridge taking over the socket the page opened at start', () => {
  it('gives the answer that came before the bridge to the first identical invoke, without asking again', async () => {
    const early = new TestSocket(URL, 1);
    const adopted = {
      socket: early.asWebSocket(),
      sent: [{ id: 0, message: EARLY_INVOKE }],
      received: [JSON.stringify({ id: 0, type: 'reply', reply: { ok: true, value: 'early' } })],
    };
    const bridge = loopbackBridge({ url: URL, adopt: adopting(adopted), createSocket: () => new TestSocket(URL).asWebSocket() });
    await expect(bridge.invoke(EARLY_INVOKE)).resolves.toEqual({ ok: true, value: 'early' });
    expect(early.sent).toEqual([]);
    // a second identical invoke, and any other, go to the host
    const again = bridge.invoke(EARLY_INVOKE);
    const other = bridge.invoke(OTHER);
    expect(early.sentIds()).toEqual([1, 2]);
    early.answer(1, { ok: true, value: 'fresh' });
    early.answer(2, { ok: true, value: 'other' });
    await expect(again).resolves.toEqual({ ok: true, value: 'fresh' });
    await expect(other).resolves.toEqual({ ok: true, value: 'other' });
    bridge.close();
  });

  it('waits for an early answer still on its way, and sends what was asked meanwhile once the socket opens', async () => {
    const early = new TestSocket(URL, 1);
    const bridge = loopbackBridge({
      url: URL,
      adopt: adopting({ socket: early.asWebSocket(), sent: [{ id: 0, message: EARLY_INVOKE }], received: [] }),
    });
    const state = bridge.invoke(EARLY_INVOKE);
    expect(early.sent).toEqual([]);
    early.answer(0, { ok: true, value: 'late' });
    await expect(state).resolves.toEqual({ ok: true, value: 'late' });

    const connecting = new TestSocket(URL, 0);
    const second = loopbackBridge({ url: URL, adopt: adopting({ socket: connecting.asWebSocket(), sent: [], received: [] }) });
    const asked = second.invoke(OTHER);
    expect(connecting.sent).toEqual([]);
    connecting.open();
    expect(connecting.sentIds()).toEqual([1]);
    connecting.answer(1, { ok: true, value: 'after open' });
    await expect(asked).resolves.toEqual({ ok: true, value: 'after open' });
    bridge.close();
    second.close();
  });

  it('connects anew when the socket it was handed has closed already, and asks again there', async () => {
    const sockets: TestSocket[] = [];
    const bridge = loopbackBridge({
      url: URL,
      minDelayMs: 1,
      adopt: adopting({ socket: new TestSocket(URL, 3).asWebSocket(), sent: [{ id: 0, message: EARLY_INVOKE }], received: [] }),
      createSocket: (url) => {
        sockets.push(new TestSocket(url, 1));
        return sockets.at(-1)!.asWebSocket();
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sockets).toHaveLength(1);
    const state = bridge.invoke(EARLY_INVOKE);
    expect(sockets[0]!.sentIds()).toEqual([1]);
    sockets[0]!.answer(1, { ok: true, value: 'again' });
    await expect(state).resolves.toEqual({ ok: true, value: 'again' });
    bridge.close();
  });
});
