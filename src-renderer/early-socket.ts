import { IPC_WS_PATH } from '../src-shared/ipc/web-constants.js';
import { takeWebToken } from './web-token.js';

/*
 * Web mode's socket, opened by a few hundred bytes of script inlined in index.html's head (built
 * from inline/bootstrap.ts, allowed by its hash in the page's CSP) while the HTML is still being
 * parsed: the socket's handshake, the sign-in and the first status call then overlap the fetch
 * and compile of the entry chunk instead of following them, and the first paint (the gateway's
 * state and the kill switch) comes that much sooner. The transport takes the socket over as soon
 * as it exists (takeEarlySocket); until then the bootstrap only keeps what arrives.
 *
 * The bootstrap is bundled on its own, outside the app's module graph: only this module and what
 * it imports go into it, so keep it free of anything else.
 */

/** The socket the bootstrap opened, and what happened on it before the transport took it. */
export interface EarlySocket {
  token: string;
  socket: WebSocket;
  /** Frames received so far, in order; the bootstrap keeps appending until the transport reads them. */
  received: string[];
  /** The close code, once the socket has closed. */
  closedWith: number | null;
}

/** The id of the bootstrap's status call; the transport's own ids start at 1. */
export const EARLY_STATUS_CALL_ID = 0;

declare global {
  interface Window {
    /** Set by the inline bootstrap, taken (and removed) by the transport. */
    clawdbotEarlySocket?: EarlySocket;
  }
}

/** The contract socket's address on this page's server. */
export function contractSocketUrl(host = location.host): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${host}${IPC_WS_PATH}`;
}

/**
 * What a page sends first on a new socket: the token, then (for the early socket) the status
 * call the first paint waits on. The server reads frames in order and answers a call only once
 * the token checked out, so the call need not wait for the sign-in's reply.
 */
export function greet(socket: WebSocket, token: string, withStatus: boolean): void {
  socket.send(JSON.stringify({ type: 'auth', token }));
  if (withStatus) {
    socket.send(JSON.stringify({ id: EARLY_STATUS_CALL_ID, channel: 'status:get', input: {} }));
  }
}

/** The bootstrap: in web mode with a token, open the socket and keep what arrives. */
export function openEarlySocket(): void {
  // The desktop app talks over its preload bridge: no socket, and no token in the address.
  if (window.clawdbot) return;
  const token = takeWebToken();
  if (!token) return;
  const socket = new WebSocket(contractSocketUrl());
  const early: EarlySocket = { token, socket, received: [], closedWith: null };
  socket.onopen = () => greet(socket, token, true);
  socket.onmessage = (message: MessageEvent<string>) => early.received.push(message.data);
  socket.onclose = (event) => (early.closedWith = event.code);
  window.clawdbotEarlySocket = early;
}

/** The transport's side: the bootstrap's socket, once (null when there is none). */
export function takeEarlySocket(): EarlySocket | null {
  const early = window.clawdbotEarlySocket ?? null;
  delete window.clawdbotEarlySocket;
  return early;
}
