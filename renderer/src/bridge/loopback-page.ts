// Whether a page needs the loopback bridge for its window.wardline: no Electron preload gave it
// one, and the host's loopback server served it (http://127.0.0.1, evaluation mode and e2e tests).
// Free of the contract, so the page's small entry can decide before loading the bridge.

export interface PageLike {
  readonly wardline?: unknown;
  readonly location: Pick<Location, 'protocol' | 'hostname'>;
}

export function needsLoopbackBridge(page: PageLike): boolean {
  if (page.wardline !== undefined) return false;
  return page.location.protocol === 'http:' && page.location.hostname === '127.0.0.1';
}
