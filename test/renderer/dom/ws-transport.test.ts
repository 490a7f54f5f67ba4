import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebSocketTransport } from '../../../src-renderer/ws-transport.js';
import { WS_POLICY_VIOLATION } from '../../../src-shared/ipc/web-constants.js';
import type { EarlySocket } from '../../../src-renderer/early-socket.js';

/** The browser's WebSocket as far as the transport uses it, recording what is sent. */
class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static last: FakeWebSocket | null = null;
  readonly sent: string[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.last = this;
  }
  send(frame: string) {
    this.sent.push(frame);
  }
  open() {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.();
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

/** Waits (a task at a time) until `list` holds `length` entries. */
async function eventuallyLength(list: readonly unknown[], length: number): Promise<void> {
  for (let i = 0; i < 100 && list.length < length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe('the web socket transport', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('sends a call made while connecting right behind the auth frame, and answers it', async () => {
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1' });
    const transport = createWebSocketTransport('the-token');
    const reply = transport.invoke('status:get', {});
    const ws = FakeWebSocket.last!;
    ws.open();
    // Both frames are on the wire before the server has said anything.
    expect(ws.sent.map((frame) => JSON.parse(frame) as unknown)).toEqual([
      { type: 'auth', token: 'the-token' },
      { id: 1, channel: 'status:get', input: {} },
    ]);
    ws.receive({ type: 'auth', ok: true });
    ws.receive({ id: 1, ok: true, value: 'snapshot' });
    expect(await reply).toEqual({ id: 1, ok: true, value: 'snapshot' });
    expect(ws.sent).toHaveLength(2);
  });

  it('fails calls sent behind a refused token, and says the token was refused', async () => {
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1' });
    const transport = createWebSocketTransport('wrong');
    const states: string[] = [];
    transport.onConnection((state) => states.push(state));
    const reply = transport.invoke('status:get', {});
    const ws = FakeWebSocket.last!;
    ws.open();
    ws.onclose?.({ code: WS_POLICY_VIOLATION });
    expect((await reply).ok).toBe(false);
    expect(states.at(-1)).toBe('unauthorized');
  });

  describe("taking over the page's early socket", () => {
    /** The bootstrap's socket, with what it kept (as openEarlySocket keeps it). */
    const earlySocket = (): { early: EarlySocket; ws: FakeWebSocket } => {
      const ws = new FakeWebSocket('ws://127.0.0.1:1/ipc');
      const early: EarlySocket = {
        token: 'the-token',
        socket: ws as unknown as WebSocket,
        received: [],
        closedWith: null,
      };
      ws.onmessage = (message) => early.received.push(message.data);
      ws.onclose = (event) => (early.closedWith = event.code);
      return { early, ws };
    };
    const sentFrames = (ws: FakeWebSocket) => ws.sent.map((frame) => JSON.parse(frame) as unknown);

    it("answers the first status call with the bootstrap's, without a socket or call of its own", async () => {
      vi.stubGlobal('WebSocket', FakeWebSocket);
      vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1' });
      const { early, ws } = earlySocket();
      ws.readyState = FakeWebSocket.OPEN;
      ws.sent.push(JSON.stringify({ type: 'auth', token: 'the-token' })); // the bootstrap's greeting
      ws.receive({ type: 'auth', ok: true });
      ws.receive({ id: 0, ok: true, value: 'early snapshot' });
      const transport = createWebSocketTransport('the-token', { early });
      const states: string[] = [];
      transport.onConnection((state) => states.push(state));
      expect(await transport.invoke('status:get', {})).toEqual({
        id: 0,
        ok: true,
        value: 'early snapshot',
      });
      expect(FakeWebSocket.last).toBe(ws);
      expect(states.at(-1)).toBe('connected');
      // Later calls are its own, on the same socket.
      const later = transport.invoke('status:get', {});
      expect(sentFrames(ws).at(-1)).toEqual({ id: 1, channel: 'status:get', input: {} });
      ws.receive({ id: 1, ok: true, value: 'later snapshot' });
      expect((await later).ok).toBe(true);
    });

    it('greets a socket still connecting itself, with the status call, and sends what waited', async () => {
      vi.stubGlobal('WebSocket', FakeWebSocket);
      vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1' });
      const { early, ws } = earlySocket();
      const transport = createWebSocketTransport('the-token', { early });
      const status = transport.invoke('status:get', {});
      const history = transport.invoke('killswitch:history', {});
      ws.open();
      expect(sentFrames(ws)).toEqual([
        { type: 'auth', token: 'the-token' },
        { id: 0, channel: 'status:get', input: {} },
        { id: 1, channel: 'killswitch:history', input: {} },
      ]);
      ws.receive({ type: 'auth', ok: true });
      ws.receive({ id: 0, ok: true, value: 'snapshot' });
      ws.receive({ id: 1, ok: true, value: 'history' });
      expect(await status).toMatchObject({ value: 'snapshot' });
      expect(await history).toMatchObject({ value: 'history' });
    });

    it('hands over what arrived in order: the status reply settles before the event that followed it', async () => {
      vi.stubGlobal('WebSocket', FakeWebSocket);
      vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1' });
      const { early, ws } = earlySocket();
      ws.readyState = FakeWebSocket.OPEN;
      ws.receive({ type: 'auth', ok: true });
      ws.receive({ id: 0, ok: true, value: 'snapshot' });
      ws.receive({ event: 'killswitch:changed', payload: 'engaged' });
      const transport = createWebSocketTransport('the-token', { early });
      // As the early shell does: the first status call, then a subscription, in the same task.
      const seen: string[] = [];
      void transport
        .invoke('status:get', {})
        .then((reply) => seen.push(`status ${JSON.stringify(reply.ok && reply.value)}`));
      transport.on('killswitch:changed', (payload) =>
        seen.push(`event ${JSON.stringify(payload)}`),
      );
      // A frame arriving while the backlog is handed over comes after it.
      ws.receive({ event: 'gateway:changed', payload: 'stopped' });
      transport.on('gateway:changed', (payload) => seen.push(`event ${JSON.stringify(payload)}`));
      await eventuallyLength(seen, 3);
      expect(seen).toEqual(['status "snapshot"', 'event "engaged"', 'event "stopped"']);
    });

    it('reports a token the server refused before the transport took the socket over', async () => {
      vi.stubGlobal('WebSocket', FakeWebSocket);
      vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1' });
      const { early, ws } = earlySocket();
      ws.readyState = FakeWebSocket.OPEN;
      ws.onclose?.({ code: WS_POLICY_VIOLATION });
      const transport = createWebSocketTransport('the-token', { early });
      const states: string[] = [];
      transport.onConnection((state) => states.push(state));
      expect((await transport.invoke('status:get', {})).ok).toBe(false);
      expect(states.at(-1)).toBe('unauthorized');
    });
  });
});
