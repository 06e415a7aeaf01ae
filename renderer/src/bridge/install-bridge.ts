// Gives the page its `window.wardline` when no Electron preload did: on a page served by the
// host's loopback server (http://127.0.0.1:<port>, evaluation mode and e2e tests), the contract's
// API over the loopback WebSocket. Anywhere else it does nothing, so the page stays without a host.
import { createWardlineApi, WARDLINE_GLOBAL } from '../../../shared/contract/index.js';
import { LOOPBACK_IPC_PATH } from '../../../shared/loopback/index.js';
import { loopbackBridge } from './loopback-bridge.js';

/** Installs the loopback bridge as `window.wardline` (read-only) when the page needs it; true if it did. */
export function installBridge(target: Window = window): boolean {
  if (target.wardline !== undefined) return false;
  const { protocol, hostname, host } = target.location;
  if (protocol !== 'http:' || hostname !== '127.0.0.1') return false;
  const api = createWardlineApi(loopbackBridge({ url: `ws://${host}${LOOPBACK_IPC_PATH}` }));
  Object.defineProperty(target, WARDLINE_GLOBAL, { value: api, writable: false, configurable: false, enumerable: true });
  return true;
}
