// The page's side of the loopback link (renderer/src/bridge), driven against a WebSocket server
// the test controls: invokes made before the socket opens arrive, answers find their invoke,
// a dropped connection fails what was waiting (the contract answers INTERNAL) and the bridge
// comes back by itself, waiting longer after each failed attempt.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createWardlineApi } from '../../shared/contract/index.js';
import { loopbackBridge, type LoopbackBridge } from '../../renderer/src/bridge/loopback-bridge.js';

interface Host {
  readonly url: string;
  readonly server: WebSocketServer;
  /** When each connection attempt arrived. */
  readonly attempts: number[];
  /** Attempts still to refuse (401, no handshake), as the loopback server refuses a page. */
  refuse: number;
  /** Invokes received so far. */
  received: number;
  /** What the host answers; null: never answer. */
  answer: ((message: { channel: string }) => unknown) | null;
}

const opened: Array<{ close(): void }> = [];

afterEach(() => {
  for (const item of opened.splice(0)) item.close();
  vi.restoreAllMocks();
});

async function startHost(): Promise<Host> {
  const attempts: number[] = [];
  let host: Host | null = null;
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info, accept) => {
      attempts.push(Date.now());
      if (host !== null && host.refuse > 0) {
        host.refuse -= 1;
        accept(false, 401);
      } else accept(true);
    },
  });
  await new Promise((resolve) => server.once('listening', resolve));
  host = {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ipc`,
    server,
    attempts,
    refuse: 0,
    received: 0,
    answer: () => ({ ok: true, value: { status: 'signed-out', active: null, locked: [], lastEnded: null } }),
  };
  const self = host;
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id: number; message: { channel: string } };
      self.received += 1;
      if (self.answer !== null) socket.send(JSON.stringify({ id: frame.id, type: 'reply', reply: self.answer(frame.message) }));
    });
  });
  opened.push({ close: () => server.close() });
  return self;
}

function bridgeTo(host: Host, options: { minDelayMs?: number; maxDelayMs?: number } = {}): LoopbackBridge {
  const bridge = loopbackBridge({
    url: host.url,
    createSocket: (url) => new WebSocket(url) as unknown as globalThis.WebSocket,
    ...options,
  });
  opened.push(bridge);
  return bridge;
}

describe('the loopback bridge', () => {
  it('sends invokes made before the socket opens, and matches each answer to its invoke', async () => {
    const host = await startHost();
    host.answer = (message) => ({ ok: false, error: { code: 'ECHO', message: message.channel } });
    const bridge = bridgeTo(host);
    const answers = await Promise.all([bridge.invoke({ channel: 'a:one', request: {} }), bridge.invoke({ channel: 'b:two', request: {} })]);
    expect(answers).toEqual([
      { ok: false, error: { code: 'ECHO', message: 'a:one' } },
      { ok: false, error: { code: 'ECHO', message: 'b:two' } },
    ]);
  });

  it("delivers the host's events to subscribers, and ignores frames it cannot read", async () => {
    const host = await startHost();
    const bridge = bridgeTo(host);
    const received: unknown[] = [];
    bridge.subscribe((message) => received.push(message));
    await bridge.invoke({ channel: 'session:state', request: {} });
    for (const socket of host.server.clients) {
      socket.send('not json');
      socket.send(JSON.stringify({ type: 'surprise' }));
      socket.send(JSON.stringify({ type: 'event', message: { event: 'session:purge', payload: { sessionId: 's', userId: 'u' } } }));
    }
    await expect.poll(() => received).toEqual([{ event: 'session:purge', payload: { sessionId: 's', userId: 'u' } }]);
  });

  it('fails what was waiting when the connection drops (the API answers INTERNAL), then reconnects with growing waits', async () => {
    // The bridge spreads its waits by ±20 % at random; at the middle of that spread the waits are
    // 200, 400 and 800 ms, so a busy machine's delay in one attempt cannot reverse their order.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const host = await startHost();
    const api = createWardlineApi(bridgeTo(host, { minDelayMs: 200, maxDelayMs: 800 }));
    expect(await api.session.state()).toMatchObject({ ok: true, value: { status: 'signed-out' } });
    host.answer = null;
    const waiting = api.session.state();
    await expect.poll(() => host.received).toBe(2);
    // Refuse the next two attempts: the bridge keeps trying, waiting longer each time.
    host.refuse = 2;
    host.answer = () => ({ ok: true, value: { status: 'signed-out', active: null, locked: [], lastEnded: null } });
    for (const socket of host.server.clients) socket.terminate();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await expect.poll(() => host.attempts.length, { timeout: 15_000 }).toBe(4);
    const [, retry1, retry2, retry3] = host.attempts as [number, number, number, number];
    expect(retry2 - retry1).toBeGreaterThanOrEqual(380);
    expect(retry3 - retry2).toBeGreaterThan(retry2 - retry1);
    await expect.poll(() => api.session.state().then((r) => r.ok), { timeout: 15_000 }).toBe(true);
  });
});
