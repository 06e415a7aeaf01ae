// Events from the host to the window, checked against the contract before they leave.
import { EVENT_CHANNELS, type EventChannelName, type PayloadOf } from '../../shared/contract/index.js';
import type { Transport } from './transport.js';

/** Sends `event` with `payload` (parsed by its schema first: only declared fields leave the host). */
export function emitEvent<E extends EventChannelName>(transport: Pick<Transport, 'emit'>, event: E, payload: PayloadOf<E>): void {
  const parsed = EVENT_CHANNELS[event].payload.parse(payload);
  transport.emit({ event, payload: parsed });
}
