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

/** Web mode's token in the URL fragment, where the launch link puts it (never sent to a server). */
function tokenInAddress(): string | null {
  const match = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** The token this tab kept (null without one, or when the browser refuses storage). */
function keptToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/**
 * Keeps the token for this tab and takes it out of the address bar, so it does not end up in a
 * screenshot or a shared link (and a reload still signs in).
 */
function keepToken(token: string): void {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // A browser that refuses storage still signs in for this page's life (not after a reload).
  }
  history.replaceState(null, '', location.pathname + location.search);
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
  const fromAddress = tokenInAddress();
  const token = fromAddress ?? keptToken();
  if (!token) return null;
  // The socket first: a fresh page's first use of its storage can take milliseconds, which the
  // socket's handshake, sign-in and status call (what the first paint waits on) need not wait.
  const transport = createWebSocketTransport(token);
  if (fromAddress) keepToken(fromAddress);
  return transport;
}
