import type { GatewayToSupervisor } from '../../src-shared/gateway-protocol.js';

/** The gateway's line to its supervisor, whichever way it was started. */
export interface ParentChannel {
  send(message: GatewayToSupervisor): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called when the supervisor goes away; an unsupervised gateway must not linger. */
  onDisconnect(listener: () => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * The channel to the supervisor: Electron's `process.parentPort` in a utility process, Node's
 * IPC channel under `child_process.fork`, or none when run in the foreground.
 */
export function connectParentChannel(): ParentChannel | null {
  const parentPort = (process as NodeJS.Process & { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      // Electron kills utility processes with their parent; nothing to watch.
      onDisconnect: () => undefined,
    };
  }
  if (process.send && process.connected) {
    return {
      send: (message) => {
        // With a callback, a write to a supervisor that just went away (EPIPE) is reported here
        // instead of as an unhandled 'error' event that would crash us; the disconnect handler
        // then stops the gateway cleanly.
        if (process.connected) process.send?.(message, undefined, {}, () => undefined);
      },
      onMessage: (listener) => process.on('message', listener),
      // If the supervisor already went away while we were starting up, say so at once.
      onDisconnect: (listener) => {
        if (process.connected) process.once('disconnect', listener);
        else queueMicrotask(listener);
      },
    };
  }
  return null;
}
