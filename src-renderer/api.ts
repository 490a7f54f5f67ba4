import type { ClawdbotBridge } from '../src-shared/ipc/bridge.js';
import type { Transport } from './transport.js';
import { createWebSocketTransport } from './ws-transport.js';

declare global {
  interface Window {
    /** Present in the desktop app: the sandboxed preload's bridge. */
    clawdbot?: ClawdbotBridge;
  }
}

const TOKEN_KEY = 'clawdbot.webToken';

/**
 * Web mode's token arrives in the URL fragment (never sent to any server). Keep it for this tab
 * and take it out of the address bar, so it does not end up in a screenshot or a shared link.
 */
export function takeWebToken(): string | null {
  const match = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', location.pathname + location.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
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
  const token = takeWebToken();
  return token ? createWebSocketTransport(token) : null;
}
