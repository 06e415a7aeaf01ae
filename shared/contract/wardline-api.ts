// The typed API the preload exposes as `window.wardline`, derived from the channel table: one
// function per request channel, grouped by domain and named in camelCase
// (`session:sign-in` → `wardline.session.signIn(request)`), and one subscription per event
// (`session:purge` → `wardline.session.onPurge(listener)`). Nothing else: no generic send.
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type EventChannelName,
  type InvokeChannelName,
  type PayloadOf,
  type RequestOf,
  type ResponseOf,
} from './contract.js';
import type { EventChannel, InvokeChannel } from './channel.js';
import { eventMessageSchema, failed, IPC_ERROR_CODES, ipcReplySchema, ok, type InvokeMessage, type IpcResult } from './ipc-envelope.js';

/** The global name the preload exposes the API under (`window.wardline`). */
export const WARDLINE_GLOBAL = 'wardline';

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
type DomainOf<N extends string> = N extends `${infer D}:${string}` ? D : never;

type InvokeMethod<N extends InvokeChannelName> =
  // A channel whose request is empty may be called without an argument.
  Record<string, never> extends RequestOf<N>
    ? (request?: RequestOf<N>) => Promise<IpcResult<ResponseOf<N>>>
    : (request: RequestOf<N>) => Promise<IpcResult<ResponseOf<N>>>;

type Unsubscribe = () => void;

type DomainApi<D extends string> = {
  readonly [N in InvokeChannelName as N extends `${D}:${infer V}` ? CamelCase<V> : never]: InvokeMethod<N>;
} & {
  readonly [E in EventChannelName as E extends `${D}:${infer V}` ? `on${Capitalize<CamelCase<V>>}` : never]: (
    listener: (payload: PayloadOf<E>) => void,
  ) => Unsubscribe;
};

export type WardlineApi = {
  readonly [D in DomainOf<InvokeChannelName | EventChannelName> as CamelCase<D>]: DomainApi<D>;
};

/** What the API needs underneath: in the preload, ipcRenderer.invoke/on on the two transport channels. */
export interface ApiTransport {
  invoke(message: InvokeMessage): Promise<unknown>;
  /** Calls `listener` with every event message until the returned function is called. */
  subscribe(listener: (message: unknown) => void): Unsubscribe;
}

const camelCase = (words: string): string => words.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Where a channel appears on the API: `session:sign-in` → { domain: 'session', method: 'signIn' }. */
export function apiMethodOf(name: string, kind: 'invoke' | 'event'): { domain: string; method: string } {
  const [domain = '', verb = ''] = name.split(':');
  const method = camelCase(verb);
  return { domain: camelCase(domain), method: kind === 'invoke' ? method : `on${method.charAt(0).toUpperCase()}${method.slice(1)}` };
}

async function invokeThrough(transport: ApiTransport, channel: InvokeChannel, request: unknown): Promise<IpcResult<unknown>> {
  let reply: unknown;
  try {
    reply = await transport.invoke({ channel: channel.name, request: request ?? {} });
  } catch {
    return failed(IPC_ERROR_CODES.internal, 'Wardline could not reach its host process. Restart Wardline; if it happens again, call IT.');
  }
  const envelope = ipcReplySchema.safeParse(reply);
  if (!envelope.success)
    return failed(IPC_ERROR_CODES.badReply, 'Wardline received an answer it cannot read. Restart Wardline; if it happens again, call IT.');
  if (!envelope.data.ok) return envelope.data;
  const value = channel.response.safeParse(envelope.data.value);
  return value.success
    ? ok(value.data)
    : failed(IPC_ERROR_CODES.badReply, 'Wardline received an answer it cannot read. Restart Wardline; if it happens again, call IT.');
}

function subscribeThrough(transport: ApiTransport, channel: EventChannel, listener: (payload: unknown) => void): Unsubscribe {
  return transport.subscribe((message) => {
    const envelope = eventMessageSchema.safeParse(message);
    if (!envelope.success || envelope.data.event !== channel.name) return;
    const payload = channel.payload.safeParse(envelope.data.payload);
    if (payload.success) listener(payload.data);
  });
}

/** Builds `window.wardline` over a transport: exactly the contract's functions, frozen. */
export function createWardlineApi(transport: ApiTransport): WardlineApi {
  const domains = new Map<string, Record<string, unknown>>();
  const place = (name: string, kind: 'invoke' | 'event', fn: unknown): void => {
    const { domain, method } = apiMethodOf(name, kind);
    const target = domains.get(domain) ?? {};
    domains.set(domain, target);
    if (Object.hasOwn(target, method)) throw new TypeError(`Two IPC channels map to wardline.${domain}.${method}.`);
    target[method] = fn;
  };
  for (const channel of Object.values(INVOKE_CHANNELS) as InvokeChannel[]) {
    place(channel.name, 'invoke', (request?: unknown) => invokeThrough(transport, channel, request));
  }
  for (const channel of Object.values(EVENT_CHANNELS) as EventChannel[]) {
    place(channel.name, 'event', (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function')
        throw new TypeError(`wardline.${apiMethodOf(channel.name, 'event').domain} listeners must be functions.`);
      return subscribeThrough(transport, channel, listener);
    });
  }
  const api: Record<string, unknown> = {};
  for (const [domain, methods] of domains) api[domain] = Object.freeze(methods);
  return Object.freeze(api) as WardlineApi;
}
