import type { EventName, InvokeChannel } from '../src-shared/ipc/contract.js';
import type { Envelope } from '../src-shared/ipc/envelope.js';
import {
  IPC_WS_PATH,
  WS_LOCKED_OUT,
  WS_POLICY_VIOLATION,
} from '../src-shared/ipc/web-constants.js';
import type { ConnectionState, Transport } from './transport.js';

type Pending = (envelope: Envelope<unknown>) => void;

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000];

/** How often a locked-out page tries again (refused attempts do not extend the lockout). */
const LOCKED_OUT_RETRY_MS = 30_000;

/**
 * The contract over web mode's WebSocket: authenticates with the token, answers calls by id,
 * fans events out, and reconnects (re-authenticating) when the supervisor restarts. A rejected
 * token is final: it is shown, not retried. An address locked out after too many failed sign-ins
 * is shown as such and tried again now and then, so the page recovers when the lockout ends.
 */
export function createWebSocketTransport(token: string, host = location.host): Transport {
  const pending = new Map<number, Pending>();
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let queue: string[] = [];

  const setState = (next: ConnectionState): void => {
    state = next;
    for (const listener of connectionListeners) listener(next);
  };

  const failPending = (message: string): void => {
    for (const resolve of pending.values())
      resolve({ ok: false, error: { code: 'UNAVAILABLE', message } });
    pending.clear();
  };

  const connect = (): void => {
    setState('connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${host}${IPC_WS_PATH}`);
    socket = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'auth', token }));
      // Calls made meanwhile go right behind the auth frame, not one round trip later: the
      // server reads frames in order and answers them only once the token checks out (after a
      // refused one it has closed, and reads nothing more). The first paint waits on this.
      for (const queued of queue) ws.send(queued);
      queue = [];
    };
    ws.onmessage = (message: MessageEvent<string>) => {
      const frame = JSON.parse(message.data) as Record<string, unknown>;
      if (frame['type'] === 'auth') {
        attempt = 0;
        setState('connected');
        for (const queued of queue) ws.send(queued);
        queue = [];
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
    ws.onclose = (event) => {
      socket = null;
      failPending('the connection to the supervisor was lost');
      if (event.code === WS_POLICY_VIOLATION) {
        setState('unauthorized');
        return;
      }
      if (event.code === WS_LOCKED_OUT) {
        setState('locked-out');
        setTimeout(connect, LOCKED_OUT_RETRY_MS);
        return;
      }
      setState('disconnected');
      const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)] ?? 5000;
      attempt += 1;
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    invoke(channel: InvokeChannel, input: unknown) {
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
