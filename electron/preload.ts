// The preload (sandboxed, bundled): exposes `window.wardline`, the contract's typed functions over
// the two IPC channels, and nothing else — never ipcRenderer itself. No logic lives here.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createWardlineApi, IPC_EVENT, IPC_INVOKE, WARDLINE_GLOBAL } from '../shared/contract/index.js';

const api = createWardlineApi({
  invoke: (message) => ipcRenderer.invoke(IPC_INVOKE, message),
  subscribe: (listener) => {
    const forward = (_event: IpcRendererEvent, message: unknown): void => listener(message);
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
});

contextBridge.exposeInMainWorld(WARDLINE_GLOBAL, api);
