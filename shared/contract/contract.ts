// The one table of IPC channels: every request channel and every event, by name. A new domain
// declares its channels in its own file (like session-channels.ts) and is spread in here.
import type { z } from 'zod';
import type { EventChannel, InvokeChannel } from './channel.js';
import { CHART_CHANNELS } from './chart-channels.js';
import { OFF_WARD_CHANNELS } from './off-ward-channels.js';
import { SESSION_CHANNELS, SESSION_EVENTS } from './session-channels.js';
import { AMENDMENT_CHANNELS } from './amendment-channels.js';
import { AUDIT_CHANNELS } from './audit-channels.js';
import { CONFLICT_CHANNELS } from './conflict-channels.js';
import { DOCUMENTATION_CHANNELS } from './documentation-channels.js';
import { POLICY_CHANNELS } from './policy-channels.js';
import { PRINT_CHANNELS } from './print-channels.js';
import { SETUP_CHANNELS, SETUP_EVENTS } from './setup-channels.js';
import { SYNC_CHANNELS, SYNC_EVENTS } from './sync-channels.js';

export const INVOKE_CHANNELS = Object.freeze({
  ...SESSION_CHANNELS,
  ...CHART_CHANNELS,
  ...OFF_WARD_CHANNELS,
  ...DOCUMENTATION_CHANNELS,
  ...AMENDMENT_CHANNELS,
  ...SYNC_CHANNELS,
  ...CONFLICT_CHANNELS,
  ...AUDIT_CHANNELS,
  ...POLICY_CHANNELS,
  ...PRINT_CHANNELS,
  ...SETUP_CHANNELS,
});

export const EVENT_CHANNELS = Object.freeze({
  ...SESSION_EVENTS,
  ...SYNC_EVENTS,
  ...SETUP_EVENTS,
});

export type InvokeChannels = typeof INVOKE_CHANNELS;
export type EventChannels = typeof EVENT_CHANNELS;
export type InvokeChannelName = keyof InvokeChannels & string;
export type EventChannelName = keyof EventChannels & string;

/** What the renderer passes for a channel. */
export type RequestOf<N extends InvokeChannelName> = z.input<InvokeChannels[N]['request']>;
/** The same shape with every array and object read-only (what the host's services hand out). */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** What the host's handler returns for a channel (before the router parses it). */
export type HandlerResultOf<N extends InvokeChannelName> = DeepReadonly<z.input<InvokeChannels[N]['response']>>;
/** What the renderer receives for a channel. */
export type ResponseOf<N extends InvokeChannelName> = z.output<InvokeChannels[N]['response']>;
/** What a handler receives for a channel (the request after its schema parsed it). */
export type ParsedRequestOf<N extends InvokeChannelName> = z.output<InvokeChannels[N]['request']>;
export type PayloadOf<E extends EventChannelName> = z.output<EventChannels[E]['payload']>;

/** The declaration of a request channel by name, or null for a name the contract does not know. */
export function invokeChannel(name: string): InvokeChannel | null {
  return Object.hasOwn(INVOKE_CHANNELS, name) ? (INVOKE_CHANNELS as Record<string, InvokeChannel>)[name]! : null;
}

/** The declaration of an event by name, or null. */
export function eventChannel(name: string): EventChannel | null {
  return Object.hasOwn(EVENT_CHANNELS, name) ? (EVENT_CHANNELS as Record<string, EventChannel>)[name]! : null;
}

/** Every request channel's name, sorted. */
export function invokeChannelNames(): InvokeChannelName[] {
  return (Object.keys(INVOKE_CHANNELS) as InvokeChannelName[]).sort();
}

/** Every event's name, sorted. */
export function eventChannelNames(): EventChannelName[] {
  return (Object.keys(EVENT_CHANNELS) as EventChannelName[]).sort();
}
