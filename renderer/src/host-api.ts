// The renderer's only door to the host: `window.wardline`, typed from the contract in shared/.
// `call` turns a failed answer into a HostRequestError whose message is safe to show as is.
import type { IpcResult, WardlineApi } from '../../shared/contract/index.js';
import { WardlineError } from '../../shared/errors/index.js';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or by the loopback bridge (evaluation mode). */
    readonly wardline?: WardlineApi;
  }
}

/** A request the host refused or could not answer; `code` is the contract's stable error code. */
export class HostRequestError extends WardlineError {
  override readonly name = 'HostRequestError';

  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** The host API; throws when the page was opened without a host behind it. */
export function hostApi(): WardlineApi {
  const api = window.wardline;
  if (api === undefined)
    throw new HostRequestError('NO_HOST', 'Wardline is not connected to its host. Close this window and start Wardline again.');
  return api;
}

const failureListeners = new Set<(error: HostRequestError) => void>();

/**
 * Hears every refused call made through `call` (the shell uses it to purge the window when the
 * host answers LOCKED or NOT_SIGNED_IN). Returns the function that stops listening.
 */
export function onCallFailed(listener: (error: HostRequestError) => void): () => void {
  failureListeners.add(listener);
  return () => {
    failureListeners.delete(listener);
  };
}

/** Awaits a contract call and unwraps it: the value, or a HostRequestError. */
export async function call<T>(pending: Promise<IpcResult<T>>): Promise<T> {
  const result = await pending;
  if (result.ok) return result.value;
  const error = new HostRequestError(result.error.code, result.error.message);
  for (const listener of [...failureListeners]) listener(error);
  throw error;
}
