// The Transport port over Electron's ipcMain: every request arrives on the one IPC_INVOKE channel
// with its sender's frame; events go to the window's webContents on IPC_EVENT.
import type { IpcMain, WebContents } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/contract/index.js';
import type { Transport } from '../host/index.js';
import { senderInfoOf } from './ipc-sender.js';

export interface IpcMainTransportOptions {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  /** The window's page events go to, or null while there is none. */
  readonly target: () => Pick<WebContents, 'send' | 'isDestroyed'> | null;
}

export function ipcMainTransport({ ipcMain, target }: IpcMainTransportOptions): Transport {
  return {
    serve(server) {
      ipcMain.handle(IPC_INVOKE, (event, message: unknown) => server({ sender: senderInfoOf(event), message }));
      return () => ipcMain.removeHandler(IPC_INVOKE);
    },
    emit(message) {
      const contents = target();
      if (contents !== null && !contents.isDestroyed()) contents.send(IPC_EVENT, message);
    },
  };
}
