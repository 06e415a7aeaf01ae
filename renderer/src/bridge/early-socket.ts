// The loopback WebSocket, opened as the page starts (shell/host-start.ts), before the bridge's
// script, with zod and the contract, has even loaded: the handshake and the page's first question
// (session:state) overlap loading and building the bridge. The bridge takes the socket over, with
// the frames that arrived meanwhile, when it first connects. Free of zod, to sit in the small entry.
import type { InvokeMessage } from '../../../shared/contract/index.js';
import { LOOPBACK_IPC_PATH } from '../../../shared/loopback/endpoint.js';
import type { AdoptedSocket } from './loopback-bridge.js';

/** Asked as soon as the socket opens: who is at the workstation (the app's first question). */
export const EARLY_INVOKE: InvokeMessage = { channel: 'session:state', request: {} };
const EARLY_INVOKE_ID = 0;

/** `ws://127.0.0.1:<port>/ipc` for a page served from `http://127.0.0.1:<port>`. */
export function loopbackIpcUrl(location: Pick<Location, 'host'>): string {
  return `ws://${location.host}${LOOPBACK_IPC_PATH}`;
}

let early: { readonly adopted: AdoptedSocket; readonly stop: () => void } | null = null;

/** Opens the socket for a page served from `location` (once) and asks EARLY_INVOKE when it opens. */
export function openEarlySocket(
  location: Pick<Location, 'host'>,
  createSocket: (url: string) => WebSocket = (url) => new WebSocket(url),
): void {
  if (early !== null) return;
  const socket = createSocket(loopbackIpcUrl(location));
  const received: unknown[] = [];
  const sent: Array<{ id: number; message: InvokeMessage }> = [];
  const ask = (): void => {
    socket.send(JSON.stringify({ id: EARLY_INVOKE_ID, type: 'invoke', message: EARLY_INVOKE }));
    sent.push({ id: EARLY_INVOKE_ID, message: EARLY_INVOKE });
  };
  const keep = (event: MessageEvent): void => void received.push(event.data);
  socket.addEventListener('open', ask);
  socket.addEventListener('message', keep);
  const stop = (): void => {
    socket.removeEventListener('open', ask);
    socket.removeEventListener('message', keep);
  };
  early = { adopted: { socket, received, sent }, stop };
}

/** The socket opened at start, with what went over it, if it goes to `url` (once; then null). */
export function takeEarlySocket(url: string): AdoptedSocket | null {
  const taken = early;
  early = null;
  if (taken === null) return null;
  taken.stop();
  if (taken.adopted.socket.url === url) return taken.adopted;
  taken.adopted.socket.close();
  return null;
}
