// What the window is answered before the workstation is set up (first start, issue 16): setup:state
// tells how far the set-up is or why there is none; every other channel is refused with SETTING_UP
// or NOT_SET_UP, so the window shows the set-up screen and nobody can sign in to an empty workstation.
import type { Logger } from 'pino';
import { invokeChannelNames, SETUP_ERROR_CODES, type SetupStateData } from '../../shared/contract/index.js';
import { HostError } from './host-error.js';
import { createIpcRouter, type IpcHandlers, type IpcRouter } from './ipc-router.js';
import type { SenderInfo } from './transport.js';

export interface SetupRouterOptions {
  readonly state: () => SetupStateData;
  readonly isTrustedSender: (sender: SenderInfo) => boolean;
  readonly logger: Logger;
}

function refusal(state: SetupStateData): HostError {
  if (state.phase === 'enrolling' || state.phase === 'first-sync') {
    return new HostError(SETUP_ERROR_CODES.settingUp, 'This workstation is setting itself up. Wait until it is ready.');
  }
  return new HostError(SETUP_ERROR_CODES.notSetUp, state.problem?.message ?? 'This workstation is not set up. Call IT.');
}

export function createSetupRouter(options: SetupRouterOptions): IpcRouter {
  const handlers = Object.fromEntries(
    invokeChannelNames().map((name) => [
      name,
      name === 'setup:state'
        ? () => options.state()
        : () => {
            throw refusal(options.state());
          },
    ]),
  ) as unknown as IpcHandlers;
  return createIpcRouter({
    handlers,
    isTrustedSender: options.isTrustedSender,
    // Nobody can be signed in: every handler but setup:state refuses whatever the permission.
    authorize: () => null,
    // There is no audit trail before the vault exists; the router logs every refusal.
    audit: () => undefined,
    logger: options.logger,
  });
}
