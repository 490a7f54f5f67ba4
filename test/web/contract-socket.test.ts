import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import { EventHub } from '../../src-main/supervisor/event-hub.js';
import { createDispatch, type ContractHandlers } from '../../src-main/supervisor/ipc-router.js';
import { startWebServer, type WebServer } from '../../src-main/web/web-server.js';

const armed = { engaged: false, reason: null, engagedAt: null, source: null, lastReport: null };
const handlers = {
  'status:get': () => ({ gateway: idleGatewayStatus, killSwitch: armed }),
} as unknown as ContractHandlers;

/** Opens a socket, optionally authenticates, and collects every frame it receives. */
async function connect(server: WebServer, token: string | null, origin?: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ipc`, origin ? { origin } : {});
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data: Buffer) =>
    frames.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>),
  );
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (token !== null) ws.send(JSON.stringify({ type: 'auth', token }));
  return { ws, frames, closed };
}

describe('the contract over WebSocket', () => {
  const events = new EventHub();
  let server: WebServer;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-web-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>ok</title>');
    server = await startWebServer({
      host: '127.0.0.1',
      port: 0,
      rendererDir: root,
      dispatch: createDispatch(handlers),
      events,
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers requests by id after auth and pushes events', async () => {
    const { ws, frames } = await connect(server, server.token);
    ws.send(JSON.stringify({ id: 'a1', channel: 'status:get', input: {} }));
    await expect.poll(() => frames.length).toBe(2);
    expect(frames[0]).toEqual({ type: 'auth', ok: true });
    expect(frames[1]).toMatchObject({
      id: 'a1',
      ok: true,
      value: { gateway: { state: 'stopped' } },
    });
    events.emit('gateway:changed', { ...idleGatewayStatus, state: 'running', pid: 5 });
    await expect.poll(() => frames.length).toBe(3);
    expect(frames[2]).toMatchObject({
      event: 'gateway:changed',
      payload: { state: 'running', pid: 5 },
    });
    ws.close();
  });

  it('keeps an authenticated socket open on malformed frames and answers each with an error', async () => {
    const { ws, frames } = await connect(server, server.token);
    ws.send('not json');
    ws.send(JSON.stringify({ id: 7, channel: 'status:get', input: { extra: 1 } }));
    ws.send(JSON.stringify({ id: 8, nonsense: true }));
    ws.send(JSON.stringify({ id: 9, channel: 'no:such', input: {} }));
    await expect.poll(() => frames.length).toBe(5);
    // Replies to valid frames are asynchronous: compare by id, not arrival order.
    const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      String(a['id']).localeCompare(String(b['id']));
    expect(frames.slice(1).sort(byId)).toEqual(
      [
        {
          id: 7,
          ok: false,
          error: { code: 'BAD_INPUT', message: expect.stringMatching(/status:get/) as unknown },
        },
        {
          id: 8,
          ok: false,
          error: {
            code: 'BAD_INPUT',
            message: expect.stringMatching(/malformed request/) as unknown,
          },
        },
        {
          id: 9,
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: expect.any(String) as unknown },
        },
        {
          id: null,
          ok: false,
          error: { code: 'BAD_INPUT', message: expect.stringMatching(/not a JSON/) as unknown },
        },
      ].sort(byId),
    );
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it('closes with 1008 and sends nothing when the first frame is not a valid auth', async () => {
    for (const first of [
      { id: 1, channel: 'status:get', input: {} },
      { type: 'auth', token: 'wrong' },
      { type: 'auth', token: `${server.token}x` },
    ]) {
      const { ws, frames, closed } = await connect(server, null);
      ws.send(JSON.stringify(first));
      expect(await closed).toBe(1008);
      expect(frames).toEqual([]);
    }
  });

  it('does not push events to a socket that has not authenticated', async () => {
    const { frames, ws, closed } = await connect(server, null);
    events.emit('gateway:changed', idleGatewayStatus);
    await new Promise((r) => setTimeout(r, 100));
    expect(frames).toEqual([]);
    ws.terminate();
    await closed;
  });

  it('refuses a foreign Origin at the upgrade and accepts its own', async () => {
    await expect(connect(server, server.token, 'http://evil.example')).rejects.toThrow(/403/);
    const own = await connect(server, server.token, `http://localhost:${server.port}`);
    await expect.poll(() => own.frames.length).toBe(1);
    own.ws.close();
  });

  it('serves the renderer with a strict CSP and never outside its directory', async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    for (const path of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/.secret',
      '/missing.js',
    ]) {
      expect((await fetch(`http://127.0.0.1:${server.port}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`http://127.0.0.1:${server.port}/`, { method: 'POST' })).status).toBe(405);
  });
});
