// The loopback WebSocket as a page (or an attacker on this machine) meets it: only a page of this
// server holding a session gets a connection; its invokes reach the host's router and the host's
// events reach it; junk is dropped and a page that keeps sending it is cut off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOPBACK_MAX_FRAME_BYTES } from '../../shared/loopback/index.js';
import { FrameClient, sessionCookieFrom, startLoopbackHost, trySocket, type LoopbackHost } from './loopback-kit.js';

let stack: LoopbackHost;
let port: number;
let origin: string;
let cookie: string;

beforeAll(async () => {
  stack = await startLoopbackHost();
  port = stack.server.port;
  origin = stack.server.origin;
  cookie = await sessionCookieFrom(stack.server.issueUrl());
});

afterAll(async () => {
  await stack?.close();
});

async function connect(): Promise<FrameClient> {
  const outcome = await trySocket(port, { cookie, origin });
  if (!('opened' in outcome)) throw new Error(`the socket was refused with ${outcome.refused}`);
  return new FrameClient(outcome.opened);
}

describe('loopback WebSocket: who may connect', () => {
  it('refuses a connection without the session cookie, or with one it never set', async () => {
    expect(await trySocket(port, { origin })).toEqual({ refused: 401 });
    expect(await trySocket(port, { origin, cookie: `wardline_session_${port}=${'C'.repeat(43)}` })).toEqual({ refused: 401 });
  });

  it('refuses a page of another origin (or none) even with the cookie, and any other Host or path', async () => {
    for (const other of ['http://127.0.0.1:1', 'http://localhost:' + port, 'https://evil.example', 'null']) {
      expect(await trySocket(port, { cookie, origin: other }), other).toEqual({ refused: 403 });
    }
    expect(await trySocket(port, { cookie })).toEqual({ refused: 403 });
    expect(await trySocket(port, { cookie, origin, host: `evil.example:${port}` })).toEqual({ refused: 403 });
    expect(await trySocket(port, { cookie, origin, path: '/ipc2' })).toEqual({ refused: 404 });
    expect(stack.server.connectedPages()).toBe(0);
  });
});

describe('loopback WebSocket: the page and the host', () => {
  it("carries an invoke to the host's router and its answer back; the router still refuses unknown channels", async () => {
    const client = await connect();
    const state = await client.invoke('session:state');
    expect(state).toMatchObject({ ok: true, value: { status: 'signed-out', active: null } });
    expect(await client.invoke('vault:dump')).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    expect(await client.invoke('session:state', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    client.socket.close();
  });

  it('pushes the session:purge event to the page when the session locks', async () => {
    const client = await connect();
    const nina = stack.staff.find((a) => a.username === 'nina')!;
    const signIn = await client.invoke('session:sign-in', { username: 'nina', password: nina.password });
    expect(signIn).toMatchObject({ ok: true });
    expect(client.events).toEqual([]);
    await client.invoke('session:lock');
    expect(await client.invoke('session:state')).toMatchObject({ ok: true, value: { status: 'locked', active: null } });
    await expect
      .poll(() => client.events)
      .toEqual([{ event: 'session:purge', payload: { sessionId: expect.any(String), userId: expect.any(String) } }]);
    client.socket.close();
  });

  it('drops frames that are not invokes, and cuts off a page that keeps sending them', async () => {
    const client = await connect();
    client.socket.send('not json');
    client.socket.send(JSON.stringify({ id: 1, type: 'reply', reply: {} }));
    expect(await client.invoke('session:state')).toMatchObject({ ok: true });
    client.socket.send(Buffer.from([1, 2, 3]));
    client.socket.send(JSON.stringify({ id: -1, type: 'invoke', message: {} }));
    client.socket.send('{');
    expect(await client.closed()).toBe(1008);
  });

  it('closes a connection that sends a frame over the size limit', async () => {
    const client = await connect();
    client.socket.send(
      JSON.stringify({
        id: 1,
        type: 'invoke',
        message: { channel: 'session:state', request: { pad: 'x'.repeat(LOOPBACK_MAX_FRAME_BYTES) } },
      }),
    );
    expect(await client.closed()).toBe(1009);
  });

  it('disconnects every page when the server stops', async () => {
    const client = await connect();
    expect(stack.server.connectedPages()).toBeGreaterThanOrEqual(1);
    const closing = client.closed();
    await stack.server.close();
    expect(await closing).toBe(1006);
  });
});
