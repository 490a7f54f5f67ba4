import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebSocketTransport } from '../../../src-renderer/ws-transport.js';
import { WS_POLICY_VIOLATION } from '../../../src-shared/ipc/web-constants.js';

/** The browser's WebSocket as far as the transport uses it, recording what is sent. */
class FakeWebSocket {
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
});
