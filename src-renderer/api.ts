import type { ClawdbotBridge } from '../src-shared/ipc/bridge.js';
import type { Transport } from './transport.js';
import { takeEarlySocket } from './early-socket.js';
import { takeWebToken } from './web-token.js';
import { createWebSocketTransport } from './ws-transport.js';

declare global {
  interface Window {
    /** Present in the desktop app: the sandboxed preload's bridge. */
    clawdbot?: ClawdbotBridge;
  }
}

/** The typed client: the preload bridge in Electron, the WebSocket in web mode. */
export function createTransport(): Transport | null {
  const bridge = window.clawdbot;
  if (bridge) {
    return {
      invoke: (channel, input) => bridge.invoke(channel, input),
      on: (event, listener) => bridge.on(event, listener),
      onConnection: (listener) => {
        listener('connected');
        return () => undefined;
      },
    };
  }
  // The socket the page's inline bootstrap opened, if it ran (it did not without a token).
  const early = takeEarlySocket();
  if (early) return createWebSocketTransport(early.token, { early });
  const token = takeWebToken();
  return token ? createWebSocketTransport(token) : null;
}
