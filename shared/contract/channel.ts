// How an IPC channel is declared: its `domain:verb` name, the zod schemas of what the renderer
// sends and what the host answers, and who may call it. Events (host → renderer) have a payload
// schema only. The preload and the host's router both read these same declarations.
import type { z } from 'zod';
import type { Action, ChartCategory } from '../access/index.js';

/** The chart categories and actions of the one permission table (shared/access). */
export type ContractChartCategory = ChartCategory;
export type ContractAction = Action;

/**
 * Who may call a channel:
 * - `public`: anyone at the window, signed in or not (the lock screen's sign-in and unlock);
 * - `session`: only while a session is active (not locked);
 * - an action: an active session whose role permits it. Ward scope and break-the-glass depend on
 *   the patient, so the host's handler checks them (the session guard) with the patient in hand.
 */
export type ChannelPermission = 'public' | 'session' | ContractAction;

/** `domain:verb`, lower case words joined by "-": `session:sign-in`, `chart:summary`. */
export const CHANNEL_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*:[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export type ChannelName = `${string}:${string}`;

/** A request/response channel (renderer asks, host answers). */
export interface InvokeChannel<N extends ChannelName = ChannelName, Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly kind: 'invoke';
  readonly name: N;
  /** What the renderer sends; requests are strict objects (an unknown key is refused). */
  readonly request: Req;
  /** What the host answers; the router parses every answer, so an unexpected field never leaves the host. */
  readonly response: Res;
  readonly permission: ChannelPermission;
  /** One line for readers and the audit trail. */
  readonly summary: string;
}

/** A one-way message from the host to the renderer. */
export interface EventChannel<N extends ChannelName = ChannelName, P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly name: N;
  readonly payload: P;
  readonly summary: string;
}

function checkedName(name: string): void {
  if (!CHANNEL_NAME_PATTERN.test(name)) {
    throw new TypeError(`IPC channel "${name}" must be named domain:verb in lower case words joined by "-".`);
  }
}

export function defineChannel<const N extends ChannelName, Req extends z.ZodType, Res extends z.ZodType>(
  definition: Omit<InvokeChannel<N, Req, Res>, 'kind'>,
): InvokeChannel<N, Req, Res> {
  checkedName(definition.name);
  return Object.freeze({ kind: 'invoke', ...definition });
}

export function defineEvent<const N extends ChannelName, P extends z.ZodType>(
  definition: Omit<EventChannel<N, P>, 'kind'>,
): EventChannel<N, P> {
  checkedName(definition.name);
  return Object.freeze({ kind: 'event', ...definition });
}

type Named = { readonly name: string };

/** The channels of a list, keyed by name; two channels with one name are a mistake caught at start-up. */
export function channelTable<const T extends readonly Named[]>(channels: T): { readonly [C in T[number] as C['name']]: C } {
  const table: Record<string, Named> = {};
  for (const channel of channels) {
    if (Object.hasOwn(table, channel.name)) throw new TypeError(`IPC channel "${channel.name}" is declared twice.`);
    table[channel.name] = channel;
  }
  return Object.freeze(table) as { readonly [C in T[number] as C['name']]: C };
}
