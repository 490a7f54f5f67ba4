import {
  BRIDGE_EVENT_CHANNEL,
  BRIDGE_INVOKE_CHANNEL,
  type ClawdbotBridge,
} from '../../src-shared/ipc/bridge.js';
import { isEventName, isInvokeChannel } from '../../src-shared/ipc/channel-names.js';
import { errorEnvelope } from '../../src-shared/ipc/envelope.js';

/** The part of Electron's `ipcRenderer` the preload uses. */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * What the sandboxed preload exposes as `window.clawdbot`: exactly `invoke` and `on`, for
 * channels and events in the contract table; anything else is refused here, before IPC.
 */
export function createPreloadBridge(ipc: IpcRendererPort): ClawdbotBridge {
  return {
    invoke: ((channel: unknown, input: unknown) => {
      if (!isInvokeChannel(channel)) {
        return Promise.resolve(
          errorEnvelope('UNKNOWN_CHANNEL', `unknown channel ${String(channel)}`),
        );
      }
      return ipc.invoke(BRIDGE_INVOKE_CHANNEL, channel, input);
    }) as ClawdbotBridge['invoke'],
    on(event, listener) {
      if (!isEventName(event)) return () => undefined;
      const wrapped = (_e: unknown, name: unknown, payload: unknown): void => {
        // The main process sends each event with its name and the payload its type says (the
        // event hub types and redacts it); the sandboxed preload cannot carry the schemas.
        if (name === event) listener(payload as Parameters<typeof listener>[0]);
      };
      ipc.on(BRIDGE_EVENT_CHANNEL, wrapped);
      return () => ipc.removeListener(BRIDGE_EVENT_CHANNEL, wrapped);
    },
  };
}
