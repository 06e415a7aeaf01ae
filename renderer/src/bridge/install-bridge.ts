// Gives the page its `window.wardline` when no Electron preload did: on a page served by the
// host's loopback server (http://127.0.0.1:<port>, evaluation mode and e2e tests), the contract's
// API over the loopback WebSocket (the one the page opened at start, and its early answer, if there).
// Anywhere else it does nothing, so the page stays without a host.
import { createWardlineApi, WARDLINE_GLOBAL } from '../../../shared/contract/index.js';
import { loopbackIpcUrl, takeEarlySocket } from './early-socket.js';
import { loopbackBridge } from './loopback-bridge.js';
import { needsLoopbackBridge } from './loopback-page.js';

/** Installs the loopback bridge as `window.wardline` (read-only) when the page needs it; true if it did. */
export function installBridge(target: Window = window): boolean {
  if (!needsLoopbackBridge(target)) return false;
  const api = createWardlineApi(loopbackBridge({ url: loopbackIpcUrl(target.location), adopt: takeEarlySocket }));
  Object.defineProperty(target, WARDLINE_GLOBAL, { value: api, writable: false, configurable: false, enumerable: true });
  return true;
}
