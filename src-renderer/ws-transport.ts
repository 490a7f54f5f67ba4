import type { EventName, InvokeChannel } from '../src-shared/ipc/contract.js';
import type { Envelope } from '../src-shared/ipc/envelope.js';
import { WS_LOCKED_OUT, WS_POLICY_VIOLATION } from '../src-shared/ipc/web-constants.js';
import {
  contractSocketUrl,
  EARLY_STATUS_CALL_ID,
  greet,
  type EarlySocket,
} from './early-socket.js';
import type { ConnectionState, Transport } from './transport.js';

type Pending = (envelope: Envelope<unknown>) => void;

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000];

/** How often a locked-out page tries again (refused attempts do not extend the lockout). */
const LOCKED_OUT_RETRY_MS = 30_000;

/** A task later: what a socket would deliver next, after the current one's promises settled. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The contract over web mode's WebSocket: authenticates with the token, answers calls by id,
 * fans events out, and reconnects (re-authenticating) when the supervisor restarts. A rejected
 * token is final: it is shown, not retried. An address locked out after too many failed sign-ins
 * is shown as such and tried again now and then, so the page recovers when the lockout ends.
 *
 * Given the page's early socket (early-socket.ts), it takes that socket over instead of opening
 * one, and its first status call is answered by the call the bootstrap already sent.
 */
export function createWebSocketTransport(
  token: string,
  options: { host?: string; early?: EarlySocket | null } = {},
): Transport {
  const pending = new Map<number, Pending>();
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let queue: string[] = [];
  // The bootstrap's status call, answered into the first status:get made here (its reply is
  // as unchecked as every other: typed by the channel it answers).
  let earlyStatus: Promise<Envelope<never>> | null = null;

  const setState = (next: ConnectionState): void => {
    state = next;
    for (const listener of connectionListeners) listener(next);
  };

  const failPending = (message: string): void => {
    for (const resolve of pending.values())
      resolve({ ok: false, error: { code: 'UNAVAILABLE', message } });
    pending.clear();
  };

  const flush = (ws: WebSocket): void => {
    for (const queued of queue) ws.send(queued);
    queue = [];
  };

  const onFrame = (ws: WebSocket, data: string): void => {
    const frame = JSON.parse(data) as Record<string, unknown>;
    if (frame['type'] === 'auth') {
      attempt = 0;
      setState('connected');
      flush(ws);
      return;
    }
    if (typeof frame['event'] === 'string') {
      for (const listener of eventListeners.get(frame['event'] as EventName) ?? [])
        listener(frame['payload']);
      return;
    }
    const resolve = typeof frame['id'] === 'number' ? pending.get(frame['id']) : undefined;
    if (resolve) {
      pending.delete(frame['id'] as number);
      resolve(frame as unknown as Envelope<unknown>);
    }
  };

  const onClose = (code: number): void => {
    socket = null;
    failPending('the connection to the supervisor was lost');
    if (code === WS_POLICY_VIOLATION) {
      setState('unauthorized');
      return;
    }
    if (code === WS_LOCKED_OUT) {
      setState('locked-out');
      setTimeout(connect, LOCKED_OUT_RETRY_MS);
      return;
    }
    setState('disconnected');
    const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)] ?? 5000;
    attempt += 1;
    setTimeout(connect, delay);
  };

  const listen = (ws: WebSocket): void => {
    ws.onmessage = (message: MessageEvent<string>) => onFrame(ws, message.data);
    ws.onclose = (event) => onClose(event.code);
  };

  function connect(): void {
    setState('connecting');
    const ws = new WebSocket(contractSocketUrl(options.host));
    socket = ws;
    ws.onopen = () => {
      // Calls made meanwhile go right behind the auth frame, not one round trip later (greet).
      greet(ws, token, false);
      flush(ws);
    };
    listen(ws);
  }

  /**
   * Takes the bootstrap's socket over. What it received so far is handled one frame per task,
   * as the socket itself would deliver it, and after this module's caller has subscribed: the
   * status reply's handlers run before the events that followed it. Frames that arrive
   * meanwhile queue behind (the bootstrap keeps appending) until the backlog is through.
   */
  async function adopt(early: EarlySocket): Promise<void> {
    const ws = early.socket;
    socket = ws;
    earlyStatus = new Promise((resolve) => pending.set(EARLY_STATUS_CALL_ID, resolve as Pending));
    if (ws.readyState === WebSocket.CONNECTING) {
      ws.onopen = () => {
        greet(ws, token, true);
        flush(ws);
      };
    }
    for (;;) {
      await nextTask();
      const data = early.received.shift();
      if (data === undefined) break;
      onFrame(ws, data);
    }
    if (early.closedWith !== null) onClose(early.closedWith);
    else listen(ws);
  }

  if (options.early) void adopt(options.early);
  else connect();

  return {
    invoke(channel: InvokeChannel, input: unknown) {
      if (channel === 'status:get' && earlyStatus) {
        const reply = earlyStatus;
        earlyStatus = null;
        return reply;
      }
      const id = nextId++;
      const frame = JSON.stringify({ id, channel, input });
      return new Promise((resolve) => {
        pending.set(id, resolve as Pending);
        if (state === 'connected' && socket?.readyState === WebSocket.OPEN) socket.send(frame);
        else if (state === 'unauthorized') {
          pending.delete(id);
          resolve({
            ok: false,
            error: { code: 'FORBIDDEN', message: 'the web UI token was rejected' },
          });
        } else queue.push(frame);
      });
    },
    on(event, listener) {
      const set = eventListeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      eventListeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  };
}
