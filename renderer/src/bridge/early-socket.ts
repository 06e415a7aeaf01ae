// The loopback WebSocket, opened the moment this module is evaluated (bridge-entry.ts imports it
// first, before the contract's schemas are built), so the handshake with the host overlaps the
// rest of the page's start. The bridge takes it over when it connects the first time.
import { LOOPBACK_IPC_PATH } from '../../../shared/loopback/index.js';
import { needsLoopbackBridge } from './loopback-page.js';

/** `ws://127.0.0.1:<port>/ipc` for a page served from `http://127.0.0.1:<port>`. */
export function loopbackIpcUrl(location: Pick<Location, 'host'>): string {
  return `ws://${location.host}${LOOPBACK_IPC_PATH}`;
}

let early: WebSocket | null = typeof window !== 'undefined' && needsLoopbackBridge(window) ? new WebSocket(loopbackIpcUrl(window.location)) : null;

/** The socket opened at start, if it goes to `url` (once; later calls get null). */
export function takeEarlySocket(url: string): WebSocket | null {
  const socket = early;
  early = null;
  if (socket === null || socket.url === url) return socket;
  socket.close();
  return null;
}
