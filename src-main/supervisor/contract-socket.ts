import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocket, WebSocketServer, type ServerOptions } from 'ws';
import {
  AuthFrameSchema,
  RequestFrameSchema,
  WS_LOCKED_OUT,
  WS_POLICY_VIOLATION,
} from '../../src-shared/ipc/web-frames.js';
import { describeZodError } from '../../src-shared/ipc/validation.js';
import type { Logger } from '../logging/logger.js';
import { rawDataToText } from './raw-data.js';
import type { CallContext, Dispatch } from './ipc-router.js';
import type { EventHub } from './event-hub.js';

/** The largest message a contract socket accepts; a bigger one closes the socket with 1009. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** How long a socket we closed may take to answer our close frame before it is cut. */
const CLOSE_GRACE_MS = 2000;

/** The RFC 6455 close code for a protocol error: what `ws` sends for a malformed frame. */
const WS_PROTOCOL_ERROR = 1002;

/**
 * The failed sign-in count a token-checking socket reports to (web mode's `AuthThrottle`): the
 * transport only asks and tells, the policy (limits, lockout length) belongs to its owner.
 */
export interface SignInThrottle {
  /** When `peer` may sign in again (epoch ms), or null if it may now. */
  lockedUntil(peer: string): number | null;
  /** Records a failed sign-in. */
  recordFailure(peer: string): void;
  /** Records a successful sign-in. */
  recordSuccess(peer: string): void;
}

/** How one WebSocket connection is served. */
export interface ContractSocketOptions {
  dispatch: Dispatch;
  events: EventHub;
  /** The token the first frame must carry; null where the transport itself is trusted. */
  token: string | null;
  transport: CallContext['transport'];
  /** Who is on the other end (an address; `local` for the control socket), for logs and limits. */
  peer: string;
  /** Where closed sockets, failed sign-ins and lockouts are recorded. */
  log: Logger;
  /** Failed sign-ins per peer (with a token only): a locked-out peer is refused outright. */
  throttle?: SignInThrottle;
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
 * Limits on a slow or silent HTTP client: a request (or upgrade) that has not sent its headers
 * in time is dropped, so half-open connections cannot pile up.
 */
export function limitSlowClients(server: Server): void {
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
}

/**
 * The WebSocket server both contract transports use: one size limit, and a server-level error
 * (the HTTP server under it failing) logged instead of thrown, since an unhandled 'error' event
 * would take the supervisor, and with it the gateway's leash, down.
 */
export function createContractSocketServer(
  log: Logger,
  options: Pick<ServerOptions, 'server' | 'noServer'>,
): WebSocketServer {
  const wss = new WebSocketServer({ ...options, maxPayload: MAX_FRAME_BYTES });
  wss.on('error', (error) => log.error('the contract socket server failed', { error }));
  return wss;
}

/**
 * The close code `ws` sent for a frame it rejected (1007 invalid UTF-8, 1009 too big, 1002
 * malformed). `ws` keeps it on the error under a symbol it does not export, named
 * `status-code`; 1002 if a later version moves it.
 */
function closeCodeOf(error: Error): number {
  const symbol = Object.getOwnPropertySymbols(error).find((s) => s.description === 'status-code');
  const code: unknown = symbol ? (error as unknown as Record<symbol, unknown>)[symbol] : undefined;
  return typeof code === 'number' ? code : WS_PROTOCOL_ERROR;
}

/**
 * Serves the contract on one WebSocket: an auth frame first (when a token is required), then
 * request frames answered with envelopes by id, and every contract event pushed as it happens.
 * A malformed request gets an error reply and never closes an authenticated socket; a frame
 * the WebSocket protocol itself rejects (invalid UTF-8, too big, broken fragmentation) closes
 * that one socket with the protocol's close code and a log line, and nothing else.
 */
export function serveContractSocket(ws: WebSocket, options: ContractSocketOptions): void {
  const { log, peer, throttle, transport } = options;
  const subscription = new AbortController();
  let authed = options.token === null;
  const send = (frame: unknown): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  };
  /** Closes, and cuts the connection if the peer does not answer our close frame in time. */
  const closeWith = (code: number, reason: string): void => {
    ws.close(code, reason);
    dropAfterGrace(ws);
  };
  const subscribe = (): void => {
    options.events.subscribe((event, payload) => send({ event, payload }), subscription.signal);
  };
  /** A failed sign-in: counted against the peer, logged, and the socket closed. */
  const refuse = (reason: string): void => {
    log.warn('refused a contract socket', {
      transport,
      peer,
      closeCode: WS_POLICY_VIOLATION,
      reason,
    });
    throttle?.recordFailure(peer);
    closeWith(WS_POLICY_VIOLATION, 'authentication failed');
  };
  /**
   * Refuses a locked-out peer (even with the right token) with a code of its own, so the UI can
   * say when to retry; nothing is counted or logged, or a flood would fill the log.
   */
  const lockedOut = (): boolean => {
    const until = throttle?.lockedUntil(peer) ?? null;
    if (until === null) return false;
    closeWith(
      WS_LOCKED_OUT,
      `too many failed sign-ins; try again after ${new Date(until).toISOString()}`,
    );
    return true;
  };

  ws.on('error', (error) => {
    // `ws` has already sent its close frame; all that is left is to say so and not to wait.
    dropAfterGrace(ws);
    const closeCode = closeCodeOf(error);
    log.warn('closed a contract socket after a bad frame', {
      transport,
      peer,
      authenticated: authed,
      closeCode,
      error: error.message,
    });
    if (!authed) throttle?.recordFailure(peer);
  });
  if (!authed && lockedOut()) return;

  const authTimer = authed
    ? null
    : setTimeout(() => refuse('no sign-in in time'), options.authTimeoutMs ?? 5000);
  if (authed) subscribe();
  ws.on('close', () => {
    subscription.abort();
    if (authTimer) clearTimeout(authTimer);
  });

  ws.on('message', (data, isBinary) => {
    // Frames already received when we decided to close must not count twice or be answered.
    if (ws.readyState !== WebSocket.OPEN) return;
    let frame: unknown;
    try {
      frame = isBinary ? undefined : JSON.parse(rawDataToText(data));
    } catch {
      frame = undefined;
    }
    if (!authed) {
      if (authTimer) clearTimeout(authTimer);
      // Checked again: the lockout may have begun (on another socket) since this one opened.
      if (lockedOut()) return;
      const auth = AuthFrameSchema.safeParse(frame);
      if (!auth.success) return refuse('the first frame was not an auth frame');
      if (options.token === null || !tokensMatch(auth.data.token, options.token))
        return refuse('wrong token');
      authed = true;
      throttle?.recordSuccess(peer);
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
    void options.dispatch(channel, input, { transport }).then((envelope) => {
      send({ id, ...envelope });
    });
  });
}

/** Cuts a closing socket whose peer never answers the close handshake (a half-open client). */
function dropAfterGrace(ws: WebSocket): void {
  setTimeout(() => {
    if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  }, CLOSE_GRACE_MS).unref();
}
