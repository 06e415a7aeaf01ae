// The pinned HTTPS connection to one hub: an agent that proves the pin on every new connection,
// and the send function over it. Close it to drop the kept-alive sockets.
import { createHttpSend, type HttpSend } from './http-transport.js';
import { PinnedAgent } from './pinned-agent.js';
import type { SyncPolicy } from './sync-policy.js';

export interface HubConnection {
  readonly send: HttpSend;
  close(): void;
}

export function openHubConnection(options: {
  readonly pins: readonly string[];
  readonly policy: SyncPolicy;
  readonly onPinMismatch?: (host: string, presentedPin: string) => void;
}): HubConnection {
  const { policy } = options;
  const agent = new PinnedAgent({
    pins: options.pins,
    connectTimeoutMs: policy.connectTimeoutMs,
    ...(policy.caPem === undefined ? {} : { caPem: policy.caPem }),
    ...(options.onPinMismatch === undefined ? {} : { onPinMismatch: options.onPinMismatch }),
  });
  return {
    send: createHttpSend(agent, { idleMs: policy.idleTimeoutMs, totalMs: policy.requestTimeoutMs }),
    close: () => agent.destroy(),
  };
}
