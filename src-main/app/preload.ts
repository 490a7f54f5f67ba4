import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_EVENT_CHANNEL,
  BRIDGE_INVOKE_CHANNEL,
  type ClawdbotBridge,
} from '../../src-shared/ipc/bridge.js';
import { isEventName, isInvokeChannel } from '../../src-shared/ipc/channel-names.js';
import { errorEnvelope } from '../../src-shared/ipc/envelope.js';

// Sandboxed preload: exposes exactly `invoke` and `on` for channels in the contract table.
const bridge: ClawdbotBridge = {
  invoke: ((channel: unknown, input: unknown) => {
    if (!isInvokeChannel(channel)) {
      return Promise.resolve(
        errorEnvelope('UNKNOWN_CHANNEL', `unknown channel ${String(channel)}`),
      );
    }
    return ipcRenderer.invoke(BRIDGE_INVOKE_CHANNEL, channel, input);
  }) as ClawdbotBridge['invoke'],
  on(event, listener) {
    if (!isEventName(event)) return () => undefined;
    const wrapped = (_e: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload as Parameters<typeof listener>[0]);
    };
    ipcRenderer.on(BRIDGE_EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(BRIDGE_EVENT_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld('clawdbot', bridge);
