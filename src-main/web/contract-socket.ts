import { timingSafeEqual } from 'node:crypto';
import { WebSocket } from 'ws';
import {
  AuthFrameSchema,
  RequestFrameSchema,
  WS_POLICY_VIOLATION,
} from '../../src-shared/ipc/web-frames.js';
import { describeZodError } from '../../src-shared/ipc/validation.js';
import { rawDataToText } from './raw-data.js';
import type { CallContext, Dispatch } from '../supervisor/ipc-router.js';
import type { EventHub } from '../supervisor/event-hub.js';

/** How one WebSocket connection is served. */
export interface ContractSocketOptions {
  dispatch: Dispatch;
  events: EventHub;
  /** The token the first frame must carry; null where the transport itself is trusted. */
  token: string | null;
  transport: CallContext['transport'];
  /** How long an unauthenticated socket may stay open. */
  authTimeoutMs?: number;
}

/** Constant-time token comparison, so the token cannot be guessed byte by byte. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Serves the contract on one WebSocket: an auth frame first (when a token is required), then
 * request frames answered with envelopes by id, and every contract event pushed as it happens.
 * A malformed frame gets an error reply; it never closes an authenticated socket.
 */
export function serveContractSocket(ws: WebSocket, options: ContractSocketOptions): void {
  const subscription = new AbortController();
  let authed = options.token === null;
  const send = (frame: unknown): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  };
  const subscribe = (): void => {
    options.events.subscribe((event, payload) => send({ event, payload }), subscription.signal);
  };
  const authTimer = authed
    ? null
    : setTimeout(
        () => ws.close(WS_POLICY_VIOLATION, 'authentication required'),
        options.authTimeoutMs ?? 5000,
      );
  if (authed) subscribe();
  ws.on('close', () => {
    subscription.abort();
    if (authTimer) clearTimeout(authTimer);
  });

  ws.on('message', (data, isBinary) => {
    let frame: unknown;
    try {
      frame = isBinary ? undefined : JSON.parse(rawDataToText(data));
    } catch {
      frame = undefined;
    }
    if (!authed) {
      const auth = AuthFrameSchema.safeParse(frame);
      if (!auth.success || options.token === null || !tokensMatch(auth.data.token, options.token)) {
        ws.close(WS_POLICY_VIOLATION, 'authentication failed');
        return;
      }
      authed = true;
      if (authTimer) clearTimeout(authTimer);
      send({ type: 'auth', ok: true });
      subscribe();
      return;
    }
    if (frame === undefined) {
      send({
        id: null,
        ok: false,
        error: { code: 'BAD_INPUT', message: 'frame is not a JSON text message' },
      });
      return;
    }
    const request = RequestFrameSchema.safeParse(frame);
    if (!request.success) {
      const id = typeof frame === 'object' && frame !== null && 'id' in frame ? frame.id : null;
      send({
        id: typeof id === 'string' || typeof id === 'number' ? id : null,
        ok: false,
        error: {
          code: 'BAD_INPUT',
          message: `malformed request frame: ${describeZodError(request.error)}`,
        },
      });
      return;
    }
    const { id, channel, input } = request.data;
    void options.dispatch(channel, input, { transport: options.transport }).then((envelope) => {
      send({ id, ...envelope });
    });
  });
}
